"""The annual report's texts the secretariat writes, in each of the portal's languages.

A text not given in Bulgarian or Turkish shows in English, on the page and in the PDF
(settings.MODELTRANSLATION_FALLBACK_LANGUAGES).
"""

from modeltranslation.translator import TranslationOptions, register, translator

from reports.models import AnnualReport


@register(AnnualReport)
class AnnualReportTranslation(TranslationOptions):
    fields = ("introduction", "highlights", "outlook")


# The history (django-simple-history) keeps every language too.
translator.register(AnnualReport.history.model, AnnualReportTranslation)

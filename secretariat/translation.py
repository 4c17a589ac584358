"""Content the secretariat and the presidency write, in each of the portal's languages.

The history (django-simple-history) keeps every language too: each historical model is
registered with the same fields.

English is the network's working language (rule T2) and the fallback: a text not yet given
in Bulgarian or Turkish shows in English (settings.MODELTRANSLATION_FALLBACK_LANGUAGES).
"""

from modeltranslation.translator import TranslationOptions, register, translator

from secretariat.models import Announcement, Goal, Recommendation


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Announcement)
class AnnouncementTranslation(TranslationOptions):
    fields = ("title", "body")


for model, options in [
    (Goal, GoalTranslation),
    (Recommendation, RecommendationTranslation),
    (Announcement, AnnouncementTranslation),
]:
    translator.register(model.history.model, options)

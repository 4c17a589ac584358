"""What people write about a working group, in each of the portal's languages."""

from modeltranslation.translator import TranslationOptions, register, translator

from workinggroups.models import WorkingGroup


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("topic",)


# The history (django-simple-history) keeps every language too.
translator.register(WorkingGroup.history.model, WorkingGroupTranslation)

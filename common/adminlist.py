"""Admin change lists that cost the same at 25 cities or 1,000.

Every ``ModelAdmin`` of ours with a list that grows starts from ``LeanListAdmin``: 20 rows a
page (every cell Django writes costs, a row's link and checkbox the most), no second
``COUNT(*)`` of the whole table, and a checkbox column written as one string (Django renders
a form widget through the template engine for every row). Its action form, a select and a
hidden input, is written as strings too. Related filters whose labels read another table
use ``LabelledRelatedFilter``, which reads the labels in the same query as the choices.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

# Django's own msgid (django/contrib/admin/options.py), so that its translations apply.
SELECT_ONE = "Select this object for an action - {}"


class LeanSelect(forms.Select):
    """Django's ``Select`` (a flat list of choices) written as one string, not through the
    form renderer's templates (an include per option)."""

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, (list, tuple)) for _key, label in self.choices):
            return super().render(name, value, attrs, renderer)  # groups: Django's own
        chosen = self.format_value(value)
        options = []
        for key, label in self.choices:
            selected = str(key) in chosen
            if selected:
                chosen = []  # a single select marks its first match only, as Django's
            options.append((key, " selected" if selected else "", label))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("", '<option value="{}"{}>{}</option>', options),
        )


class LeanHiddenInput(forms.HiddenInput):
    """Django's ``HiddenInput`` written as one string, not through the templates."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            self.input_type,
            name,
            "" if value is None else format_html(' value="{}"', value),
            flatatt(self.build_attrs(self.attrs, attrs)),
        )


class LeanActionForm(ActionForm):
    """The change list's action form, its two widgets written as strings."""

    action = forms.ChoiceField(label=ActionForm.base_fields["action"].label, widget=LeanSelect)
    select_across = forms.BooleanField(
        label="",
        required=False,
        initial=0,
        widget=LeanHiddenInput({"class": "select-across"}),
    )


class LeanListAdmin:
    """Mixin for a ``ModelAdmin``: a change list whose cost does not grow with the table.

    Give it the ``list_select_related`` its columns (and the rows' ``__str__``, which the
    checkbox's label reads) need, so that no row asks the database again.
    """

    list_per_page = 20
    show_full_result_count = False  # "20 results (1,000 total)" costs a COUNT(*) a page
    action_form = LeanActionForm

    def action_checkbox(self, obj) -> str:
        """The HTML of ``ModelAdmin.action_checkbox``, without a widget and its templates."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext(SELECT_ONE), str(obj)),
        )


class LabelledRelatedFilter(admin.RelatedFieldListFilter):
    """``RelatedFieldListFilter`` for a model whose ``__str__`` reads a related row (a summit
    names its host city): the choices come with their foreign keys in one query, instead of
    one query per choice."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.remote_field.get_related_field().attname
        queryset = field.related_model._default_manager.complex_filter(
            field.get_limit_choices_to()
        ).select_related()
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(getattr(choice, related), str(choice)) for choice in queryset]

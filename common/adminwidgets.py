"""Admin form fields that screen readers can name and the HTML checker accepts (issue 18).

Most of what Django's admin writes is fixed by our own templates (``FORM_RENDERER`` is
``TemplatesSetting``; see ``templates/admin/`` and ``templates/auth/widgets/``) and by
``static/js/admin-widgets.js`` for what the admin's scripts build in the browser. Two
things only Python can reach, and ``AccessibleFieldsAdmin`` does them; every ``ModelAdmin``
or inline of ours with ``autocomplete_fields`` or ``list_editable`` starts from it
(tests/common/test_adminwidgets.py fails for one that does not):

- the autocomplete (``autocomplete_fields``) writes a ``<select>`` with only the chosen
  option: a required one then has no empty first option (invalid HTML), an optional one an
  empty ``<option>`` without a label (invalid too);
- the inputs of a change list's editable columns (``list_editable``) have no label but the
  column's header, and point ``aria-describedby`` at a help text the list does not show.
"""

from django import forms
from django.contrib.admin import widgets
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete, whose ``<select>`` always starts with a labelled empty option.

    HTML asks a required single ``<select>`` for an empty first option (the placeholder),
    and an empty ``<option>`` for a ``label``. select2 reads an option's text, not its label,
    so what the staff see does not change; without JavaScript the empty choice reads
    "---------", as in Django's plain selects.
    """

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if not options or options[0]["value"] != "":
            # Django leaves the empty option out of a required field's select.
            options.insert(0, self.create_option(name, "", "", False, 0))
        options[0]["attrs"]["label"] = BLANK_CHOICE_DASH[0][1]
        return groups


class ChangeListRowForm(forms.ModelForm):
    """A row of a change list's editable columns, each input named for screen readers.

    Its only visible label is the column's header; the name says the column and the row
    ("Eligible: Albania"). The fields' help texts are not shown in a list, so the inputs
    must not point ``aria-describedby`` at them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.widget.is_hidden:
                continue
            field.help_text = ""
            # Translators: a screen reader's name for an input in a change list, e.g.
            # "Eligible for membership: Albania" (its column, then its row).
            name = gettext("%(column)s: %(row)s") % {"column": field.label, "row": self.instance}
            field.widget.attrs.setdefault("aria-label", name)


class AccessibleFieldsAdmin:
    """Mixin for a ``ModelAdmin`` or an inline: autocompletes and editable columns whose
    markup passes the accessibility crawl (tests/e2e/test_accessibility.py)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ChangeListRowForm)
        return super().get_changelist_form(request, **kwargs)

"""Small pieces every app's admin reuses."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common import csv as safe_csv


@admin.action(description=_("Export the selected rows as CSV"), permissions=["view"])
def export_as_csv(modeladmin, request, queryset) -> HttpResponse:
    """Export what the change list shows (its ``list_display`` columns) as CSV."""
    fields = [f for f in modeladmin.get_list_display(request) if f != "action_checkbox"]
    meta = modeladmin.model._meta
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(meta.verbose_name_plural)}-{stamp}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 (Kırklareli, Durrës) only with a BOM
    writer = safe_csv.writer(response)
    headers = []
    for name in fields:
        attr = getattr(modeladmin, name, None)
        if hasattr(attr, "short_description"):
            headers.append(str(attr.short_description))
        else:
            try:
                headers.append(str(meta.get_field(name).verbose_name))
            except Exception:
                headers.append(name)
    writer.writerow(headers)
    for obj in queryset:
        row = []
        for name in fields:
            attr = getattr(modeladmin, name, None)
            if callable(attr):
                value = attr(obj)
            else:
                display = getattr(obj, f"get_{name}_display", None)
                value = display() if display else getattr(obj, name, "")
            row.append(value)
        writer.writerow(row)
    return response


def in_languages(*names: str) -> list[str]:
    """A translated field's columns, one per language: ``title`` → title_en, title_bg, title_tr.

    The admin shows them side by side (django-modeltranslation adds them); English, the
    network's working language (rule T2), comes first and is the fallback.
    """
    return [f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES]


def in_english(cleaned_data: dict, names) -> dict:
    """The form's English columns under the field's own name, for a service's arguments."""
    return {name: cleaned_data.get(f"{name}_{settings.LANGUAGE_CODE}") or "" for name in names}


def copy_languages(source, target, *names: str) -> None:
    """Give a row a service created every language the admin form was filled in."""
    # The service wrote the English; save again (one more history row) only for translations.
    columns = [
        column
        for column in in_languages(*names)
        if not column.endswith(f"_{settings.LANGUAGE_CODE}") and getattr(source, column)
    ]
    for column in columns:
        setattr(target, column, getattr(source, column))
    if columns:
        target.save(update_fields=columns)


class EnglishRequiredAdmin:
    """Mixin: a required text must be given at least in English (rule T2), its fallback."""

    translated_texts: tuple[str, ...] = ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name in self.translated_texts:
            field = form.base_fields.get(f"{name}_{settings.LANGUAGE_CODE}")
            if field is not None and not self.model._meta.get_field(name).blank:
                field.required = True
        return form


class AddedByServiceAdmin:
    """Mixin: a new row is written by its service, the one door for its rules.

    ``create(request, form)`` calls the service with the add form's cleaned data and returns
    the row it wrote. The admin then goes on (history of the form, log entry, redirect) with
    the form's object loaded from that row.
    """

    def create(self, request, form):
        raise NotImplementedError

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.pk = self.create(request, form).pk
        obj.refresh_from_db()


def run_action(modeladmin, request, queryset, call: Callable, done) -> int:
    """Call a service for each selected row (``call(obj)``); report each refusal, rule and
    all, and then how many went through: ``done`` with ``%(n)d``, an
    ``ngettext_lazy(…, "n")``. Returns that number."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"n": count}, messages.SUCCESS)
    return count


def form_action(
    modeladmin, request, queryset, *, form_class, title, done, apply: Callable, initial=None
):
    """An admin action that asks for a few fields first (a reason, a date) on its own page.

    Once the form is valid, ``apply(obj, cleaned_data)`` calls the service for each selected
    row, as ``run_action`` does; until then the page shows the selection and the form.
    """
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            run_action(
                modeladmin, request, queryset, lambda obj: apply(obj, form.cleaned_data), done
            )
            return None
    else:
        form = form_class(initial=initial or {})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/action_form.html", context)

"""Small pieces every app's admin reuses."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


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
    writer = csv.writer(response)
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
            row.append(_csv_safe(value))
        writer.writerow(row)
    return response


def _csv_safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in exported cells."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text

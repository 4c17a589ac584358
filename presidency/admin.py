from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.adminkit import export_as_csv
from presidency.models import Mandate, Summit


@admin.register(Summit)
class SummitAdmin(SimpleHistoryAdmin):
    list_display = ["year", "host_city", "starts_on", "ends_on", "venue", "state"]
    list_filter = ["state"]
    list_select_related = ["host_city"]
    search_fields = ["year", "host_city__name", "venue"]
    autocomplete_fields = ["host_city"]
    actions = [export_as_csv]


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    list_display = ["year", "city", "mayor", "elected_at"]
    list_select_related = ["city", "mayor", "elected_at", "elected_at__host_city"]
    search_fields = ["year", "city__name"]
    autocomplete_fields = ["city", "mayor", "elected_at"]
    actions = [export_as_csv]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.adminkit import export_as_csv
from workinggroups.models import GroupMembership, WorkingGroup


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["city", "contact"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "is_permanent", "coordinating_city", "created_on"]
    list_filter = ["state", "is_permanent"]
    list_select_related = ["coordinating_city"]
    search_fields = ["name", "topic"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["coordinating_city"]
    inlines = [GroupMembershipInline]
    actions = [export_as_csv]

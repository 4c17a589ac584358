from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LeanListAdmin
from common.adminwidgets import AccessibleFieldsAdmin
from members import services
from members.adminkit import export_as_csv
from members.models import City, Country, Person, User
from members.text import fold


class FoldedSearchMixin:
    """Search the folded name too, so "durres" or "KIRKLARELI" finds the city."""

    folded_search_field = "search_name"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            results = results | queryset.filter(
                **{f"{self.folded_search_field}__contains": fold(search_term)}
            )
        return results, may_have_duplicates


@admin.register(Country)
class CountryAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "eligible"]
    list_filter = ["eligible"]
    list_editable = ["eligible"]
    search_fields = ["name", "code"]
    actions = [export_as_csv]


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["role", "name", "position", "email", "phone", "started_on", "ended_on"]


@admin.register(City)
class CityAdmin(AccessibleFieldsAdmin, FoldedSearchMixin, LeanListAdmin, SimpleHistoryAdmin):
    # A founding city is the one with a signatory (members_city_founding_signatory): its
    # column says both, and each column costs every row of the page (``is_founding`` stays
    # a filter).
    list_display = ["name", "country", "founding_signatory", "joined_on", "status"]
    # A date filter rather than a date hierarchy, which reads the first and last dates and
    # the years on every page; the column sorts.
    list_filter = ["status", "is_founding", "country", "joined_on"]
    list_select_related = ["country"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonInline]
    actions = [export_as_csv]
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "status", "joined_on"]}),
        (_("Founding"), {"fields": ["is_founding", "founding_signatory"]}),
        (_("Leaving"), {"fields": ["left_on", "withdrawal_reason"]}),
        (_("About the city"), {"fields": ["website", "population"]}),
        (
            _("On the map"),
            {
                "fields": [("latitude", "longitude")],
                "description": _(
                    "Decimal degrees, as a map service shows them (right-click on the city): "
                    "e.g. 41.0082 and 28.9784 for Istanbul."
                ),
            },
        ),
    ]
    # Rule M1: the founders are fixed data; rule M2: a city joins by admission at a summit
    # (secretariat.services.applications) and leaves by withdrawal
    # (secretariat.services.cities), so membership is never typed in here.
    readonly_fields = [
        "status",
        "joined_on",
        "is_founding",
        "founding_signatory",
        "left_on",
        "withdrawal_reason",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # rule M2: cities join by admission at a summit

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a city that leaves is withdrawn; its history stays


@admin.register(Person)
class PersonAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["name", "role", "city", "position", "email", "started_on", "ended_on"]
    list_filter = ["role", "city__country", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["city"]
    search_fields = ["name", "email", "city__name", "city__search_name"]
    autocomplete_fields = ["city"]
    actions = [export_as_csv]


@admin.register(User)
class UserAdmin(AccessibleFieldsAdmin, LeanListAdmin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "city",
        "city_role",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["city_role", "is_staff", "is_active", "groups"]
    list_select_related = ["city"]
    search_fields = ["username", "email", "first_name", "last_name", "city__name"]
    autocomplete_fields = ["city"]
    actions = ["send_invitation", export_as_csv]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("City"), {"fields": ["city", "city_role"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "city",
                    "city_role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
                "description": _(
                    "For a mayor or delegate: choose the city and role and disable password-based "
                    "authentication; the portal mails them a link to set their own password."
                ),
            },
        ),
    ]

    # Least privilege (RELIABILITY 7): the secretariat manages city users; only a superuser
    # makes staff, grants groups or permissions, or touches a staff account (its password
    # included: Django's password view asks has_change_permission for the user).
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [f for f in self.PRIVILEGE_FIELDS if f not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not request.user.is_superuser and (obj.is_staff or obj.is_superuser):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change and obj.city_id and not obj.has_usable_password():
            try:
                services.invite_city_user(user=obj, by=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.WARNING)
            else:
                self.message_user(
                    request,
                    _("An invitation to set a password was mailed to %(email)s.")
                    % {"email": obj.email},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Mail an invitation to set a password"), permissions=["change"])
    def send_invitation(self, request, queryset) -> None:
        sent = 0
        for user in queryset.select_related("city"):
            try:
                services.invite_city_user(user=user, by=request.user)
                sent += 1
            except ValidationError as exc:
                self.message_user(request, f"{user}: {'; '.join(exc.messages)}", messages.ERROR)
        if sent:
            self.message_user(
                request,
                ngettext("%(n)d invitation mailed.", "%(n)d invitations mailed.", sent)
                % {"n": sent},
                messages.SUCCESS,
            )

"""The City admin with the secretariat's withdrawal action.

The withdrawal reaches the city's candidacies and working groups, floors above
``members``; so the action lives here, on the floor that may call all of them, on a
subclass of ``members.admin.CityAdmin`` registered in its place.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from members.admin import CityAdmin as MembersCityAdmin
from members.adminkit import form_action
from members.models import City
from secretariat.forms.cities import WithdrawalForm
from secretariat.services.cities import withdraw_member_city

admin.site.unregister(City)


@admin.register(City)
class CityAdmin(MembersCityAdmin):
    actions = [*MembersCityAdmin.actions, "withdraw"]

    @admin.action(
        description=_("Record that the city left the network, with a reason"),
        permissions=["change"],
    )
    def withdraw(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=WithdrawalForm,
            title=_("Record that these cities left the network"),
            done=ngettext_lazy(
                "%(n)d city recorded as having left the network.",
                "%(n)d cities recorded as having left the network.",
                "n",
            ),
            apply=lambda city, data: withdraw_member_city(
                city=city, on=data["on"], reason=data["reason"], by=request.user
            ),
        )

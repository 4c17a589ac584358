"""Forms of the workspace's browser doors (the city dashboard). The rules live in the
services; these forms only bind and check input."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.enums import CityStatus, PersonRole
from members.models import City, Person
from secretariat.enums.workspace import Audience, FollowUpState
from workinggroups.enums import GroupState
from workinggroups.models import WorkingGroup


class FollowUpForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Your city's follow-up"),
        choices=[("", "—"), *FollowUpState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Required when your city will not follow it."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("state") == FollowUpState.WILL_NOT_FOLLOW
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why your city will not follow the recommendation."))
        return cleaned


class PersonDetailsForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "position", "email", "phone"]


class ContactAddForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (PersonRole.CONTACT, PersonRole.DELEGATE)],
    )
    started_on = forms.DateField(
        label=_("Since"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # HTML wants ISO
    )

    class Meta:
        model = Person
        fields = ["role", "name", "position", "email", "phone", "started_on"]


class EndPersonForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Serves the city until"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # HTML wants ISO
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_ended_on(self) -> datetime.date:
        ended_on = self.cleaned_data["ended_on"]
        if self.person.started_on and ended_on < self.person.started_on:
            raise ValidationError(_("A term cannot end before it starts."))
        return ended_on


class GoalProposalForm(forms.Form):
    """The president proposes an annual goal (rules G1, S8)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)

    def clean(self):
        cleaned = super().clean()
        baseline: Decimal | None = cleaned.get("baseline")
        if baseline is not None and baseline == cleaned.get("target"):
            self.add_error("target", _("The target must differ from the baseline."))
        return cleaned


class AnnouncementForm(forms.Form):
    """The president writes to member cities (rule T3); the secretariat uses the admin."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea)
    audience = forms.ChoiceField(
        label=_("Addressed to"), choices=Audience.choices, widget=forms.RadioSelect
    )
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.filter(state=GroupState.ACTIVE),
        required=False,
        help_text=_("Only when addressed to one working group's cities."),
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Chosen cities"),
        queryset=City.objects.filter(status=CityStatus.ACTIVE),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when addressed to chosen cities."),
    )
    is_public = forms.BooleanField(
        label=_("Also publish it in the news on the website"), required=False
    )

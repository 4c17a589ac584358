from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import City
from workinggroups.enums import MinutesVisibility
from workinggroups.models import WorkingGroup


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ExtraSessionRequestForm(forms.Form):
    """A member city asks that one of its groups be convened sooner (rule W4)."""

    group = forms.ModelChoiceField(queryset=WorkingGroup.objects.none(), label=_("Working group"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    proposed_start = forms.DateTimeField(
        label=_("Proposed date (Istanbul time)"), widget=DateTimeLocalInput()
    )
    proposed_alternative = forms.DateTimeField(
        label=_("Alternative date (Istanbul time)"), widget=DateTimeLocalInput(), required=False
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups


class ProposeGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    topic = forms.CharField(label=_("Topic"), widget=forms.Textarea(attrs={"rows": 4}))
    is_permanent = forms.BooleanField(label=_("Permanent strategic topic"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ConveneForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at (Istanbul time)"), widget=DateTimeLocalInput()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at (Istanbul time)"), widget=DateTimeLocalInput(), required=False
    )
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RecordMeetingForm(forms.Form):
    """The secretariat records a held meeting: who attended and the minutes (rule W3)."""

    present = forms.ModelMultipleChoiceField(
        label=_("Cities present"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
    minutes_visibility = forms.ChoiceField(
        label=_("Minutes are"),
        choices=MinutesVisibility.choices,
        initial=MinutesVisibility.MEMBERS,
    )

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cities is not None:
            self.fields["present"].queryset = cities

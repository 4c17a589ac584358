from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import City
from presidency import board
from presidency.enums import DelegateRole
from presidency.models import Candidacy

ABSTAIN = "abstain"


class CandidacyForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Why your city stands for the presidency, and what it would do."),
    )


class ProposalForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City you propose"), queryset=City.objects.none())
    statement = forms.CharField(
        label=_("Why you propose it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(pk__in=[c.pk for c in cities])


class DelegateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    # A blank first choice, so that a row left empty stays unchanged and is skipped.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *DelegateRole.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    arrives_on = forms.DateField(
        label=_("Arrival"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    departs_on = forms.DateField(
        label=_("Departure"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


DelegateFormSet = forms.formset_factory(DelegateForm, extra=3, max_num=30, absolute_max=40)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your city's vote"), widget=forms.RadioSelect)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.pk): c for c in candidates}
        self.fields["choice"].choices = [
            *((pk, c.city.name) for pk, c in self.candidates.items()),
            (ABSTAIN, _("Abstain")),
        ]

    def chosen(self) -> Candidacy | None:
        value = self.cleaned_data["choice"]
        return None if value == ABSTAIN else self.candidates[value]


class BallotCheckForm(forms.Form):
    tracker = forms.CharField(
        label=_("Tracker"),
        max_length=20,
        help_text=_("The ten characters on your receipt, e.g. 7KQ2M-XR9TP."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_tracker(self) -> str:
        tracker = board.normalize_tracker(self.cleaned_data["tracker"])
        if not board.is_tracker(tracker):
            raise forms.ValidationError(
                _(
                    "A tracker is ten letters and digits, without 0, 1, I, L or O: "
                    "check it against your receipt."
                ),
                code="tracker",
            )
        return tracker

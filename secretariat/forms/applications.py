"""The public membership form (rule M3) and the secretariat's transition form."""

import time
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from members.models import phone_validator
from members.selectors import eligible_countries
from members.validators import validate_balkan_latitude, validate_balkan_longitude
from presidency.models import Summit
from secretariat.enums.applications import ApplicationState, allowed_transitions
from secretariat.models.applications import MOTIVATION_MAX_LENGTH, Application
from secretariat.selectors import applications as selectors

FORM_TOKEN_SALT = "secretariat.application-form"  # noqa: S105  # nosec B105
FORM_TOKEN_MAX_AGE = 60 * 60 * 24  # a form left open for a day is rendered again


def min_fill_seconds() -> int:
    """Bots post at once; people take a while (RELIABILITY 14). Tests set it to 0."""
    return settings.APPLICATION_MIN_FILL_SECONDS


def new_form_token() -> str:
    """A signed token for one rendered form: its submission key and when it was rendered."""
    return signing.dumps({"k": str(uuid.uuid4()), "t": int(time.time())}, salt=FORM_TOKEN_SALT)


def _required(message: str) -> dict:
    return {"required": message}


class ApplicationForm(forms.Form):
    """Works without JavaScript; every message is specific, translated, next to its field."""

    city_name = forms.CharField(
        label=_("City"),
        max_length=100,
        error_messages={
            **_required(_("Enter the name of your city.")),
            "max_length": _("A city's name has at most %(limit_value)d characters."),
        },
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=eligible_countries(),
        empty_label=_("Choose the country"),
        error_messages={
            **_required(_("Choose your city's country.")),
            "invalid_choice": _(
                "Cities of this country cannot apply: choose one of the listed countries."
            ),
        },
    )
    mayor_name = forms.CharField(
        label=_("The mayor's name"),
        max_length=150,
        error_messages={
            **_required(_("Enter the name of the city's mayor.")),
            "max_length": _("A name has at most %(limit_value)d characters."),
        },
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=150,
        help_text=_("Who the secretariat writes to about this application."),
        error_messages={
            **_required(_("Enter the contact person's name.")),
            "max_length": _("A name has at most %(limit_value)d characters."),
        },
    )
    contact_position = forms.CharField(
        label=_("Position"),
        max_length=150,
        help_text=_("E.g. Head of international relations."),
        error_messages={
            **_required(_("Enter the contact person's position in the municipality.")),
            "max_length": _("A position has at most %(limit_value)d characters."),
        },
    )
    contact_email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            **_required(_("Enter the contact person's email address.")),
            "invalid": _("Enter a valid email address, e.g. international@city.gov."),
            "max_length": _("An email address has at most %(limit_value)d characters."),
        },
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        validators=[phone_validator],
        error_messages={
            **_required(_("Enter the contact person's phone number.")),
            "max_length": _("A phone number has at most %(limit_value)d characters."),
        },
    )
    website = forms.URLField(
        label=_("The city's website"),
        max_length=200,
        assume_scheme="https",
        error_messages={
            **_required(_("Enter the address of the city's website.")),
            "invalid": _("Enter the full address of the city's website, e.g. https://city.gov."),
            "max_length": _("A web address has at most %(limit_value)d characters."),
        },
    )
    population = forms.IntegerField(
        label=_("Population"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(100_000_000)],
        help_text=_("Optional."),
        error_messages={"invalid": _("Enter the population as a whole number.")},
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        validators=[validate_balkan_latitude],
        help_text=_("Optional: where the city is on the network's map, e.g. 41.0082."),
        error_messages={
            "invalid": _("Enter the latitude as a decimal number of degrees, e.g. 41.0082."),
            "max_decimal_places": _("Give at most %(max)s decimals."),
        },
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        validators=[validate_balkan_longitude],
        help_text=_("Optional, e.g. 28.9784."),
        error_messages={
            "invalid": _("Enter the longitude as a decimal number of degrees, e.g. 28.9784."),
            "max_decimal_places": _("Give at most %(max)s decimals."),
        },
    )
    working_groups = forms.ModelMultipleChoiceField(
        label=_("Working groups the city wants to join"),
        queryset=selectors.joinable_groups(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the network's active working groups."),
            "invalid_pk_value": _("Choose among the network's active working groups."),
        },
    )
    motivation = forms.CharField(
        label=_("Why does your city want to join?"),
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            **_required(_("Tell the network why your city wants to join.")),
            "max_length": _(
                "Keep the motivation under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the B40 Permanent Secretariat stores and handles these data to "
            "process the application."
        ),
        error_messages=_required(
            _("The secretariat needs your consent to handle the application.")
        ),
    )
    # A trap for bots: hidden from people (CSS, not a script), tempting for robots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = new_form_token()
        self.submission_key: uuid.UUID | None = None

    @cached_property
    def helper(self) -> FormHelper:
        """The layout, built when the form is shown: a valid post never reads the groups."""
        if (
            "working_groups" in self.fields
            and not self.errors.get("working_groups")
            and not self.fields["working_groups"].queryset.exists()
        ):
            del self.fields["working_groups"]  # "once working groups exist"
        helper = FormHelper()
        helper.form_id = "application-form"
        helper.layout = Layout(
            Fieldset(
                _("The city"),
                "city_name",
                "country",
                "mayor_name",
                "website",
                "population",
                "latitude",
                "longitude",
            ),
            Fieldset(
                _("The contact person"),
                "contact_name",
                "contact_position",
                "contact_email",
                "contact_phone",
            ),
            Fieldset(
                _("The application"),
                *(["working_groups"] if "working_groups" in self.fields else []),
                "motivation",
                "consent",
            ),
            Div("homepage", css_class="honeypot", aria_hidden="true"),
            "form_token",
        )
        helper.add_input(Submit("submit", _("Send the application")))
        return helper

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(
                _("The application could not be accepted. Please try again."), code="honeypot"
            )
        try:
            token = signing.loads(
                cleaned.get("form_token") or "", salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE
            )
            self.submission_key = uuid.UUID(token["k"])
            started = int(token["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            # Render the form again with a fresh token, so that the next send can succeed.
            self.data = self.data.copy()
            self.data["form_token"] = new_form_token()
            raise forms.ValidationError(
                _("This form has expired. Please check the fields and send it again."),
                code="form_token",
            ) from None
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error(
                "longitude" if cleaned.get("longitude") is None else "latitude",
                _("Give both the latitude and the longitude, or neither."),
            )
        if time.time() - started < min_fill_seconds():
            raise forms.ValidationError(
                _("That was very fast. Please check the fields and send the form again."),
                code="too_fast",
            )
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "city_name": data["city_name"],
            "country": data["country"],
            "mayor_name": data["mayor_name"],
            "contact_name": data["contact_name"],
            "contact_position": data["contact_position"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "website": data["website"],
            "population": data.get("population"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "working_groups": list(data.get("working_groups") or []),
            "motivation": data["motivation"],
            "consent": data["consent"],
            "submission_key": self.submission_key,
        }


class WithdrawForm(forms.Form):
    """The applicant withdraws through the private status link."""

    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the reason under %(limit_value)d characters.")},
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw our application."),
        error_messages=_required(_("Tick the box to confirm the withdrawal.")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "withdraw-form"
        withdraw = Submit("withdraw", _("Withdraw the application"))
        # Only the danger style: Submit's own "btn-primary" under it gave red text on blue.
        withdraw.field_classes = "btn btn-outline-danger"
        self.helper.add_input(withdraw)


class ApplicationAdminForm(forms.ModelForm):
    """The admin change form: the applicant's data, plus one move along the state machine.

    ``state`` itself is read-only; a move goes through transition_application.
    """

    website = forms.URLField(label=_("The city's website"), max_length=200, assume_scheme="https")
    next_state = forms.ChoiceField(label=_("Move the application to"), required=False)
    transition_summit = forms.ModelChoiceField(
        label=_("Summit"),
        queryset=Summit.objects.select_related("host_city"),
        required=False,
        help_text=_("When proposing the application to a summit."),
    )
    transition_reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when declining; sent to the applicant."),
    )

    class Meta:
        model = Application
        fields = [
            "city_name",
            "country",
            "mayor_name",
            "contact_name",
            "contact_position",
            "contact_email",
            "contact_phone",
            "website",
            "population",
            "latitude",
            "longitude",
            "working_groups",
            "motivation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transition_summit"].queryset = selectors.summits_open_for_proposals()
        state = self.instance.state if self.instance.pk else ApplicationState.SUBMITTED
        choices = [(s, ApplicationState(s).label) for s in ApplicationState.values]
        self.fields["next_state"].choices = [("", _("— no change —"))] + [
            (value, label) for value, label in choices if value in allowed_transitions(state)
        ]

    def clean(self):
        from secretariat.services.applications import check_transition, validate_new_application

        cleaned = super().clean()
        if {"city_name", "country"} & set(self.changed_data) and cleaned.get("country"):
            # The same rules as the public form (rules M2, M3): an eligible country, not yet
            # a member, no other open application.
            try:
                validate_new_application(
                    name=cleaned.get("city_name") or "",
                    country=cleaned["country"],
                    exclude_pk=self.instance.pk,
                )
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        to_state = cleaned.get("next_state")
        if to_state and self.instance.pk:
            try:
                check_transition(
                    application=self.instance,
                    to_state=to_state,
                    reason=cleaned.get("transition_reason") or "",
                    summit=cleaned.get("transition_summit"),
                )
            except forms.ValidationError as exc:
                self.add_error("next_state", exc)
        return cleaned

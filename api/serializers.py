"""What the open data API publishes: only what the public website shows.

Every field is declared here with its description in English (the schema's language), not
derived from the models, whose verbose names and help texts are in the reader's language.
Codes (``active``, ``summit``…) are published, not their translated labels.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.enums import CityStatus
from presidency.enums import ElectionState, RoundOutcome, SummitState
from secretariat.enums.workspace import AdoptedBy
from workinggroups.enums import GroupState, MeetingKind


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PageField(serializers.Field):
    """The address of the object's page on the public website."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return absolute(self.context.get("request"), value.get_absolute_url())


PageField = extend_schema_field(OpenApiTypes.URI)(PageField)


def coordinate(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True, help_text=help_text
    )


class CitySerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The city's identifier in addresses, e.g. `durres`.")
    name = serializers.CharField(help_text="The city's name, with its own diacritics.")
    country = serializers.CharField(
        source="country.code", help_text="ISO 3166-1 alpha-2 code of its country (XK: Kosovo)."
    )
    country_name = serializers.CharField(
        source="country.name", help_text="Its country's name in English."
    )
    latitude = coordinate("Degrees north (WGS 84); null while the secretariat has none.")
    longitude = coordinate("Degrees east (WGS 84); null while the secretariat has none.")
    is_founding = serializers.BooleanField(
        help_text="Whether the city signed the founding declaration (Istanbul, 30 November 2021)."
    )
    joined_on = serializers.DateField(help_text="The day the city became a member.")
    joined_at_summit = serializers.SerializerMethodField(
        help_text="The year of the Annual Summit that admitted the city; null for the founders "
        "and for cities recorded without an application."
    )
    status = serializers.ChoiceField(
        choices=CityStatus.values,
        help_text="`active` for a member city, `withdrawn` for a former member.",
    )
    website = serializers.URLField(help_text="The city's own website, or an empty string.")
    page = PageField(help_text="The city's page on the network's website.")

    @extend_schema_field(OpenApiTypes.INT)
    def get_joined_at_summit(self, city) -> int | None:
        return getattr(city, "admitted_at", None)


class MandateSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The calendar year of the presidency (rule S1).")
    city = serializers.SlugField(source="city.slug", help_text="The presiding city's slug.")
    city_name = serializers.CharField(source="city.name", help_text="The presiding city's name.")
    country = serializers.CharField(
        source="city.country.code", help_text="ISO code of the presiding city's country."
    )
    mayor = serializers.CharField(
        source="mayor.name",
        allow_null=True,
        default=None,
        help_text="The presiding mayor's name, when recorded.",
    )
    elected_at_summit = serializers.IntegerField(
        source="elected_at.year",
        allow_null=True,
        default=None,
        help_text="The year of the summit that elected the city; null if not elected at one.",
    )


class TallySerializer(serializers.Serializer):
    city = serializers.SlugField(source="candidacy.city.slug", help_text="The candidate city.")
    city_name = serializers.CharField(
        source="candidacy.city.name", help_text="The candidate city's name."
    )
    votes = serializers.IntegerField(help_text="Ballots cast for this candidate in the round.")


class RoundSerializer(serializers.Serializer):
    """A closed round's counts. Never a city's choice: who voted for whom is not published
    here, and in a secret ballot the portal does not know it."""

    number = serializers.IntegerField(source="round.number", help_text="The round's number.")
    outcome = serializers.ChoiceField(
        source="round.outcome",
        choices=RoundOutcome.values,
        help_text="How the round ended (e.g. `elected`, or another round needed).",
    )
    electorate = serializers.IntegerField(
        help_text="Member cities entitled to vote when the round opened (one vote each, P1)."
    )
    ballots = serializers.IntegerField(help_text="Ballots cast, abstentions included.")
    abstentions = serializers.IntegerField(help_text="Ballots that chose no candidate.")
    tallies = serializers.SerializerMethodField(help_text="Ballots per candidate, most first.")
    elected = serializers.SlugField(
        source="round.elected.city.slug",
        allow_null=True,
        default=None,
        help_text="The city elected in this round, if any.",
    )
    decided_by_lot = serializers.SerializerMethodField(
        help_text="Whether a tie was settled by a lot the portal drew."
    )

    @extend_schema_field(TallySerializer(many=True))
    def get_tallies(self, result) -> list:
        return [
            TallySerializer({"candidacy": candidacy, "votes": votes}).data
            for candidacy, votes in result.tallies
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_decided_by_lot(self, result) -> bool:
        return result.lot is not None


class ElectionSerializer(serializers.Serializer):
    is_secret = serializers.BooleanField(
        help_text="A secret ballot: the portal records that a city voted, never its choice."
    )
    state = serializers.ChoiceField(
        choices=ElectionState.values, help_text="Where the election stands."
    )
    elected = serializers.SlugField(
        source="elected.city.slug",
        allow_null=True,
        default=None,
        help_text="The city elected to preside, once the election is decided.",
    )


class SummitSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year of the Annual Summit.")
    host_city = serializers.SlugField(source="host_city.slug", help_text="The host city's slug.")
    host_city_name = serializers.CharField(
        source="host_city.name", help_text="The host city's name."
    )
    starts_on = serializers.DateField(help_text="The summit's first day.")
    ends_on = serializers.DateField(help_text="The summit's last day.")
    venue = serializers.CharField(help_text="Where it meets, or an empty string.")
    state = serializers.ChoiceField(choices=SummitState.values, help_text="The summit's state.")
    election = serializers.SerializerMethodField(
        help_text="The election of the next presiding city held at the summit, if any."
    )
    page = PageField(help_text="The summit's page on the network's website.")

    @extend_schema_field(ElectionSerializer(allow_null=True))
    def get_election(self, summit) -> dict | None:
        election = getattr(summit, "election_or_none", None)
        return None if election is None else ElectionSerializer(election).data


class SummitDetailSerializer(SummitSerializer):
    rounds = serializers.SerializerMethodField(
        help_text="The election's closed rounds with their counts (never a city's choice)."
    )

    @extend_schema_field(RoundSerializer(many=True))
    def get_rounds(self, summit) -> list:
        return RoundSerializer(self.context.get("results", []), many=True).data


class MeetingSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="When the online meeting starts (ISO 8601).")
    ends_at = serializers.DateTimeField(help_text="When it ends.")
    kind = serializers.ChoiceField(
        choices=MeetingKind.values,
        help_text="`regular` (the quarterly cadence, rule W3) or `extra` (a session a member "
        "city asked for, rule W4).",
    )
    agenda = serializers.CharField(help_text="The agenda, or an empty string.")
    minutes = serializers.SerializerMethodField(
        help_text="The minutes when they are public; null when there are none or they are for "
        "member cities only."
    )
    present = serializers.SerializerMethodField(help_text="Slugs of the cities recorded present.")

    @extend_schema_field(OpenApiTypes.STR)
    def get_minutes(self, meeting) -> str | None:
        return meeting.minutes if meeting.minutes and meeting.minutes_are_public else None

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_present(self, meeting) -> list[str]:
        return [city.slug for city in meeting.present_cities]


class WorkingGroupSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The group's identifier in addresses.")
    name = serializers.CharField(help_text="The group's name.")
    topic = serializers.CharField(
        help_text="What the group works on, in the language asked for (Accept-Language: en, bg, "
        "tr), English when not translated."
    )
    is_permanent = serializers.BooleanField(help_text="A permanent strategic topic (rule W1).")
    state = serializers.ChoiceField(
        choices=[GroupState.ACTIVE, GroupState.CLOSED], help_text="`active` or `closed`."
    )
    created_on = serializers.DateField(
        allow_null=True, help_text="The day the group became active."
    )
    coordinating_city = serializers.SlugField(
        source="coordinating_city.slug",
        allow_null=True,
        default=None,
        help_text="The coordinating city's slug, if any.",
    )
    member_cities = serializers.SerializerMethodField(
        help_text="Slugs of the group's active member cities."
    )
    meetings = MeetingSerializer(
        many=True,
        source="public_meetings",
        help_text="The group's meetings, latest first (online links are for members only and "
        "never published).",
    )
    page = PageField(help_text="The group's page on the network's website.")

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_member_cities(self, group) -> list[str]:
        return [m.city.slug for m in group.memberships.all() if m.city.status == "active"]


class RecommendationSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Year and number, e.g. `2024/3`.")
    year = serializers.IntegerField(help_text="The year it was adopted in.")
    number = serializers.IntegerField(help_text="Its number within the year.")
    title = serializers.CharField(
        help_text="The title, in the language asked for (Accept-Language), English by default."
    )
    text = serializers.CharField(help_text="The recommendation's text (not binding, rule M5).")
    adopted_by = serializers.ChoiceField(
        choices=AdoptedBy.values, help_text="`summit` or `presidency`."
    )
    adopted_on = serializers.DateField(help_text="The day it was adopted.")
    summit = serializers.IntegerField(
        source="summit.year",
        allow_null=True,
        default=None,
        help_text="The year of the summit that adopted it, if a summit did.",
    )
    working_group = serializers.SlugField(
        source="working_group.slug",
        allow_null=True,
        default=None,
        help_text="The working group that prepared it, if any.",
    )
    cities_following = serializers.IntegerField(
        source="following",
        help_text="Active member cities that said they follow it (will, in progress or done).",
    )
    cities_done = serializers.IntegerField(
        source="done", help_text="Active member cities that have carried it out."
    )
    follow_rate = serializers.IntegerField(
        source="rate", help_text="Cities following it, in percent of the active member cities."
    )
    page = PageField(help_text="The recommendation's page on the network's website.")


class AnnualReportSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year of the mandate the report covers.")
    presiding_city = serializers.SlugField(
        source="mandate.city.slug", help_text="The city that presided that year."
    )
    published_at = serializers.DateTimeField(help_text="When the secretariat published it.")
    page = PageField(help_text="The report on the network's website (HTML).")
    pdf = serializers.SerializerMethodField(help_text="The report as a PDF.")
    annex_csv = serializers.SerializerMethodField(
        help_text="Every figure of the report as CSV (section, item, measure, value)."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, report) -> str:
        return absolute(self.context.get("request"), f"{report.get_absolute_url()}report.pdf")

    @extend_schema_field(OpenApiTypes.URI)
    def get_annex_csv(self, report) -> str:
        return absolute(self.context.get("request"), f"{report.get_absolute_url()}annex.csv")

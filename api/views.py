"""The open data API, version 1: read-only, anonymous, paginated, cached like the public pages.

Each list reads its rows through the apps' selectors in a constant number of queries. The
answers are the same for every anonymous client, so the public-page cache keeps them under
the data version (never stale); what is rendered is rate-limited per client
(``api.throttling``). JSON only: a cached answer must not depend on the Accept header.
"""

import io

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from api import serializers
from common import csv as safe_csv
from common.publicpages import public_page
from members import selectors as member_selectors
from members.enums import CityStatus
from members.models import City
from presidency import selectors as presidency_selectors
from presidency.models import Election, Summit
from reports import selectors as report_selectors
from secretariat.enums.applications import ApplicationState
from secretariat.models import Application
from secretariat.selectors import workspace as workspace_selectors
from workinggroups import selectors as group_selectors
from workinggroups.models import Attendance, GroupMembership, Meeting

STATUS_PARAMETER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    enum=CityStatus.values,
    description="Only the cities of this status: `active` (the member list) or `withdrawn`.",
)


def with_admission(cities):
    """The year of the summit of each city's latest admission (a city may leave and be
    admitted again), as ``admitted_at``."""
    return cities.annotate(
        admitted_at=Subquery(
            Application.objects.filter(city=OuterRef("pk"), state=ApplicationState.ADMITTED)
            .order_by("-summit__starts_on")
            .values("summit__year")[:1]
        )
    )


def cities_queryset(status: str | None = None):
    cities = with_admission(City.objects.select_related("country")).order_by(
        "country__name", "name"
    )
    if status in CityStatus.values:
        cities = cities.filter(status=status)
    return cities


@public_page
@extend_schema_view(
    list=extend_schema(
        summary="Member cities",
        description="Every city that is or was a member, in the member list's order (country, "
        "name). `?status=active` gives the member list of the website.",
        parameters=[STATUS_PARAMETER],
    ),
    retrieve=extend_schema(summary="One member city"),
)
class CityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CitySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return cities_queryset(self.request.query_params.get("status"))


@public_page
@extend_schema_view(
    list=extend_schema(summary="Presidential mandates", description="Latest year first."),
    retrieve=extend_schema(summary="The mandate of one year"),
)
class MandateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.MandateSerializer
    lookup_field = "year"

    def get_queryset(self):
        return presidency_selectors.mandates().order_by("-year")


def _summits():
    return presidency_selectors.summits().select_related("election__elected__city")


class _ElectionOrNone:
    """``summit.election`` raises when there is none; the serializers want None."""

    @staticmethod
    def attach(summit: Summit) -> Summit:
        try:
            summit.election_or_none = summit.election
        except Election.DoesNotExist:
            summit.election_or_none = None
        return summit


@public_page
@extend_schema_view(
    list=extend_schema(
        summary="Annual Summits",
        description="Latest year first, each with the state of its election. A summit's own "
        "address adds the counts of every closed round.",
    ),
    retrieve=extend_schema(
        summary="One summit with its election's results",
        description="Per round: the electorate, the ballots, the abstentions and the ballots "
        "per candidate. Never a city's choice: in a secret ballot the portal does not link a "
        "choice to a city at all.",
    ),
)
class SummitViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "year"

    def get_queryset(self):
        return _summits().order_by("-year")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SummitDetailSerializer
        return serializers.SummitSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else [_ElectionOrNone.attach(s) for s in page]

    def retrieve(self, request, *args, **kwargs):
        summit = _ElectionOrNone.attach(self.get_object())
        election = summit.election_or_none
        results = presidency_selectors.round_results(election) if election else []
        context = {**self.get_serializer_context(), "results": results}
        return Response(serializers.SummitDetailSerializer(summit, context=context).data)


def _groups():
    meetings = Meeting.objects.order_by("-starts_at").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("city"))
    )
    return (
        group_selectors.public_groups()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("city").order_by("city__name"),
            ),
            Prefetch("meetings", queryset=meetings, to_attr="public_meetings"),
        )
        .order_by("name")
    )


@public_page
@extend_schema_view(
    list=extend_schema(
        summary="Working groups",
        description="Active and closed groups with their member cities and their meetings.",
    ),
    retrieve=extend_schema(summary="One working group"),
)
class WorkingGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.WorkingGroupSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return _groups()


@public_page
@extend_schema_view(
    list=extend_schema(
        summary="Recommendations",
        description="Every recommendation of the network (rule M5) with how many active member "
        "cities follow it.",
    ),
)
class RecommendationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.RecommendationSerializer

    def get_queryset(self):
        recommendations, _members = workspace_selectors.recommendations_with_rates()
        return recommendations


@public_page
@extend_schema_view(
    list=extend_schema(summary="Published annual reports", description="Latest year first."),
    retrieve=extend_schema(summary="One published annual report"),
)
class AnnualReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AnnualReportSerializer
    lookup_field = "year"

    def get_queryset(self):
        return report_selectors.published_reports().order_by("-year")


# --- CSV downloads ---------------------------------------------------------------------


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 (Kırklareli, Durrës) only with a BOM
    writer = safe_csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page
def cities_csv(request: HttpRequest) -> HttpResponse:
    """The member list (active cities) as CSV, in the website's order."""
    cities = with_admission(member_selectors.cities_for_list())
    rows = (
        [
            city.slug,
            city.name,
            city.country.code,
            city.country.name,
            city.latitude,
            city.longitude,
            "yes" if city.is_founding else "no",
            city.joined_on.isoformat(),
            serializers.CitySerializer().get_joined_at_summit(city),
            city.website,
        ]
        for city in cities
    )
    header = [
        "slug",
        "name",
        "country",
        "country_name",
        "latitude",
        "longitude",
        "is_founding",
        "joined_on",
        "joined_at_summit",
        "website",
    ]
    day = timezone.localdate().isoformat()
    return _csv(f"b40-member-cities-{day}.csv", header, rows)


@public_page
def mandates_csv(request: HttpRequest) -> HttpResponse:
    """Every presidential mandate as CSV, latest year first."""
    rows = (
        [
            mandate.year,
            mandate.city.slug,
            mandate.city.name,
            mandate.city.country.code,
            mandate.mayor.name if mandate.mayor else "",
            mandate.elected_at.year if mandate.elected_at else "",
        ]
        for mandate in presidency_selectors.mandates().order_by("-year")
    )
    header = ["year", "city", "city_name", "country", "mayor", "elected_at_summit"]
    return _csv("b40-mandates.csv", header, rows)

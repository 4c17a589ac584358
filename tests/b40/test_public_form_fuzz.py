"""The public forms and pages under arbitrary input (RELIABILITY 14, 17, 27), beyond the
field fuzz in tests/secretariat: any keys, repeated values, missing or forged tokens, and an
alphabet that holds what broke PostgreSQL in the probe (issue 19): NUL and other control
characters, Cyrillic letters that fold to several Latin ones, CJK, combining marks, and very
long strings. Only 200/302/400 come back from the forms (never a 500, also on PostgreSQL,
which refuses NUL in text and longer values than a column's), no GET of the site with any
query string or path value answers 5xx, markup is escaped on every page that shows it, and
a bot that fills the honeypot or posts too fast leaves nothing behind."""

import string
from urllib.parse import quote

from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from members.models import City
from presidency.models import Candidacy
from secretariat.forms.applications import ApplicationForm
from secretariat.models.applications import Application
from tests.b40.test_hostile_urls import GROUP, every_route
from tests.factories import ApplicationFactory, SecretariatUserFactory
from tests.secretariat.test_applications_views import URL, form_data, form_token

# What the probe found hard: drawn often, next to anything else Unicode has.
HARD = list(
    "\x00\x01\x08\x0b\x1b\x7f\x85ЩШЮщжЁ北京市朝阳区\u0301\u0308\u20dd\u200b\ufeff＝＋'\"<>&%/;\\"
)
CHARACTER = st.one_of(st.sampled_from(HARD), st.characters(blacklist_categories=("Cs",)))
SHORT_TEXT = st.text(alphabet=CHARACTER, max_size=120)
# Very long: past every column (100-5,000), and names that fold to four times their length.
LONG_TEXT = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["Щ", "北", "e\u0301", "x", "\x00", "Ш Ю "]),
    st.integers(20, 6000),
)
ANY_TEXT = st.one_of(SHORT_TEXT, SHORT_TEXT, LONG_TEXT)
FIELDS = sorted(ApplicationForm.base_fields)
VALUE = st.one_of(ANY_TEXT, st.lists(ANY_TEXT, min_size=0, max_size=3))
KEY = st.one_of(st.sampled_from(FIELDS), st.text(string.ascii_letters + "_[]", max_size=12))
MARKER = "<script>b40fuzz</script>"
FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(fields=st.dictionaries(KEY, VALUE, max_size=20), start_valid=st.booleans())
# What the probe found, always tried (the draws find their like only now and then).
@example(fields={"city_name": "Щ" * 30}, start_valid=True)
@example(fields={"city_name": "乌鲁木齐市天山区和平北路社区" * 2}, start_valid=True)
@example(fields={"city_name": "a\x00b"}, start_valid=True)
def test_any_post_gets_200_302_or_400(client, db, settings, fields, start_valid):
    settings.APPLICATION_RATE_LIMIT = "100000/h"
    data = {**(form_data() if start_valid else {}), **fields}
    response = client.post(URL, data)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert client.get(response.url).status_code == 200


@FUZZ
@given(
    field=st.sampled_from(
        ["city_name", "mayor_name", "contact_name", "contact_position", "motivation"]
    ),
    before=st.text(alphabet=string.ascii_letters + " ", max_size=20),
)
def test_markup_is_escaped_on_the_form_and_on_the_pages_after_it(
    client, db, settings, field, before
):
    settings.APPLICATION_RATE_LIMIT = "100000/h"
    response = client.post(URL, form_data(**{field: before + MARKER}), follow=True)
    assert response.status_code == 200
    pages = [response.content.decode()]
    application = Application.objects.order_by("pk").last()
    if application is not None:
        pages.append(client.get(application.get_status_url()).content.decode())
    for page in pages:
        assert MARKER not in page


@FUZZ
@given(honeypot=st.text(min_size=1, max_size=40).filter(str.strip), age=st.integers(0, 4))
def test_bots_are_turned_away_without_storing_anything(client, db, settings, honeypot, age):
    settings.APPLICATION_RATE_LIMIT = "100000/h"
    # Well above the token's age: the token's time is truncated to the second, and a loaded
    # machine may take a while between writing the token and checking it.
    settings.APPLICATION_MIN_FILL_SECONDS = 10
    client.post(URL, form_data(homepage=honeypot))  # the hidden field filled
    client.post(URL, form_data(form_token=form_token(age=age)))  # faster than a person
    assert not Application.objects.exists()


# --- the other public forms, every GET, the admin's filters (issue 19) ----------------

FORMS = {
    "login": ["username", "password", "next"],
    "password_reset": ["email"],
    "admin:login": ["username", "password", "next"],
    "set_language": ["language", "next"],
}
SITE_ROUTES = [route for route in every_route() if not route.startswith("admin/")]
PARAMETER_ROUTES = [route for route in SITE_ROUTES if GROUP.search(route)]
# Parameter names of the admin's change lists, plus the lookups its filters build.
LOOKUPS = ["", "__exact", "__gte", "__lt", "__in", "__isnull", "__id__exact", "__year"]


@FUZZ
@given(
    name=st.sampled_from(sorted(FORMS)),
    values=st.lists(ANY_TEXT, min_size=3, max_size=3),
    extra=st.dictionaries(st.text(string.ascii_letters, max_size=8), ANY_TEXT, max_size=3),
)
def test_the_other_public_forms_answer_200_302_or_400(client, db, settings, name, values, extra):
    settings.PASSWORD_RESET_RATE_PER_CLIENT = settings.PASSWORD_RESET_RATE_PER_ADDRESS = "1000/h"
    data = {**extra, **dict(zip(FORMS[name], values, strict=False))}
    response = client.post(reverse(name), data)
    assert response.status_code in (200, 302, 400)


@FUZZ
@given(reason=ANY_TEXT, confirm=st.one_of(st.just("on"), ANY_TEXT))
def test_the_status_page_withdrawal_answers_200_302_or_400(client, db, reason, confirm):
    application = ApplicationFactory()
    data = {"reason": reason, "confirm": confirm}
    assert client.post(application.get_status_url(), data).status_code in (200, 302, 400)


@FUZZ
@given(
    route=st.one_of(st.sampled_from(PARAMETER_ROUTES), st.sampled_from(SITE_ROUTES)),
    value=ANY_TEXT,
    query=st.dictionaries(
        st.one_of(st.sampled_from(["q", "page", "next", "p", "o", "year"]), SHORT_TEXT),
        st.one_of(ANY_TEXT, st.lists(SHORT_TEXT, max_size=3)),
        max_size=4,
    ),
)
@example(route="cities/", value="", query={"q": "\x00"})
@example(route="cities/", value="", query={"q": "a\x00b"})
@example(route="apply/status/<str:token>/", value="\x00", query={})
@example(route="apply/sent/<str:token>/", value="\x00", query={})
def test_any_get_of_the_site_answers_below_500(db, route, value, query):
    # A 500 is an answer to look at, not an exception to stop at; a new client, no cookies.
    client = Client(raise_request_exception=False)
    path = "/" + GROUP.sub(quote(value, safe="") or "x", route)
    response = client.get(path, query)
    assert response.status_code < 500, (path, query)


ADMIN_MODELS = [model for model in apps.get_models() if admin.site.is_registered(model)]


def concrete_fields(model) -> list[str]:
    return [field.name for field in model._meta.get_fields() if field.concrete]


FIELDS_OF_CITY = concrete_fields(City)


@FUZZ
@given(
    model=st.sampled_from(ADMIN_MODELS),
    lookups=st.lists(st.tuples(st.integers(0, 50), st.sampled_from(LOOKUPS), ANY_TEXT), max_size=3),
    search=st.one_of(st.none(), ANY_TEXT),
)
@example(model=City, lookups=[(FIELDS_OF_CITY.index("status"), "__exact", "\x00")], search=None)
# 994 words: one OR-group each, an expression too deep for SQLite, until the admin site kept
# a search to its first ten words (b40/admin_site.bound_search).
@example(model=Candidacy, lookups=[], search="Ш Ю " * 497)
def test_any_admin_filter_answers_below_500(db, model, lookups, search):
    client = Client(raise_request_exception=False)
    client.force_login(SecretariatUserFactory())
    fields = concrete_fields(model)
    query = {fields[i % len(fields)] + lookup: value for i, lookup, value in lookups}
    if search is not None:
        query["q"] = search
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, query)
    assert response.status_code < 500, (url, query)

"""The public form under arbitrary posts (RELIABILITY 14, 17), beyond the field fuzz in
tests/secretariat: any keys, repeated values, NUL and control characters, missing or
forged tokens. Only 200/302/400 come back (never a 500, also on PostgreSQL, which
refuses NUL in text), markup is escaped on every page that shows it, and a bot that
fills the honeypot or posts too fast leaves nothing behind."""

import string

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from secretariat.forms.applications import ApplicationForm
from secretariat.models.applications import Application
from tests.secretariat.test_applications_views import URL, form_data, form_token

FIELDS = sorted(ApplicationForm.base_fields)
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
VALUE = st.one_of(ANY_TEXT, st.lists(ANY_TEXT, min_size=0, max_size=3))
KEY = st.one_of(st.sampled_from(FIELDS), st.text(string.ascii_letters + "_[]", max_size=12))
MARKER = "<script>b40fuzz</script>"
FUZZ = hypothesis_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(fields=st.dictionaries(KEY, VALUE, max_size=20), start_valid=st.booleans())
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

"""What a reader trips over (issue 18): numbers, a role mid-sentence, times in the markup."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import City
from tests.factories.workspace import AnnouncementFactory


@pytest.mark.parametrize(
    ("language", "written"), [("en", "68,000"), ("bg", "68\xa0000"), ("tr", "68.000")]
)
def test_a_citys_population_is_written_as_the_language_writes_numbers(
    client, db, language, written
):
    City.objects.filter(slug="edirne").update(population=68000)
    html = client.get("/cities/edirne/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<dd class="col-sm-9">{written}</dd>' in html


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "You act for this city as its mayor."),
        ("bg", "Действате от името на този град като негов кмет."),
        ("tr", "Bu şehir adına belediye başkanı olarak işlem yapıyorsunuz."),
    ],
)
def test_the_role_inside_a_sentence_is_not_capitalised(mayor_client, language, sentence):
    mayor_client.cookies["django_language"] = language
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert sentence in html


def test_time_elements_give_at_most_whole_seconds(client, db):
    sent = timezone.now().replace(microsecond=383672)
    AnnouncementFactory(title="Summit news", sent_at=sent, is_public=True)
    html = client.get(reverse("secretariat:news-list")).content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps == [timezone.localtime(sent).replace(microsecond=0).isoformat()]


def test_date_inputs_carry_iso_dates_in_every_language(mayor_client):
    """<input type="date"> takes 2026-12-04 only; Turkish wrote 04/12/2026 (a blank picker)."""
    mayor_client.cookies["django_language"] = "tr"
    html = mayor_client.get(reverse("secretariat:person-add")).content.decode()
    value = re.search(r'<input type="date" name="started_on" value="([^"]+)"', html).group(1)
    assert value == timezone.localdate().isoformat()

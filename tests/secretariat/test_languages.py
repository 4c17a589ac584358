"""The portal in English, Bulgarian and Turkish: choosing the language, the public pages and
the membership form in each, content written in several languages, dates per language."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from outbox.models import Mail
from secretariat.enums.applications import ApplicationState
from secretariat.models.applications import Application
from secretariat.services import applications as services
from tests.factories import RecommendationFactory
from tests.secretariat.test_applications_views import URL as APPLY_URL
from tests.secretariat.test_applications_views import form_data
from tests.secretariat.test_public_pages import PUBLIC_PAGES

# What the navigation says in each language: shown on every page.
NAVIGATION = {
    "en": ["Working groups", "Member cities", "Apply to join"],
    "bg": ["Работни групи", "Градове членове", "Членство"],
    "tr": ["Çalışma grupları", "Üye şehirler", "Üyelik başvurusu"],
}
PAGES = [
    *PUBLIC_PAGES,
    ("secretariat:application-create", {}),
    ("secretariat:news-list", {}),
    ("secretariat:recommendation-list", {}),
]


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request leaves its language active in the thread: start and end each test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def in_language(client, code: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


@pytest.mark.parametrize("code", ["en", "bg", "tr"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_public_page_in_each_language(client, db, name, kwargs, code):
    response = in_language(client, code).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    for label in NAVIGATION[code]:
        assert f">{label}<" in html
    if code != "en":
        for label in NAVIGATION["en"]:
            assert f">{label}<" not in html


def test_first_visit_takes_the_browsers_language(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="tr">' in html and ">Çalışma grupları<" in html
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert '<html lang="bg">' in html
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="en">' in html  # a language the portal does not speak: English


def test_the_chosen_language_beats_the_browsers(client, db):
    in_language(client, "bg")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert '<html lang="bg">' in html


def test_every_page_links_to_each_language_back_to_the_same_page(client, db):
    html = client.get(reverse("secretariat:city-list"), {"q": "dur"}).content.decode()
    for code in ("en", "bg", "tr"):
        assert f'href="/language/{code}/?next=/cities/%3Fq%3Ddur"' in html
    assert ">български<" in html and ">Türkçe<" in html


def test_switching_language_keeps_the_page_and_the_url(client, db):
    response = client.get(reverse("secretariat:language", args=["tr"]), {"next": "/cities/?q=dur"})
    assert response.status_code == 302
    assert response.url == "/cities/?q=dur"  # no language prefix: links stay stable
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "tr"
    html = client.get(response.url).content.decode()
    assert '<html lang="tr">' in html and "Durrës" in html


def test_switching_language_refuses_other_sites_and_unknown_languages(client, db):
    response = client.get(
        reverse("secretariat:language", args=["bg"]), {"next": "https://evil.example/"}
    )
    assert response.url == "/"
    assert client.get(reverse("secretariat:language", args=["de"])).status_code == 404
    assert client.post(reverse("secretariat:language", args=["bg"])).status_code == 405


@pytest.mark.parametrize(
    ("code", "label", "confirmation", "subject"),
    [
        ("en", "Why does your city want to join?", "Thank you", "Your B40 membership application"),
        ("bg", "Защо вашият град иска да се присъедини?", "Благодарим ви", "Вашето заявление"),
        ("tr", "Şehriniz neden katılmak istiyor?", "Teşekkürler", "B40 üyelik başvurunuz"),
    ],
)
def test_membership_form_in_each_language(
    client, db, django_capture_on_commit_callbacks, code, label, confirmation, subject
):
    in_language(client, code)
    assert label in client.get(APPLY_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the mails: after the commit
        response = client.post(APPLY_URL, form_data())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.language == code
    page = client.get(response.url).content.decode()
    assert f'<html lang="{code}">' in page and confirmation in page
    to_applicant, to_secretariat = Mail.objects.order_by("id")
    assert to_applicant.subject.startswith(subject)
    # rule T2: the secretariat works in English, whatever the applicant's language
    assert to_secretariat.subject.startswith("New membership application: Ljubljana")


def test_form_errors_in_the_visitors_language(client, db):
    response = in_language(client, "tr").post(APPLY_URL, form_data(city_name=""))
    assert response.status_code == 200
    assert "Şehrinizin adını girin." in response.content.decode()


def test_later_mails_use_the_applicants_language_not_the_staffs(client, db, secretariat_user):
    in_language(client, "tr").post(APPLY_URL, form_data())
    application = Application.objects.get()
    with translation.override("en"):  # the secretariat works in English
        services.transition_application(
            application=application, to_state=ApplicationState.UNDER_REVIEW, by=secretariat_user
        )
    sent = Mail.objects.get(kind="application-changed")
    assert sent.subject == f"B40 üyelik başvurunuz {application.reference}: İnceleniyor"
    assert "Sayın Maja Novak," in sent.body
    assert "B40 Daimi Sekretaryası" in sent.body


def test_content_falls_back_to_english(client, db):
    recommendation = RecommendationFactory(title="Plan for heat waves", text="Shade and water.")
    url = recommendation.get_absolute_url()
    html = in_language(client, "bg").get(url).content.decode()
    assert "Plan for heat waves" in html and "Shade and water." in html
    recommendation.title_bg = "План за горещите вълни"
    recommendation.save()
    html = client.get(url).content.decode()
    assert "План за горещите вълни" in html and "Plan for heat waves" not in html
    assert "Shade and water." in html  # the text is not translated yet: English
    html = in_language(client, "tr").get(url).content.decode()
    assert "Plan for heat waves" in html


def test_content_written_in_one_language_is_kept_per_language(db):
    recommendation = RecommendationFactory(title="Heat plan")
    with translation.override("tr"):
        recommendation.title = "Sıcak hava planı"
        recommendation.save()
    recommendation.refresh_from_db()
    assert (recommendation.title_en, recommendation.title_tr) == ("Heat plan", "Sıcak hava planı")
    assert recommendation.history.first().title_tr == "Sıcak hava planı"


def test_admin_takes_each_language_and_needs_english(secretariat_client):
    url = reverse("admin:secretariat_recommendation_add")
    data = {
        "year": "2026",
        "title_en": "",
        "title_bg": "Обща поръчка",
        "text_en": "Buy together.",
        "adopted_by": "presidency",
        "adopted_on": "2026-03-01",
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
    }
    assert secretariat_client.post(url, data).status_code == 200  # English is required
    data["title_en"] = "Joint procurement"
    data["title_tr"] = "Ortak satın alma"
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    from secretariat.models import Recommendation

    recommendation = Recommendation.objects.get()
    assert (recommendation.title_en, recommendation.title_bg, recommendation.title_tr) == (
        "Joint procurement",
        "Обща поръчка",
        "Ortak satın alma",
    )


@pytest.mark.parametrize(
    ("code", "date", "moment"),
    [
        ("en", "30 November 2021", "30 November 2021, 16:05"),
        ("bg", "30 ноември 2021 г.", "30 ноември 2021 г., 16:05 ч."),
        ("tr", "30 Kasım 2021", "30 Kasım 2021 16:05"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(code, date, moment):
    when = datetime.datetime(2021, 11, 30, 16, 5)
    with translation.override(code):
        assert formats.date_format(when.date(), "DATE_FORMAT") == date
        assert formats.date_format(when, "DATETIME_FORMAT") == moment


@pytest.mark.parametrize(
    ("code", "number"), [("en", "1,234.5"), ("bg", "1\xa0234,5"), ("tr", "1.234,5")]
)
def test_numbers_are_written_as_each_language_writes_them(code, number):
    with translation.override(code):
        assert formats.number_format(1234.5, 1, force_grouping=True) == number


def test_mails_to_the_network_are_in_english_whatever_the_senders_language(mayor):
    from members.services import invite_city_user

    with translation.override("tr"):  # a secretariat member browsing the admin in Turkish
        invite_city_user(user=mayor)
    invitation = Mail.objects.get(kind="invitation")
    assert invitation.subject == "Your B40 portal account for Tirana"
    assert "Set your password here" in invitation.body


def test_country_names_in_the_readers_language(client, db):
    html = in_language(client, "tr").get(reverse("secretariat:city-list")).content.decode()
    assert ">Yunanistan <" in html and ">Arnavutluk <" in html
    html = in_language(client, "bg").get(reverse("secretariat:city-list")).content.decode()
    assert ">Гърция <" in html
    html = in_language(client, "en").get(reverse("secretariat:city-list")).content.decode()
    assert ">Greece <" in html


def test_founding_groups_topics_in_each_language(client, db):
    url = reverse(
        "workinggroups:group-detail", kwargs={"slug": "smart-cities-and-digital-transformation"}
    )
    html = in_language(client, "bg").get(url).content.decode()
    assert "Дигитални публични услуги, отворени данни и умна градска инфраструктура." in html
    html = in_language(client, "tr").get(url).content.decode()
    assert "Dijital kamu hizmetleri, açık veri ve akıllı kentsel altyapı." in html
    html = in_language(client, "en").get(url).content.decode()
    assert "Digital public services, open data and smart urban infrastructure." in html


def test_the_secretariat_sees_the_applicants_language(client, secretariat_client, db):
    in_language(client, "bg").post(APPLY_URL, form_data())
    application = Application.objects.get()
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:secretariat_application_change", args=[application.pk])
    html = secretariat_client.get(url).content.decode()
    assert '<div class="readonly">Bulgarian</div>' in html

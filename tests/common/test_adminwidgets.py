"""Every admin page of ours names each of its form fields and writes valid form markup
(issue 18), checked without a browser on the HTML the server sends.

The accessibility crawl (tests/e2e/test_accessibility.py) checks the same in Chromium with
axe-core and the Nu HTML Checker, on one change form per model of the demo; these tests
check every admin page of our apps (its list, its add form, a change form), fast, and so
fail for a new admin that forgets ``AccessibleFieldsAdmin`` or a template that loses its
labels. What the admin's scripts build in the browser (select2, filter_horizontal) is left
to the crawl.
"""

import html5lib
import pytest
from django.urls import reverse

from common.publicpages import project_apps
from members.models import City, User
from tests.admin import registered_admins
from tests.factories import PersonFactory

# Input types a person does not fill in, which need no label.
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
# The elements HTML lets be "disabled".
DISABLEABLE = {"button", "input", "select", "textarea", "optgroup", "option", "fieldset"}


def form_markup_problems(html: str) -> list[str]:
    """What in ``html`` leaves a field nameless or is invalid form markup."""
    root = html5lib.parse(html, namespaceHTMLElements=False)
    parents = {child: parent for parent in root.iter() for child in parent}
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    labelled = {element.get("for") for element in root.iter("label") if element.get("for")}
    problems = []

    def inside_label(element) -> bool:
        while element in parents:
            element = parents[element]
            if element.tag == "label":
                return True
        return False

    for element in root.iter():
        tag, name = element.tag, element.get("id") or element.get("name")
        for attribute in ("aria-describedby", "aria-labelledby"):
            missing = [ref for ref in (element.get(attribute) or "").split() if ref not in ids]
            if missing:
                problems.append(f"{tag} {name}: {attribute} names no element: {missing}")
        if element.get("disabled") is not None and tag not in DISABLEABLE:
            problems.append(f"{tag} {name}: a {tag} cannot be disabled")
        if tag in {"input", "select", "textarea"}:
            if tag == "input" and (element.get("type") or "text") in UNLABELLED_TYPES:
                continue
            if not (
                (element.get("id") and element.get("id") in labelled)
                or (element.get("aria-label") or "").strip()
                or element.get("aria-labelledby")
                or inside_label(element)
            ):
                problems.append(f"{tag} {name}: no label")
        if tag == "select" and element.get("required") is not None:
            options = list(element.iter("option"))
            single = element.get("multiple") is None and int(element.get("size") or 1) <= 1
            if single and (not options or options[0].get("value") != ""):
                problems.append(f"select {name}: required, but no empty first option")
        if tag == "option" and not "".join(element.itertext()) and not element.get("label"):
            problems.append(f"option in {name or 'a select'}: empty, with no label")
    return problems


def admin_pages() -> list[str]:
    """Every admin page of our apps: its change list, add form and first change form."""
    pages = []
    for model, _model_admin in registered_admins():
        opts = model._meta
        if opts.app_label not in project_apps():
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
    return pages


def test_form_markup_problems_finds_what_django_writes_wrong():
    """The check itself: it sees each defect the crawl found in Django 5.2's admin."""
    html = """
        <th>Name</th><td><input type="text" name="people-0-name" id="id_people-0-name"></td>
        <input type="checkbox" id="id_form-0-eligible" aria-describedby="id_form-0-e_helptext">
        <select name="country" required id="id_country"><option value="3" selected>Greece
        </option></select><label for="id_country">Country</label>
        <label for="id_city">City</label><select id="id_city"><option value=""></option></select>
        <div disabled id="id_password"></div>
    """
    assert form_markup_problems(html) == [
        "input id_people-0-name: no label",
        "input id_form-0-eligible: aria-describedby names no element: ['id_form-0-e_helptext']",
        "input id_form-0-eligible: no label",
        "select id_country: required, but no empty first option",
        "option in a select: empty, with no label",
        "div id_password: a div cannot be disabled",
    ]


@pytest.mark.django_db
def test_every_admin_page_names_its_fields_and_writes_valid_form_markup(admin_client):
    # Rows for the inlines, so their filled rows are checked as well as their empty ones.
    PersonFactory(city=City.objects.order_by("pk").first())
    pages = admin_pages()
    assert len(pages) > 50  # our apps' admin, not an empty registry
    problems = []
    for page in pages:
        response = admin_client.get(page)
        if response.status_code == 403:
            continue  # no add form (a city is admitted, a ballot attempt is logged…)
        assert response.status_code == 200, page
        problems += [f"{page}: {problem}" for problem in form_markup_problems(response.text)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_tabular_inline_names_each_input_by_its_column(admin_client):
    city = City.objects.order_by("pk").first()
    PersonFactory(city=city, name="Ana")
    html = admin_client.get(reverse("admin:members_city_change", args=[city.pk])).text
    assert '<label class="visually-hidden" for="id_people-0-name">Name</label>' in html
    assert '<label class="visually-hidden" for="id_people-0-role">Role</label>' in html
    # The empty row the "Add another" link copies is labelled too.
    assert '<label class="visually-hidden" for="id_people-__prefix__-email">' in html


@pytest.mark.django_db
def test_editable_column_is_named_by_its_column_and_row(admin_client):
    html = admin_client.get(reverse("admin:members_country_changelist")).text
    assert 'aria-label="Eligible for membership: Greece"' in html
    assert "aria-describedby" not in html


def options(html: str, select_id: str) -> list[dict]:
    """The attributes of the options of the select ``select_id`` in ``html``."""
    root = html5lib.parse(html, namespaceHTMLElements=False)
    select = next(e for e in root.iter("select") if e.get("id") == select_id)
    return [dict(option.attrib) for option in select.iter("option")]


@pytest.mark.django_db
def test_autocomplete_starts_with_an_empty_labelled_option(admin_client):
    # A required one (the summit's host city) with nothing chosen yet, and an optional one
    # (a working group's coordinating city).
    add_summit = admin_client.get(reverse("admin:presidency_summit_add")).text
    assert options(add_summit, "id_host_city") == [{"value": "", "label": "---------"}]
    add_group = admin_client.get(reverse("admin:workinggroups_workinggroup_add")).text
    assert options(add_group, "id_coordinating_city") == [{"value": "", "label": "---------"}]
    # A required one with its choice made (a person's city): the empty option, then the choice.
    person = PersonFactory(city=City.objects.order_by("pk").first())
    change = admin_client.get(reverse("admin:members_person_change", args=[person.pk])).text
    assert options(change, "id_city") == [
        {"value": "", "label": "---------"},
        {"value": str(person.city_id), "selected": ""},
    ]


@pytest.mark.django_db
def test_split_date_time_labels_date_and_time(admin_client):
    html = admin_client.get(reverse("admin:presidency_summit_add")).text
    assert '<label for="id_registration_deadline_0">Date:</label>' in html
    assert '<label for="id_registration_deadline_1">Time:</label>' in html


@pytest.mark.django_db
def test_read_only_password_is_a_plain_div(admin_client):
    user = User.objects.get(username="admin")
    html = admin_client.get(reverse("admin:members_user_change", args=[user.pk])).text
    assert '<div id="id_password">' in html

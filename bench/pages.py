"""The pages the benchmark loads: (name, kind, url).

Kinds: floor, public, form, city, admin, post (bench/run.py gives each its target)."""


def pages() -> list[tuple[str, str, str]]:
    from members.models import City
    from presidency.models import Summit
    from workinggroups.models import WorkingGroup

    city = City.objects.order_by("-pk").first()
    group = WorkingGroup.objects.order_by("pk").first()
    summit = Summit.objects.filter(election__isnull=False).order_by("-year").first()
    summit = summit or Summit.objects.order_by("-year").first()
    return [
        ("healthz", "floor", "/healthz"),
        ("home", "public", "/"),  # with the map of every member city
        ("member cities", "public", "/cities/"),
        ("a city", "public", city.get_absolute_url()),
        ("working groups", "public", "/working-groups/"),
        ("a group", "public", group.get_absolute_url()),
        ("presidency timeline", "public", "/presidency/"),
        ("a summit", "public", summit.get_absolute_url()),
        ("calendar feed", "public", "/working-groups/calendar.ics"),
        ("membership form", "form", "/apply/"),
        ("API: member cities", "public", "/api/v1/cities/"),
        ("API: summits", "public", "/api/v1/summits/"),
        ("API: member cities CSV", "public", "/api/v1/cities.csv"),
        ("city dashboard", "city", "/my-city/"),
        ("admin: cities", "admin", "/admin/members/city/"),
        ("admin: people", "admin", "/admin/members/person/"),
        ("admin: mails", "admin", "/admin/outbox/mail/"),
        # Last: every post adds an application, which flushes the public pages' cache.
        ("membership form POST", "post", "/apply/"),
    ]

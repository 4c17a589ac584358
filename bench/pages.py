"""The pages the benchmark loads: (name, kind, url). Kinds: public, city, admin, post."""


def pages() -> list[tuple[str, str, str]]:
    from members.models import City
    from presidency.models import Summit
    from workinggroups.models import WorkingGroup

    city = City.objects.order_by("-pk").first()
    group = WorkingGroup.objects.order_by("pk").first()
    summit = Summit.objects.order_by("-year").first()
    return [
        ("healthz", "floor", "/healthz"),
        ("home", "public", "/"),
        ("member cities", "public", "/cities/"),
        ("a city", "public", city.get_absolute_url()),
        ("working groups", "public", "/working-groups/"),
        ("a group", "public", group.get_absolute_url()),
        ("presidency timeline", "public", "/presidency/"),
        ("a summit", "public", summit.get_absolute_url()),
        ("city dashboard", "city", "/my-city/"),
        ("admin: cities", "admin", "/admin/members/city/"),
        ("admin: people", "admin", "/admin/members/person/"),
        ("admin: mails", "admin", "/admin/outbox/mail/"),
    ]

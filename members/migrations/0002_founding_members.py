"""The founding members of the B40 network (facts F1–F3, rule M1) and the Secretariat group."""

import datetime

from django.db import migrations

from members.permissions import grant_model_permissions

FOUNDED_ON = datetime.date(2021, 11, 30)

# (ISO code, name); Slovenia is eligible but not a founder (rule M2).
COUNTRIES = [
    ("TR", "Türkiye"),
    ("RS", "Serbia"),
    ("GR", "Greece"),
    ("BA", "Bosnia and Herzegovina"),
    ("ME", "Montenegro"),
    ("BG", "Bulgaria"),
    ("HR", "Croatia"),
    ("AL", "Albania"),
    ("MK", "North Macedonia"),
    ("RO", "Romania"),
    ("XK", "Kosovo"),
    ("SI", "Slovenia"),
]

# (name, ASCII slug, search name, country, signed through) — fact F2.
FOUNDERS = [
    ("Istanbul", "istanbul", "istanbul", "TR", "mayor"),
    ("Belgrade", "belgrade", "belgrade", "RS", "mayor"),
    ("Athens", "athens", "athens", "GR", "mayor"),
    ("Sarajevo", "sarajevo", "sarajevo", "BA", "mayor"),
    ("Thessaloniki", "thessaloniki", "thessaloniki", "GR", "mayor"),
    ("Podgorica", "podgorica", "podgorica", "ME", "mayor"),
    ("Kardzhali", "kardzhali", "kardzhali", "BG", "mayor"),
    ("Kotor", "kotor", "kotor", "ME", "mayor"),
    ("Split", "split", "split", "HR", "mayor"),
    ("Laktaši", "laktasi", "laktasi", "BA", "mayor"),
    ("Dubrovnik", "dubrovnik", "dubrovnik", "HR", "mayor"),
    ("Tirana", "tirana", "tirana", "AL", "mayor"),
    ("Durrës", "durres", "durres", "AL", "mayor"),
    ("Skopje", "skopje", "skopje", "MK", "mayor"),
    ("Patras", "patras", "patras", "GR", "mayor"),
    ("Kırklareli", "kirklareli", "kirklareli", "TR", "mayor"),
    ("Shkodër", "shkoder", "shkoder", "AL", "mayor"),
    ("Edirne", "edirne", "edirne", "TR", "mayor"),
    ("Tekirdağ", "tekirdag", "tekirdag", "TR", "mayor"),
    ("Trikala", "trikala", "trikala", "GR", "mayor"),
    ("Pula", "pula", "pula", "HR", "mayor"),
    ("Constanța", "constanta", "constanta", "RO", "delegate"),
    ("Çanakkale", "canakkale", "canakkale", "TR", "delegate"),
    ("Pristina", "pristina", "pristina", "XK", "delegate"),
    ("Prizren", "prizren", "prizren", "XK", "delegate"),
]


def load(apps, schema_editor):
    Country = apps.get_model("members", "Country")
    City = apps.get_model("members", "City")
    countries = {
        code: Country.objects.get_or_create(code=code, defaults={"name": name, "eligible": True})[0]
        for code, name in COUNTRIES
    }
    for name, slug, search_name, code, signatory in FOUNDERS:
        City.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "search_name": search_name,
                "country": countries[code],
                "is_founding": True,
                "founding_signatory": signatory,
                "joined_on": FOUNDED_ON,
                "status": "active",
            },
        )
    grant_model_permissions(apps, app_label="members", models=["Country", "City", "Person"])
    grant_model_permissions(apps, app_label="members", models=["User"])
    # The outbox lives on the floor below and cannot import this helper: granted here.
    grant_model_permissions(apps, app_label="outbox", models=["Mail"], actions=["view", "change"])


def unload(apps, schema_editor):
    apps.get_model("members", "City").objects.filter(is_founding=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("outbox", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, unload)]

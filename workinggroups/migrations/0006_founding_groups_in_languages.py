"""The topics of the four founding working groups (rule W2) in Bulgarian and Turkish."""

from django.db import migrations

TRANSLATIONS = {
    "local-climate-action": {
        "topic_bg": "Адаптация към изменението на климата и смекчаване на последиците му в "
        "градовете: планове, зелена инфраструктура, енергия.",
        "topic_tr": "Şehirlerde iklim değişikliğine uyum ve etkilerinin azaltılması: planlar, "
        "yeşil altyapı, enerji.",
    },
    "local-democracy-and-migration": {
        "topic_bg": "Силно местно самоуправление, демократични ценности и градовете под "
        "бежански натиск.",
        "topic_tr": "Güçlü yerel yönetim, demokratik değerler ve mülteci baskısı altındaki "
        "şehirler.",
    },
    "smart-cities-and-digital-transformation": {
        "topic_bg": "Дигитални публични услуги, отворени данни и умна градска инфраструктура.",
        "topic_tr": "Dijital kamu hizmetleri, açık veri ve akıllı kentsel altyapı.",
    },
    "local-economic-cooperation": {
        "topic_bg": "Търговия, туризъм, инвестиции и работни места между градовете членове.",
        "topic_tr": "Üye şehirler arasında ticaret, turizm, yatırım ve istihdam.",
    },
}


def load(apps, schema_editor):
    WorkingGroup = apps.get_model("workinggroups", "WorkingGroup")
    for slug, values in TRANSLATIONS.items():
        group = WorkingGroup.objects.filter(slug=slug).first()
        if group is None:
            continue
        # Only where nobody has written a translation yet.
        changed = [field for field, value in values.items() if not getattr(group, field)]
        for field in changed:
            setattr(group, field, values[field])
        if changed:
            group.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("workinggroups", "0005_content_languages"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

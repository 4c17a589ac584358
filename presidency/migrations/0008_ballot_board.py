"""The ballot board (issue 20): a tracker per vote, the digest chain, the sealed board.

Votes cast before trackers existed get one drawn here, so that a round's trackers are
unique; nobody holds those, and their rounds have no sealed board (their count stays on
the summit's page, recounted from the votes as before).

Upgrade while no round is open: a ballot cast by older code has no tracker, and a round open
across the upgrade would hold votes outside the chain, which its close refuses.
"""

import secrets

from django.db import migrations, models

import presidency.board

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def draw_trackers(apps, schema_editor):
    Vote = apps.get_model("presidency", "Vote")
    taken = set()
    changed = []
    for vote in Vote.objects.only("pk", "round_id").iterator():
        while True:
            tracker = "".join(secrets.choice(ALPHABET) for _ in range(10))
            if (vote.round_id, tracker) not in taken:
                break
        taken.add((vote.round_id, tracker))
        vote.tracker = tracker
        changed.append(vote)
    Vote.objects.bulk_update(changed, ["tracker"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("presidency", "0007_presidency_doors"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballotrecord",
            name="tracker",
            field=models.CharField(blank=True, max_length=10, verbose_name="tracker (named vote)"),
        ),
        migrations.AddField(
            model_name="round",
            name="board",
            field=models.JSONField(
                blank=True, editable=False, null=True, verbose_name="ballot board"
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="board_digest",
            field=models.CharField(
                blank=True,
                help_text="Mailed to every member city when the round closed.",
                max_length=64,
                verbose_name="final digest of the ballot board",
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="chain_head",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="last digest of the ballot chain"
            ),
        ),
        migrations.AddField(
            model_name="vote",
            name="tracker",
            field=models.CharField(
                default=presidency.board.new_tracker, max_length=10, verbose_name="tracker"
            ),
        ),
        migrations.AddField(
            model_name="vote",
            name="previous",
            field=models.CharField(blank=True, max_length=64, verbose_name="previous digest"),
        ),
        migrations.AddField(
            model_name="vote",
            name="digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="digest"),
        ),
        migrations.RunPython(draw_trackers, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="vote",
            constraint=models.UniqueConstraint(
                fields=("round", "tracker"), name="presidency_vote_unique_tracker"
            ),
        ),
    ]

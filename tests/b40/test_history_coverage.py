"""Every change by staff or a city is kept as history with who and when (RELIABILITY 26).

- Every model the secretariat may add or change in the admin keeps a history
  (simple_history), or is listed here with the reason it needs none.
- No code of ours writes audited rows with ``QuerySet.update()`` or ``bulk_update()``,
  which skip the history (deletes through the ORM send the signals history records).
"""

import ast
from pathlib import Path

from django.test import RequestFactory

from tests.admin import registered_admins

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ["outbox", "members", "presidency", "workinggroups", "secretariat", "reports"]

# Written by staff, yet no history table — and why. (Rounds, lots and deliveries are
# read-only in the admin: their services record who and when on the row.)
NO_HISTORY = {
    "outbox.Mail": "a mail is its own log: state, attempts, last error, sent_at",
    "presidency.BallotRecord": "insert-only; records who cast or entered it and when",
}


def test_every_model_the_secretariat_writes_keeps_history(secretariat_user):
    request = RequestFactory().get("/admin/")
    request.user = secretariat_user
    without = set()
    for model, model_admin in registered_admins():
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if writes and not hasattr(model, "history"):
            without.add(model._meta.label)
    assert without == set(NO_HISTORY)


QUERYSET_MARKERS = ("objects", ".filter(", ".all(", ".exclude(", "select_for_update(")


def _queryset_names(tree: ast.AST) -> set[str]:
    """Names bound to a queryset somewhere in the module: ``qs = Model.objects.filter(...)``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            value = ast.unparse(node.value)
            if any(marker in value for marker in QUERYSET_MARKERS):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _bulk_writes(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    querysets = _queryset_names(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"update", "bulk_update"}
        ):
            receiver = ast.unparse(node.func.value)
            if (
                node.func.attr == "bulk_update"
                or any(marker in receiver for marker in QUERYSET_MARKERS)
                or receiver in querysets
            ):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


# Conditional UPDATEs that are not changes by staff or a city: the annual report task's
# lease, heartbeat and progress (the UPDATE is the lock, RELIABILITY 19). Staff actions on
# a report (publishing) go through save() and are kept in its history.
ALLOWED = {("reports", "services.py", "AnnualReport.objects")}


def test_no_bulk_update_skips_the_history():
    found = []
    for app in OUR_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += [
                hit
                for hit in _bulk_writes(path)
                if not any(
                    app == a and path.name == name and hit.split(": ", 1)[1].startswith(prefix)
                    for a, name, prefix in ALLOWED
                )
            ]
    assert found == []


def test_the_bulk_update_check_finds_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("Goal.objects.filter(pk=1).update(title='x')\nd = {}\nd.update(a=1)\n")
    assert len(_bulk_writes(sample)) == 1


def test_the_bulk_update_check_follows_a_queryset_through_a_name(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n"
        "    qs = Goal.objects.filter(pk=1)\n"
        "    qs.update(title='x')\n"
        "    seen = set()\n"
        "    seen.update({1})\n"
    )
    assert [hit.split(": ", 1)[1] for hit in _bulk_writes(sample)] == ["qs.update(title='x')"]

"""A backup restores into an empty database and the portal runs on it (RELIABILITY 25)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from members.enums import PersonRole
from members.models import City
from members.services import appoint_person

ROOT = Path(__file__).resolve().parents[2]
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]

CHECK = """
from django.test import Client
from members.models import City, Person
response = Client().get("/cities/durres/", HTTP_HOST="localhost")
assert response.status_code == 200, response.status_code
assert "Mayor Restored" in response.content.decode()
print(City.objects.count(), Person.objects.count())
"""


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        list(args),
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_pg_dump_restores_into_an_empty_database(postgres_transactional, tmp_path):
    appoint_person(
        city=City.objects.get(slug="durres"),
        role=PersonRole.MAYOR,
        name="Mayor Restored",
        started_on=datetime.date(2025, 1, 1),
    )
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    dump = tmp_path / "b40.dump"
    assert _run("pg_dump", *PG, "-Fc", "-f", str(dump), source).returncode == 0
    _run("dropdb", *PG, "--if-exists", target)
    assert _run("createdb", *PG, target).returncode == 0
    try:
        restore = _run("pg_restore", *PG, "--no-owner", "--exit-on-error", "-d", target, str(dump))
        assert restore.returncode == 0, restore.stderr
        env = {
            "DJANGO_SETTINGS_MODULE": "b40.settings.local",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{target}",
        }
        migrated = _run(sys.executable, "manage.py", "migrate", "--check", **env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        result = _run(sys.executable, "manage.py", "shell", "-c", CHECK, **env)
        assert result.returncode == 0, result.stderr
        cities, people = result.stdout.split()[-2:]
        assert int(cities) == City.objects.count() == 25
        assert int(people) == 1
    finally:
        _run("dropdb", *PG, "--if-exists", target)

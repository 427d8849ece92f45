"""Backup and restore: a dump restored into a fresh database holds every record and every
history row exactly as they were (README, "Backup and restore")."""

import subprocess

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's"
    ),
]


def fingerprints(dbname):
    """{table: md5 of all its rows in order} for every table of ours in ``dbname``."""
    params = {**connection.settings_dict, "NAME": dbname}
    url = "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(**params)
    tables = subprocess.run(
        ["psql", url, "-Atc", "select tablename from pg_tables where schemaname = 'public'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ours = [
        t
        for t in tables
        if t.split("_")[0] in {"records", "ccgs", "decisions", "roles", "scrutiny", "auth"}
    ]
    result = {}
    for table in ours:
        sql = f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from {table} t"
        result[table] = subprocess.run(
            ["psql", url, "-Atc", sql], capture_output=True, text=True, check=True
        ).stdout.strip()
    return url, result


def test_a_backup_restores_every_record_and_history_row(kent_medway, tmp_path):
    name = connection.settings_dict["NAME"]
    url, before = fingerprints(name)
    assert before["decisions_historicaldecision"] and before["records_timelineevent"]
    dump = tmp_path / "record.dump"
    restored = f"{name}_restored"

    subprocess.run(["bash", str(settings.BASE_DIR / "scripts/backup.sh"), url, dump], check=True)
    subprocess.run(
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", restored], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-h", "127.0.0.1", "-U", "postgres",
             "-d", restored, str(dump)],
            check=True,
        )  # fmt: skip
        _, after = fingerprints(restored)
    finally:
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", restored])

    assert after == before

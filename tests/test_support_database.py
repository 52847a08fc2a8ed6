"""The seeded database the fixtures copy is the one a first ``connect`` makes."""

import os
import stat

import pytest

from radio.store.connection import connect
from tests.support.database import seed_database


def schema(path):
    db = connect(path)
    try:
        return (db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall(),
                [r["name"] for r in db["_sqlite_migrations"].rows_where(order_by="name")],
                [(r["name"], r["value"]) for r in db["meta"].rows])
    finally:
        db.conn.close()


def test_a_seeded_database_matches_a_freshly_migrated_one(tmp_path):
    seeded = seed_database(tmp_path / "seeded" / "radio.db")
    assert schema(seeded) == schema(tmp_path / "fresh.db")
    assert stat.S_IMODE(os.stat(seeded).st_mode) == 0o600


def test_seeding_never_overwrites_a_database(tmp_path):
    path = seed_database(tmp_path / "radio.db")
    with pytest.raises(FileExistsError):
        seed_database(path)

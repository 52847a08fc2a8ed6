"""Two processes opening a brand-new station at the same moment both end with a whole schema."""

import multiprocessing

from radio.store.connection import connect


def _open(path, barrier):
    barrier.wait()
    db = connect(path)
    db.conn.close()


def test_concurrent_first_opens_do_not_break_the_migrations(tmp_path):
    path = tmp_path / "radio.db"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    workers = [ctx.Process(target=_open, args=(path, barrier)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    db = connect(path)
    applied = {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations").fetchall()}
    assert len(applied) == len(list(db.execute("SELECT 1 FROM _sqlite_migrations")))
    assert "m171_proof_recipes" in applied

"""The chain's state kept incrementally: rows verified as they are appended.

Pages and the API read :func:`chain_state` (a mark and a few index lookups), never
a walk of the whole log; the full walk is :func:`radio.proof.chain.verify`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from radio.proof.chain import hashing
from radio.proof.chain.hashing import GENESIS, log_tables_exist, row_hash
from radio.store.connection import write

#: prefix of the chain's rows in ``station_state``
_STATE = "chain."


@dataclass
class ChainState:
    """What pages and the API show about the chain, without walking it."""

    count: int
    head_hash: str
    verified_id: int
    ok: bool
    first_broken_id: int | None = None
    problem: str | None = None
    full_check_at: str | None = None
    full_check_ok: bool | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _read_state(db: Database) -> dict:
    return {name[len(_STATE):]: value for name, value in db.execute(
        "SELECT name, value FROM station_state WHERE name LIKE 'chain.%'").fetchall()}


def _write_state(db: Database, **values) -> None:
    for name, value in values.items():
        db.execute("INSERT OR REPLACE INTO station_state (name, value) VALUES (?, ?)",
                   [_STATE + name, "" if value is None else str(value)])


def advance(db: Database) -> None:
    """Verify the rows appended since the last verified one and move the mark on.

    Runs inside :func:`radio.proof.log.append`'s transaction, so usually one row.
    """
    state = _read_state(db)
    if state.get("broken"):
        return
    verified_id = int(state.get("verified_id") or 0)
    prev = state.get("verified_hash") or GENESIS
    count = int(state.get("verified_count") or 0)
    if verified_id and not db.execute("SELECT 1 FROM occurrences WHERE id = ? AND hash = ?",
                                      [verified_id, prev]).fetchone():
        _write_state(db, broken=verified_id,
                     problem=f"entry {verified_id} was removed or altered after it was verified")
        return
    for row, items in hashing.walk(db, verified_id):
        if row["prev_hash"] != prev or row_hash(row, items) != row["hash"]:
            _write_state(db, broken=row["id"], problem=f"entry {row['id']} does not match its hash")
            break
        prev, verified_id, count = row["hash"], row["id"], count + 1
    _write_state(db, verified_id=verified_id, verified_hash=prev, verified_count=count)


def chain_state(db: Database) -> ChainState:
    """The chain's state from the incremental mark plus a few index lookups.

    Verifies rows appended outside :func:`radio.proof.log.append` (taking the write
    lock only then) and catches truncation since the mark; a change to an old
    row, or a deletion in the middle, shows in the full :func:`verify` (``radio
    log verify``, daily in the daemon, or on demand in the admin), whose last
    result is reported here too.
    """
    if not log_tables_exist(db):
        return ChainState(0, GENESIS, 0, False, None, "the proof log tables are missing")
    state = _read_state(db)
    last = db.execute("SELECT id, hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
    if last and not state.get("broken") and last[0] != int(state.get("verified_id") or 0):
        with write(db):
            advance(db)
        state = _read_state(db)
    verified_id = int(state.get("verified_id") or 0)
    broken = int(state["broken"]) if state.get("broken") else None
    problem = state.get("problem") or None
    if broken is None and verified_id and not db.execute(
            "SELECT 1 FROM occurrences WHERE id = ? AND hash = ?", [verified_id, state.get("verified_hash")]
    ).fetchone():
        broken, problem = verified_id, f"entry {verified_id} was removed or altered after it was verified"
    full_ok = state.get("full_ok")
    if problem is None and state.get("alert"):
        problem = state["alert"]  # lost entries, rows not written by the station, a heads file gone
    if broken is None and full_ok == "0":
        broken = int(state.get("full_broken") or 0) or None
        problem = problem or state.get("full_problem") or "the last full check found problems"
    return ChainState(
        count=int(state.get("verified_count") or 0), head_hash=last[1] if last else GENESIS,
        verified_id=verified_id, ok=broken is None and problem is None, first_broken_id=broken,
        problem=problem, full_check_at=state.get("full_at") or None,
        full_check_ok=None if full_ok in (None, "") else full_ok == "1",
    )

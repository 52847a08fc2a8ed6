"""Checking a station's proof chain as its entries arrive, one at a time.

A station's entries come up in id order (its outbox publishes them so). Each is checked
against what the hub already holds of that station:

- its ``hash`` must be :func:`radio.proof.chain.hashing.row_hash` of its own fields and
  items, else it was **edited** after it was logged;
- its id must follow the head's (the first entry's is 1), else entries are missing: a
  **gap** (the entries between are named);
- its ``prev_hash`` must be the head's hash (:data:`GENESIS` for the first), and an entry
  with an id already held must have the same hash, else the log **forked** (two
  histories of one station).

An entry held already with the same hash is a duplicate and changes nothing. The head
moves to an entry that follows it (by id), even one with a problem, so the chain goes on
being checked from there; each problem is one alert, naming the station and the entry.
An entry older than the head that was missing (it fills a gap late) is checked against
its neighbours and kept; the head stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from radio.proof.chain.hashing import GENESIS, row_hash

OK, EDITED, FORKED, AFTER_GAP, LATE, DUPLICATE = "ok", "edited", "forked", "after-gap", "late", "duplicate"


@dataclass(frozen=True)
class Problem:
    kind: str  # gap | fork | edit
    detail: str
    ref: str  # one alert per ref and station


@dataclass(frozen=True)
class Check:
    """What an arriving entry is: its verdict, its problems, whether it becomes the head."""

    verdict: str
    problems: tuple[Problem, ...] = field(default=())
    advances: bool = False


def _short(text: str) -> str:
    return f"{text[:12]}…" if isinstance(text, str) and len(text) > 12 else str(text)


def check(code: str, entry: dict, items: list[dict], *, head_id: int, head_hash: str,
          held_hash: str | None = None, before_hash: str | None = None, after_prev: str | None = None) -> Check:
    """Check *entry* of station *code* against the hub's view of its chain.

    :param head_id: the id of the station's last entry held (0: none yet)
    :param head_hash: that entry's hash (:data:`GENESIS` when none)
    :param held_hash: the hash of an entry with this id held already, if any
    :param before_hash: for an entry older than the head: the held entry before it's hash, if held
    :param after_prev: for an entry older than the head: the held entry after it's ``prev_hash``, if held
    """
    number, claimed, prev = entry["id"], entry["hash"], entry["prev_hash"]
    if held_hash is not None:
        if held_hash == claimed:
            return Check(DUPLICATE)
        return Check(FORKED, (Problem("fork", f"entry {number} came again with another hash ({_short(claimed)}, "
                                      f"held {_short(held_hash)}): the station's log forked or was rewritten",
                                      f"fork:{number}:{claimed}"),))
    problems = []
    verdict = OK
    if row_hash(entry, items) != claimed:
        verdict = EDITED
        problems.append(Problem("edit", f"entry {number}'s content does not match its hash {_short(claimed)}: "
                                        "it was changed after it was logged", f"edit:{number}"))
    if number == head_id + 1:
        expected = head_hash if head_id else GENESIS
        if prev != expected:
            verdict = FORKED if verdict == OK else verdict
            problems.append(Problem("fork", f"entry {number} follows hash {_short(prev)}, not entry {head_id}'s "
                                            f"{_short(expected)}" if head_id else
                                    f"entry 1 follows hash {_short(prev)}, not the chain's start",
                                    f"fork:{number}:{claimed}"))
        return Check(verdict, tuple(problems), advances=True)
    if number > head_id + 1:
        missing = f"entry {head_id + 1}" if number == head_id + 2 else f"entries {head_id + 1}–{number - 1}"
        problems.append(Problem("gap", f"{missing} never arrived before entry {number}", f"gap:{number}"))
        return Check(AFTER_GAP if verdict == OK else verdict, tuple(problems), advances=True)
    # older than the head and not held: a late entry filling a gap
    if before_hash is not None and prev != before_hash:
        problems.append(Problem("fork", f"late entry {number} follows hash {_short(prev)}, not entry {number - 1}'s "
                                        f"{_short(before_hash)}", f"fork:{number}:{claimed}"))
    elif after_prev is not None and after_prev != claimed:
        problems.append(Problem("fork", f"late entry {number}'s hash {_short(claimed)} is not what entry {number + 1} "
                                        f"follows ({_short(after_prev)})", f"fork:{number}:{claimed}"))
    return Check(LATE if verdict == OK else verdict, tuple(problems))

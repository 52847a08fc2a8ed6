"""What a leader's approval binds, and the check before air that it is what airs.

An approval (one ``approvals`` row per bulletin, replaced when the leader approves a
new reading) binds:

- the content hash (:func:`radio.bulletins.hashes.content_sha256`: title, text, priority,
  dates, topic, the recording's bytes), also written in the approval's audit row;
- the spoken form the normaliser made with the lexicon of that moment, and its sha256;
- the approved audio's sha256: a recording's at approval, speech's at its first render
  of the approved spoken form. The audio is copied out of the speech cache into
  ``RADIO_HOME/approved/``, so nothing the cache does (a re-render, eviction, a file
  replaced by hand) changes what airs.

The station renders only the approved spoken form, never the text anew: a lexicon
change cannot alter approved speech. :func:`mark_reapprovals` lists the bulletins the
lexicon would now read differently, with the new reading beside the approved one;
they air their approved audio until the leader approves the new reading
(:func:`radio.bulletins.lifecycle.approve_bulletin` on the approved bulletin).

Before assembly :func:`problem` recomputes the content hash from the bulletin as it
stands and compares it with the approval and its audit row, so a bulletin edited in
SQLite (the freeze trigger dropped, ``text_sha256`` recomputed) never airs.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from radio.accounts.audit import record
from radio.clock import STATION_TZ, to_utc_text
from radio.store.home import Home
from radio.store.connection import write
from radio.bulletins.hashes import content_sha256, text_sha256
from radio.bulletins.spoken import spoken_form, station_lexicon

log = logging.getLogger("radio.bulletins.approval")

NO_APPROVAL = "it has no approval record"
CONTENT_CHANGED = "its content was changed after approval (it does not match the approval hash)"
AUDIT_DIFFERS = "its approval record does not match the audit trail"
SPOKEN_CHANGED = "its speech is not the approved reading"
AUDIO_CHANGED = "its audio is not the approved audio"
NOT_BOUND = "its approved audio is not rendered yet"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _still_valid(now: datetime) -> tuple[str, list]:
    """SQL (and its argument) for approved bulletins whose valid window has not ended:
    an expired one never airs again, so its reading is not the leader's concern."""
    return "(b.valid_until IS NULL OR b.valid_until >= ?)", [now.astimezone(STATION_TZ).date().isoformat()]


def get(db: Database, bulletin_id: int) -> dict | None:
    rows = list(db["approvals"].rows_where("bulletin_id = ?", [bulletin_id]))
    return rows[0] if rows else None


def bind(db: Database, bulletin: dict, *, by: str, now: datetime, spoken: str | None) -> dict:
    """Write what the approval of *bulletin* binds (joins the caller's transaction).

    :param spoken: the spoken form the leader approved (None for a recording).
    """

    recording = bulletin.get("recording_path")
    row = dict(
        bulletin_id=bulletin["id"], approved_at=to_utc_text(now), approved_by=by,
        content_sha256=content_sha256(bulletin),
        spoken_text=None if recording else spoken,
        spoken_sha256=None if recording else sha256_text(spoken or ""),
        audio_sha256=file_sha256(Path(recording)) if recording else None,
        audio_path=recording or None, reapprove_spoken=None, reapprove_since=None)
    with write(db):
        db["approvals"].upsert(row, pk="bulletin_id")
    return row


def _audit_detail(db: Database, bulletin_id: int) -> dict | None:
    row = db.execute("SELECT detail FROM audit WHERE action = 'bulletin.approve' AND target = ? "
                     "ORDER BY id DESC LIMIT 1", [f"bulletin:{bulletin_id}"]).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def content_problem(db: Database, bulletin: dict, approval: dict | None = None) -> str | None:
    """Whether *bulletin* as it stands is what was approved (one sentence, or None)."""

    approval = approval or get(db, bulletin["id"])
    if approval is None:
        return NO_APPROVAL
    if (content_sha256(bulletin) != approval["content_sha256"]
            or bulletin.get("text_sha256") != text_sha256(bulletin["title"], bulletin["text"])):
        return CONTENT_CHANGED
    detail = _audit_detail(db, bulletin["id"])
    # an approval older than this table may have no audit row, or one hashed by an
    # older version of content_sha256: the row written at the upgrade is its binding
    if not approval.get("backfilled") and (
            detail is None or detail.get("content_sha256") != approval["content_sha256"]):
        return AUDIT_DIFFERS
    detail = detail or {}
    if not bulletin.get("recording_path"):
        spoken = approval.get("spoken_text")
        if spoken is None or sha256_text(spoken) != approval["spoken_sha256"]:
            return SPOKEN_CHANGED
        if detail.get("spoken_sha256") not in (None, approval["spoken_sha256"]):
            return AUDIT_DIFFERS
    return None


def problem(db: Database, bulletin: dict, render: dict | None) -> str | None:
    """Content, spoken form and audio of *bulletin* against its approval, before air.

    The audio file's bytes are checked against the approved sha256 when the
    programme is assembled (:func:`radio.programme.assembly.verified_bytes`).
    """
    approval = get(db, bulletin["id"])
    found = content_problem(db, bulletin, approval)
    if found:
        return found
    render = render or {}
    if approval["audio_sha256"] is None:
        return NOT_BOUND
    if render.get("audio_sha256") != approval["audio_sha256"]:
        return AUDIO_CHANGED
    if not bulletin.get("recording_path") and render.get("spoken_text") != approval["spoken_text"]:
        return SPOKEN_CHANGED
    return None


def approved_dir(home: Home) -> Path:
    return home.root / "approved"


def install_audio(db: Database, home: Home, bulletin_id: int, source: Path, audio_sha256: str,
                  *, spoken: str, now: datetime, why: str) -> Path:
    """Copy a render of the approved spoken form out of the cache and bind it.

    The first render binds the approval's audio; a later one (the file healed after
    damage, an espeak-ng fallback upgraded to gTTS) is the same approved words and
    is bound in its place, with an audit row saying so.

    :param spoken: the spoken form that was rendered; it must still be the approved one
        (a leader may approve a new reading while the old one renders).
    :param why: ``"render"``, ``"heal"`` or ``"upgrade"``, for the audit row.
    :return: the approved copy's path.
    :raise RuntimeError: the approval changed meanwhile; nothing bound.
    """
    folder = approved_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{bulletin_id}-{audio_sha256[:16]}{Path(source).suffix or '.wav'}"
    if file_sha256(target) != audio_sha256:
        handle, temporary = tempfile.mkstemp(prefix=f".{bulletin_id}.", suffix=".tmp", dir=folder)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            if file_sha256(Path(temporary)) != audio_sha256:
                raise OSError(f"the render of bulletin {bulletin_id} changed while it was copied")
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
    with write(db):
        approval = get(db, bulletin_id)
        if approval is None or approval["spoken_sha256"] != sha256_text(spoken):
            raise RuntimeError("its approval changed while it was rendered; it is rendered again")
        old = approval["audio_sha256"]
        db.execute("UPDATE approvals SET audio_sha256 = ?, audio_path = ? WHERE bulletin_id = ?",
                   [audio_sha256, str(target), bulletin_id])
        if old and old != audio_sha256:
            record(db, None, "bulletin.speech", now=now, target=f"bulletin:{bulletin_id}",
                   detail={"op": why, "from": old, "to": audio_sha256})
    # an earlier approved copy stays: the replay of what already aired may name it
    return target


def mark_reapprovals(db: Database, now: datetime) -> list[int]:
    """List for re-approval every approved bulletin the station lexicon now reads differently.

    Nothing is rendered: the bulletin keeps airing its approved audio. A change that
    brings the approved reading back clears the listing. Joins the caller's transaction.

    :return: the ids listed (newly or still).
    """
    valid, args = _still_valid(now)
    lexicon_rows = db.execute(
        "SELECT b.id, b.title, b.text, a.spoken_text, a.reapprove_spoken FROM bulletins b "
        "JOIN approvals a ON a.bulletin_id = b.id WHERE b.status = 'approved' "
        f"AND b.recording_path IS NULL AND a.spoken_text IS NOT NULL AND {valid} ORDER BY b.id",
        args).fetchall()
    lexicon = station_lexicon(db)
    listed = []
    with write(db):
        for bulletin_id, title, text, approved, waiting in lexicon_rows:
            now_spoken = spoken_form(db, title, text, lexicon=lexicon)
            if now_spoken == approved:
                if waiting is not None:
                    db.execute("UPDATE approvals SET reapprove_spoken = NULL, reapprove_since = NULL "
                               "WHERE bulletin_id = ?", [bulletin_id])
                continue
            listed.append(bulletin_id)
            if now_spoken != waiting:
                db.execute("UPDATE approvals SET reapprove_spoken = ?, reapprove_since = ? "
                           "WHERE bulletin_id = ?", [now_spoken, to_utc_text(now), bulletin_id])
    return listed


def reapprovals(db: Database) -> list[dict]:
    """Approved bulletins waiting for the leader to approve a new reading, oldest first:
    each bulletin row with ``approved_spoken``, ``new_spoken`` and ``since``."""
    rows = []
    for row in db.query(
            "SELECT b.*, a.spoken_text AS approved_spoken, a.reapprove_spoken AS new_spoken, "
            "a.reapprove_since AS since FROM bulletins b JOIN approvals a ON a.bulletin_id = b.id "
            "WHERE b.status = 'approved' AND a.reapprove_spoken IS NOT NULL ORDER BY a.reapprove_since, b.id"):
        row["spoken_diff"] = spoken_diff(row["approved_spoken"], row["new_spoken"])
        rows.append(row)
    return rows


def spoken_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference of two readings: ``(op, words)`` with op ``=``, ``-`` or ``+``."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return out


def diff_text(old: str, new: str) -> str:
    """The difference as one line of text: ``[-old words-]{+new words+}`` around the rest."""
    return " ".join(words if op == "=" else f"[-{words}-]" if op == "-" else f"{{+{words}+}}"
                    for op, words in spoken_diff(old, new))


def raise_alert(db: Database, now: datetime, subject: str, found: str) -> None:
    """Record that something which would have aired is not what was approved or installed.

    The same finding about the same part within an hour is one alert (each slot that
    would have aired it finds it again)."""
    log.error("Integrity: %s: %s; it does not air", subject, found)
    with write(db):
        if db.execute("SELECT 1 FROM integrity_alerts WHERE subject = ? AND problem = ? AND at >= ?",
                      [subject, found, to_utc_text(now - timedelta(hours=1))]).fetchone():
            return
        db["integrity_alerts"].insert(dict(at=to_utc_text(now), subject=subject, problem=found))


def recent_alerts(db: Database, now: datetime, *, hours: int = 24) -> list[dict]:
    """Integrity alerts of the last *hours*, newest first (at most 20)."""
    since = to_utc_text(now - timedelta(hours=hours))
    return list(db["integrity_alerts"].rows_where("at >= ?", [since], order_by="id desc", limit=20))


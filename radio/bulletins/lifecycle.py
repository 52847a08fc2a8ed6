"""Bulletins and their life: draft → approved (frozen) → withdrawn.

Every change takes the :class:`~radio.accounts.roles.Actor` making it, checks the
role first and writes its audit row in the same transaction. An officer edits
only their own drafts; a leader approves exactly the content they read (its
:func:`content_sha256`), or returns the draft with a reason.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from radio.accounts.roles import Actor, PermissionDeniedError, can, require
from radio.accounts.audit import record
from radio.clock import to_utc_text
from radio.errors import NotFoundError, StateError, ValidationError
from radio.store.fields import clean_line, clean_text
from radio.store.paging import PER_PAGE, Page, check_per_page
from radio.store.ids import ascii_int, parse_id
from radio.store.connection import bump_revision, write
from radio.bulletins import approval
from radio.bulletins.hashes import CONTENT_FIELDS, content_sha256, text_sha256

#: stored value → label shown to users (Thông tư 39/2020 priority classes)
PRIORITIES = {"normal": "thường", "priority": "ưu tiên", "urgent": "khẩn cấp"}
PRIORITY_RANK = {"urgent": 0, "priority": 1, "normal": 2}
_PRIORITY_ALIASES = {
    "normal": "normal", "thuong": "normal", "thường": "normal",
    "priority": "priority", "uu-tien": "priority", "ưu tiên": "priority", "uutien": "priority",
    "urgent": "urgent", "khan-cap": "urgent", "khẩn cấp": "urgent", "khancap": "urgent",
}
STATUS_LABELS = {"draft": "chờ duyệt", "approved": "đã duyệt", "withdrawn": "đã rút"}
MAX_TEXT_CHARS = 20_000
MAX_TITLE_CHARS = 300
MAX_REASON_CHARS = 1000


def parse_priority(value: str) -> str:
    key = unicodedata.normalize("NFC", (value or "normal").strip().lower())
    if key not in _PRIORITY_ALIASES:
        raise ValidationError(
            f'Unknown priority "{value}". Use normal (thường), priority (ưu tiên) or urgent (khẩn cấp).'
        )
    return _PRIORITY_ALIASES[key]


def parse_date(value: str | date | None, field: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(f'{field} "{value}" is not a date (YYYY-MM-DD).') from None


#: control characters (all but tab and line feed): pasted or imported junk that no
#: speech engine reads and that SQLite's length() stops at (a NUL)
_CONTROL = {c: None for c in (*range(0, 9), *range(11, 32), 127)}


def _clean(title: str, text: str) -> tuple[str, str]:
    title = unicodedata.normalize("NFC", (title or "").translate(_CONTROL).strip())
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").translate(_CONTROL).strip())
    if not title:
        raise ValidationError("A bulletin needs a title.")
    if not text:
        raise ValidationError("A bulletin needs some text; it is empty.")
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError(f"Title is {len(title)} characters; the limit is {MAX_TITLE_CHARS}.")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"Text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}.")
    return title, text


def _validate_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "priority" in out:
        out["priority"] = parse_priority(out["priority"])
    if "repeat_count" in out:
        try:
            out["repeat_count"] = ascii_int(out["repeat_count"])
        except (TypeError, ValueError):
            raise ValidationError(f'Repeat count "{out["repeat_count"]}" is not a number.') from None
        if not 1 <= out["repeat_count"] <= 1000:
            raise ValidationError("Repeat count must be between 1 and 1000.")
    for name in ("valid_from", "valid_until"):
        if name in out:
            out[name] = parse_date(out[name], name.replace("_", " "))
    if out.get("valid_from") and out.get("valid_until") and out["valid_from"] > out["valid_until"]:
        raise ValidationError("The valid window ends before it starts.")
    if "topic" in out:
        out["topic"] = clean_line(out["topic"] or "cchc", "Topic").lower()[:40] or "cchc"
    return out


def add_bulletin(
    db: Database,
    *,
    title: str,
    text: str,
    now: datetime,
    actor: Actor,
    topic: str = "cchc",
    priority: str = "normal",
    repeat_count: int = 1,
    valid_from: str | date | None = None,
    valid_until: str | date | None = None,
    created_by: str | None = None,
    imported_from: str | None = None,
) -> int:
    """Queue a new draft bulletin and return its id.

    :param created_by: who wrote it (default: the actor); an officer owns the drafts
        created under their username.
    :param imported_from: the name of the file it was imported from (action ``bulletin.import``).
    """
    action = "bulletin.import" if imported_from else "bulletin.create"
    require(actor, action)
    title, text = _clean(title, text)
    fields = _validate_fields(
        dict(topic=topic, priority=priority, repeat_count=repeat_count,
             valid_from=valid_from, valid_until=valid_until)
    )
    with write(db):
        new_id = db["bulletins"].insert(
            dict(
                title=title, text=text, status="draft",
                text_sha256=text_sha256(title, text),
                created_at=to_utc_text(now), created_by=created_by or actor.username, **fields,
            )
        ).last_pk
        detail = {"title": title, "priority": fields["priority"]}
        if imported_from:
            detail["file"] = imported_from[:120]
        record(db, actor, action, now=now, target=f"bulletin:{new_id}", detail=detail)
    return new_id


def get_bulletin(db: Database, bulletin_id: int) -> dict:
    bulletin_id = parse_id(bulletin_id, "Bulletin")
    rows = list(db["bulletins"].rows_where("id = ?", [bulletin_id]))
    if not rows:
        raise NotFoundError(f"Bulletin {bulletin_id} does not exist.")
    return rows[0]


def get_render(db: Database, bulletin_id: int) -> dict | None:
    """The speech rendering of a bulletin (state, engine, length), or None before approval."""
    rows = list(db["renders"].rows_where("bulletin_id = ?", [parse_id(bulletin_id, "Bulletin")]))
    return rows[0] if rows else None


def list_bulletins(db: Database, status: str | None = None) -> list[dict]:
    where, args = ("status = ?", [status]) if status else (None, [])
    return _with_renders(db, list(db["bulletins"].rows_where(where, args, order_by="id desc")))


def bulletin_page(db: Database, status: str | None = None, *, page: int = 1,
                  per_page: int = PER_PAGE) -> Page:
    """One page of bulletins, newest first, cut in SQL on the ``(status, id)`` index.

    A page past the last one shows the last one.
    """
    per_page = check_per_page(per_page)
    where, args = ("status = ?", [status]) if status else (None, [])
    total = db["bulletins"].count_where(where, args)
    page = min(max(1, page), max(1, -(-total // per_page)))
    rows = list(db["bulletins"].rows_where(where, args, order_by="id desc", limit=per_page,
                                           offset=(page - 1) * per_page))
    return Page(_with_renders(db, rows), page, per_page, total)


def _with_renders(db: Database, rows: list[dict]) -> list[dict]:
    """Attach each row's render, reading only the renders of these rows."""
    renders: dict[int, dict] = {}
    for start in range(0, len(rows), 500):  # SQLite's bound-parameter limit
        ids = [row["id"] for row in rows[start:start + 500]]
        renders.update((r["bulletin_id"], r) for r in db["renders"].rows_where(
            f"bulletin_id IN ({','.join('?' * len(ids))})", ids))
    for row in rows:
        row["render"] = renders.get(row["id"])
    return rows


def may_edit(actor: Actor | None, bulletin: dict) -> bool:
    """Whether *actor* may edit *bulletin*: officers their own drafts, leaders any draft."""
    if actor is None or bulletin["status"] != "draft" or not can(actor.role, "bulletin.edit"):
        return False
    return can(actor.role, "bulletin.approve") or bulletin.get("created_by") == actor.username


def require_edit(actor: Actor, bulletin: dict) -> None:
    """:raise PermissionDeniedError: *actor* may not edit *bulletin* (see :func:`may_edit`)."""
    require(actor, "bulletin.edit")
    if not can(actor.role, "bulletin.approve") and bulletin.get("created_by") != actor.username:
        raise PermissionDeniedError(
            f"Bulletin {bulletin['id']} was written by {bulletin.get('created_by') or 'someone else'}; "
            "an officer may edit only their own drafts.")


def update_bulletin(db: Database, bulletin_id: int, *, actor: Actor, now: datetime, **fields: Any) -> dict:
    """Edit a draft (officers: their own). Everything an approval covers is frozen after it."""
    current = get_bulletin(db, bulletin_id)
    require_edit(actor, current)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot edit {', '.join(sorted(unknown))} of a bulletin.")
    if current["status"] != "draft":
        raise StateError(f"Bulletin {current['id']} is approved; its text is frozen."
                         if current["status"] == "approved" else
                         f"Bulletin {current['id']} was withdrawn; add it again to air it.")
    if "title" in fields or "text" in fields:
        title, text = _clean(fields.get("title", current["title"]), fields.get("text", current["text"]))
        fields.update(title=title, text=text, text_sha256=text_sha256(title, text))
    fields = _validate_fields(fields)
    merged = {**current, **fields}
    if merged.get("valid_from") and merged.get("valid_until") and merged["valid_from"] > merged["valid_until"]:
        raise ValidationError("The valid window ends before it starts.")
    changed = sorted(k for k in fields if k != "text_sha256" and fields[k] != current.get(k))
    with write(db):
        db["bulletins"].update(current["id"], dict(fields, returned_at=None, returned_by=None,
                                                   return_reason=None))
        record(db, actor, "bulletin.edit", now=now, target=f"bulletin:{current['id']}",
               detail={"changed": changed})
        bump_revision(db)
    return get_bulletin(db, bulletin_id)


def approve_bulletin(db: Database, bulletin_id: int, *, actor: Actor, now: datetime,
                     expected_sha256: str | None, by: str | None = None,
                     expected_spoken_sha256: str | None = None) -> dict:
    """Approve a draft exactly as the leader read it: its content and its spoken form are
    frozen (:mod:`radio.bulletins.approval`), speech queued.

    An approved bulletin that a lexicon change listed for re-approval is approved again
    the same way: the new reading replaces the approved one and is rendered.

    :param expected_sha256: the :func:`content_sha256` of the draft the leader read
        (the CLI may pass None: its operator approves the stored draft as it is).
    :param expected_spoken_sha256: the sha256 of the spoken form the leader was shown
        (None: the reading the lexicon gives now).
    :param by: the approver's name written on the bulletin (default: the actor's name).
    :raise StateError: the draft or its reading changed since the leader saw it; nothing written.
    """
    require(actor, "bulletin.approve")
    by = (by if by is not None else actor.username).strip()
    if not by:
        raise ValidationError("Say who approves (--by NAME).")
    with write(db):
        current = get_bulletin(db, bulletin_id)
        bound = approval.get(db, current["id"]) if current["status"] == "approved" else None
        reapproval = bound is not None and bound.get("reapprove_spoken") is not None
        if current["status"] == "approved" and not reapproval:
            raise StateError(f"Bulletin {current['id']} is already approved (by {current['approved_by']}).")
        if current["status"] == "withdrawn":
            raise StateError(f"Bulletin {current['id']} was withdrawn; add it again to air it.")
        if expected_sha256 is not None and expected_sha256 != content_sha256(current):
            raise StateError(f"Bulletin {current['id']} changed after you opened it; "
                             "read it again before approving.")
        if reapproval and approval.content_problem(db, current, bound):
            raise StateError(f"Bulletin {current['id']} does not match its approval; "
                             "withdraw it and add it again.")
        spoken = None if current.get("recording_path") else approval.spoken_form(
            db, current["title"], current["text"])
        if (expected_spoken_sha256 is not None and spoken is not None
                and expected_spoken_sha256 != approval.sha256_text(spoken)):
            raise StateError(f"The reading of bulletin {current['id']} changed after you opened it "
                             "(the lexicon was edited); listen again before approving.")
        db["bulletins"].update(
            current["id"], dict(status="approved", approved_by=by, approved_at=to_utc_text(now),
                                returned_at=None, returned_by=None, return_reason=None)
        )
        current = get_bulletin(db, bulletin_id)
        bound_now = approval.bind(db, current, by=by, now=now, spoken=spoken)
        db["renders"].upsert(
            dict(bulletin_id=current["id"], state="pending", updated_at=to_utc_text(now)),
            pk="bulletin_id",
        )
        detail = {"by": by, "content_sha256": bound_now["content_sha256"]}
        if spoken is not None:
            detail["spoken_sha256"] = bound_now["spoken_sha256"]
        if reapproval:
            detail["op"] = "reapprove"
            detail["replaces_spoken_sha256"] = bound["spoken_sha256"]
        record(db, actor, "bulletin.approve", now=now, target=f"bulletin:{current['id']}", detail=detail)
        bump_revision(db)
    return get_bulletin(db, bulletin_id)


def return_bulletin(db: Database, bulletin_id: int, *, actor: Actor, reason: str, now: datetime) -> dict:
    """Return a draft to its officer with a reason ("Trả lại"); it stays a draft."""
    require(actor, "bulletin.return")
    reason = clean_text(reason, "The reason")
    if not reason:
        raise ValidationError("Say why the draft goes back (a reason for the officer).")
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(f"The reason is {len(reason)} characters; the limit is {MAX_REASON_CHARS}.")
    with write(db):
        current = get_bulletin(db, bulletin_id)
        if current["status"] != "draft":
            raise StateError(f"Bulletin {current['id']} is not a draft; only drafts can be returned.")
        db["bulletins"].update(current["id"], dict(
            returned_at=to_utc_text(now), returned_by=actor.username, return_reason=reason))
        record(db, actor, "bulletin.return", now=now, target=f"bulletin:{current['id']}",
               detail={"reason": reason})
    return get_bulletin(db, bulletin_id)


def withdraw_bulletin(db: Database, bulletin_id: int, *, actor: Actor, now: datetime) -> dict:
    """Stop a bulletin from airing again; what already aired stays in the log.

    An officer may withdraw their own draft; an approved bulletin needs a leader.
    """
    current = get_bulletin(db, bulletin_id)
    if current["status"] == "draft":
        require_edit(actor, current)
    else:
        require(actor, "bulletin.withdraw")
    with write(db):
        db["bulletins"].update(current["id"], dict(status="withdrawn"))
        record(db, actor, "bulletin.withdraw", now=now, target=f"bulletin:{current['id']}",
               detail={"was": current["status"]})
        bump_revision(db)
    return get_bulletin(db, bulletin_id)

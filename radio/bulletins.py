"""Bulletins and their life: draft → approved (frozen) → withdrawn."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from .clock import to_utc_text
from .errors import NotFoundError, StateError, ValidationError
from .paging import PER_PAGE, Page, check_per_page
from .store import bump_revision, write

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


def text_sha256(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode("utf-8")).hexdigest()


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
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"Text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}.")
    return title, text


def _validate_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "priority" in out:
        out["priority"] = parse_priority(out["priority"])
    if "repeat_count" in out:
        try:
            out["repeat_count"] = int(out["repeat_count"])
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
        out["topic"] = (out["topic"] or "cchc").strip().lower() or "cchc"
    return out


def add_bulletin(
    db: Database,
    *,
    title: str,
    text: str,
    now: datetime,
    topic: str = "cchc",
    priority: str = "normal",
    repeat_count: int = 1,
    valid_from: str | date | None = None,
    valid_until: str | date | None = None,
    created_by: str | None = None,
) -> int:
    """Queue a new draft bulletin and return its id."""
    title, text = _clean(title, text)
    fields = _validate_fields(
        dict(topic=topic, priority=priority, repeat_count=repeat_count,
             valid_from=valid_from, valid_until=valid_until)
    )
    with write(db):
        return db["bulletins"].insert(
            dict(
                title=title, text=text, status="draft",
                text_sha256=text_sha256(title, text),
                created_at=to_utc_text(now), created_by=created_by, **fields,
            )
        ).last_pk


def get_bulletin(db: Database, bulletin_id: int) -> dict:
    try:
        bulletin_id = int(bulletin_id)
    except (TypeError, ValueError):
        raise NotFoundError(f'Bulletin "{bulletin_id}" does not exist.') from None
    rows = list(db["bulletins"].rows_where("id = ?", [bulletin_id]))
    if not rows:
        raise NotFoundError(f"Bulletin {bulletin_id} does not exist.")
    return rows[0]


def get_render(db: Database, bulletin_id: int) -> dict | None:
    """The speech rendering of a bulletin (state, engine, length), or None before approval."""
    rows = list(db["renders"].rows_where("bulletin_id = ?", [int(bulletin_id)]))
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


def update_bulletin(db: Database, bulletin_id: int, **fields: Any) -> dict:
    """Edit a draft; an approved bulletin's words are frozen."""
    current = get_bulletin(db, bulletin_id)
    if current["status"] != "draft" and ({"title", "text"} & fields.keys()):
        raise StateError(f"Bulletin {bulletin_id} is approved; its text is frozen.")
    if "title" in fields or "text" in fields:
        title, text = _clean(fields.get("title", current["title"]), fields.get("text", current["text"]))
        fields.update(title=title, text=text, text_sha256=text_sha256(title, text))
    fields = _validate_fields(fields)
    with write(db):
        db["bulletins"].update(current["id"], fields)
        bump_revision(db)
    return get_bulletin(db, bulletin_id)


def approve_bulletin(db: Database, bulletin_id: int, *, by: str, now: datetime) -> dict:
    """Approve a draft: its content is frozen and speech rendering is queued."""
    by = (by or "").strip()
    if not by:
        raise ValidationError("Say who approves (--by NAME).")
    current = get_bulletin(db, bulletin_id)
    if current["status"] == "approved":
        raise StateError(f"Bulletin {bulletin_id} is already approved (by {current['approved_by']}).")
    if current["status"] == "withdrawn":
        raise StateError(f"Bulletin {bulletin_id} was withdrawn; add it again to air it.")
    with write(db):
        db["bulletins"].update(
            current["id"], dict(status="approved", approved_by=by, approved_at=to_utc_text(now))
        )
        db["renders"].upsert(
            dict(bulletin_id=current["id"], state="pending", updated_at=to_utc_text(now)),
            pk="bulletin_id",
        )
        bump_revision(db)
    return get_bulletin(db, bulletin_id)


def withdraw_bulletin(db: Database, bulletin_id: int) -> dict:
    """Stop a bulletin from airing again; what already aired stays in the log."""
    current = get_bulletin(db, bulletin_id)
    with write(db):
        db["bulletins"].update(current["id"], dict(status="withdrawn"))
        bump_revision(db)
    return get_bulletin(db, bulletin_id)

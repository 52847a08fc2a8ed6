"""The audit trail: who did what to the station, and when. Append-only.

Every change a person makes through the library (add, edit, approve, return,
withdraw, pause, settings, users, outputs, tokens) records one row here, in
the same transaction as the change, so a change without its audit row cannot
exist. The database refuses UPDATE and DELETE on the table.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from radio.accounts.roles import Actor
from radio.clock import to_utc_text
from radio.store.connection import write


def record(db: Database, actor: Actor | None, action: str, *, now: datetime,
           target: str | None = None, detail: dict[str, Any] | None = None) -> int:
    """Append one audit row; joins the caller's transaction if there is one.

    :param action: an :data:`radio.accounts.roles.ACTIONS` name, e.g. ``"bulletin.approve"``
    :param target: what was acted on, e.g. ``"bulletin:12"`` or ``"user:canbo"``
    :param detail: small JSON-able facts (changed fields, a reason)
    """
    with write(db):
        return db["audit"].insert(dict(
            at=to_utc_text(now),
            username=actor.username if actor else None,
            role=actor.role if actor else None,
            action=action, target=target,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        )).last_pk


def entries(db: Database, *, limit: int = 100, offset: int = 0, target: str | None = None) -> list[dict]:
    """Audit rows, newest first (paged in SQL)."""
    where, args = ("target = ?", [target]) if target else (None, [])
    rows = list(db["audit"].rows_where(where, args, order_by="id desc", limit=limit, offset=offset))
    for row in rows:
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
    return rows

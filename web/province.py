"""Tin từ tỉnh: the provincial bulletins the station received (radio.link), by class.

Khẩn cấp and ưu tiên ones are on air or scheduled already (the province approved them);
a thông thường one waits here until an officer takes it into the schedule.
"""

from __future__ import annotations

import json

from flask import Blueprint, flash, g, redirect, render_template, url_for

from radio.errors import RadioError
from radio.link import inbox, joined, link_state
from radio.link.outbox import counts
from radio.wording.messages import vi

from .auth import requires
from .db import get_db, get_home, now

bp = Blueprint("province", __name__, url_prefix="/tin-tu-tinh")

CLASS_LABELS = {"thuong": "thông thường", "uu-tien": "ưu tiên", "khan-cap": "khẩn cấp"}
STATE_LABELS = {"received": "chờ đưa vào lịch", "scheduled": "đã đưa vào lịch", "expired": "quá hạn, không phát"}


def station_joined() -> bool:
    """Whether this station has joined a province (for the menu)."""
    try:
        return joined(get_home()) is not None
    except RadioError:
        return True  # a damaged join file: the page says so


@bp.get("/")
@requires("read")
def index():
    db = get_db()
    try:
        join = joined(get_home())
        problem = None
    except RadioError as exc:
        join, problem = None, vi(exc)
    rows = inbox.listing(db)
    for row in rows:
        message = json.loads(row["message"]) if row["message"].startswith("{") else {}
        row["signed"] = bool(message.get("signature"))
    return render_template("province/index.html", join=join, problem=problem, rows=rows,
                           state=link_state(db) if join else {}, outbox=counts(db),
                           refusals=list(db["link_refusals"].rows_where(order_by="id DESC", limit=10)),
                           CLASS_LABELS=CLASS_LABELS, STATE_LABELS=STATE_LABELS)


@bp.post("/<provincial_id>/dua-vao-lich")
@requires("bulletin.create")
def accept(provincial_id: str):
    try:
        row = inbox.accept(get_db(), provincial_id, actor=g.actor, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã đưa tin “{row['title']}” của tỉnh vào lịch phát (bản tin số {row['bulletin_id']}).", "success")
    return redirect(url_for("province.index"))

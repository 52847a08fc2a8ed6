"""Template filters and labels: how stored values read in Vietnamese."""

from __future__ import annotations

import functools
import sqlite3

from flask import current_app

from radio.bulletins.lifecycle import PRIORITIES, STATUS_LABELS
from radio.clock import local_text
from radio.errors import RadioError
from radio.wording.messages import integrity_subject, vi
from radio.wording.reasons import shown
from radio.proof.log import STATUS_LABELS as LOG_STATUS_LABELS
from radio.schedule.slots import describe_days
from radio.bulletins.topics import topic_label
from radio.accounts.users import ROLES

from .db import get_settings

ENGINE_LABELS = {"gtts": "gTTS", "espeak": "espeak-ng", "piper": "Piper", "recording": "bản ghi âm"}


def local_time(utc_text, fmt: str = "%d/%m/%Y %H:%M") -> str:
    if not utc_text:
        return ""
    return _local_text(utc_text, fmt) if isinstance(utc_text, str) else local_text(utc_text, fmt)


@functools.lru_cache(maxsize=16384)
def _local_text(utc_text: str, fmt: str) -> str:
    # pure (the station's zone is fixed); every officer paging the log asks the same stamps
    return local_text(utc_text, fmt)


def local_date(iso: str | None) -> str:
    """``2026-11-22`` → ``22/11/2026``."""
    if not iso:
        return ""
    year, month, day = str(iso).split("-")
    return f"{day}/{month}/{year}"


def duration(ms) -> str:
    """Milliseconds as m:ss."""
    if ms is None:
        return ""
    seconds = int(round(ms / 1000))
    return f"{seconds // 60}:{seconds % 60:02d}"


def seconds(value) -> str:
    if value is None:
        return ""
    return f"{float(value):.0f}"


def engine_label(engine: str | None) -> str:
    return ENGINE_LABELS.get(engine or "", engine or "")


def render_label(bulletin: dict) -> str:
    """Speech state of a bulletin, e.g. "Đã tạo giọng đọc (gTTS)"."""
    if bulletin.get("recording_path"):
        return "Dùng bản ghi âm"
    render = bulletin.get("render")
    if not render:
        return "Chưa tạo giọng đọc" if bulletin["status"] == "draft" else "Chờ tạo giọng đọc"
    state = render["state"]
    if state == "done":
        return f"Đã tạo giọng đọc ({engine_label(render.get('engine'))})"
    if state == "rendering":
        return "Đang tạo giọng đọc…"
    if state == "failed":
        return "Lỗi tạo giọng đọc"
    return "Chờ tạo giọng đọc"


def validity(bulletin: dict) -> str:
    start, end = bulletin.get("valid_from"), bulletin.get("valid_until")
    if start and end:
        return f"{local_date(start)} – {local_date(end)}"
    if start:
        return f"từ {local_date(start)}"
    if end:
        return f"đến {local_date(end)}"
    return "không giới hạn"


def station_name() -> dict:
    """The station's name for the page header (the default if settings cannot be read)."""
    try:
        return {"station_name": get_settings()["station_name"]}
    except (RadioError, sqlite3.Error) as exc:
        current_app.logger.warning("cannot read station settings: %s", exc)
        return {"station_name": "Đài truyền thanh"}


def init_app(app) -> None:
    app.context_processor(station_name)
    app.jinja_env.filters.update(
        localtime=local_time, localdate=local_date, duration=duration, seconds=seconds,
        engine=engine_label, vi=vi, reason=shown, topic=topic_label,
        integrity_subject=integrity_subject,
    )
    app.jinja_env.globals.update(
        PRIORITIES=PRIORITIES, STATUS_LABELS=STATUS_LABELS, LOG_STATUS_LABELS=LOG_STATUS_LABELS,
        ROLES=ROLES, describe_days=describe_days, render_label=render_label, validity=validity,
    )

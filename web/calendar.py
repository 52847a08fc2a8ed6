"""The week ahead as a calendar: every occurrence with its running order and length."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template

from radio.schedule import plan as radio_schedule
from radio.clock import STATION_TZ

from .auth import requires
from .db import get_db, get_settings, now
from .schedule import WEEKDAY_NAMES

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.get("/")
@requires("read")
def week():
    start = now()
    plans = radio_schedule.upcoming(get_db(), now=start, days=7, settings=get_settings())
    today = start.astimezone(STATION_TZ).date()
    days = [today + timedelta(days=n) for n in range(7)]
    by_date = {day: [] for day in days}
    for p in plans:
        if p.occurrence.local.date() in by_date:  # the plan's last hours run into an eighth day
            by_date[p.occurrence.local.date()].append(p)
    shown = [p for day in days for p in by_date[day]]
    columns = [(day, f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m}", by_date[day]) for day in days]
    return render_template("calendar/week.html", columns=columns, today=today,
                           total_ms=sum(p.duration_ms for p in shown), count=len(shown))

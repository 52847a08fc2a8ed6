"""The running order of the coming days, as the daemon will air it."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, current_app, render_template

from radio import schedule as radio_schedule

from .auth import requires
from .db import get_db, get_settings, now

bp = Blueprint("schedule", __name__, url_prefix="/schedule")

WEEKDAY_NAMES = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


@bp.get("/")
@requires("read")
def index():
    days = current_app.config["SCHEDULE_DAYS"]
    plans = radio_schedule.upcoming(get_db(), now=now(), days=days, settings=get_settings())
    by_day = [
        (f"{WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}", list(group))
        for day, group in groupby(plans, key=lambda p: p.occurrence.local.date())
    ]
    return render_template("schedule/index.html", by_day=by_day, days=days,
                           empty=not plans, priorities=radio_schedule.PRIORITY_RANK)

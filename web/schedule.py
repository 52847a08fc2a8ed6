"""The running order of the coming days, as the daemon will air it."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, current_app, render_template

from radio.schedule import plan as radio_schedule

from .auth import requires
from .cache import cached
from .db import get_db, get_settings, now

bp = Blueprint("schedule", __name__, url_prefix="/schedule")

WEEKDAY_NAMES = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")

#: between changes, the week planned is moved on in steps this long (seconds); an
#: occurrence whose time has come is dropped from the page at once all the same
PLAN_STEP_S = 60


def upcoming(days: float) -> list:
    """:func:`radio.schedule.plan.upcoming` from *now* for *days*, kept between changes of what
    it is planned from (planning reads every approved bulletin's repeats left: tens of ms
    on a year's log); occurrences whose time has come are left out at once."""
    db, at, settings = get_db(), now(), get_settings()
    key = (radio_schedule.inputs_version(db), repr(sorted(settings.items())), days,
           int(at.timestamp()) // PLAN_STEP_S)
    plans = cached(f"schedule.upcoming.{days}", key,
                   lambda: radio_schedule.upcoming(db, now=at, days=days, settings=settings))
    return [p for p in plans if p.occurrence.scheduled_at > at]


@bp.get("/")
@requires("read")
def index():
    days = current_app.config["SCHEDULE_DAYS"]
    plans = upcoming(days)
    by_day = [
        (f"{WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}", list(group))
        for day, group in groupby(plans, key=lambda p: p.occurrence.local.date())
    ]
    return render_template("schedule/index.html", by_day=by_day, days=days,
                           empty=not plans, priorities=radio_schedule.PRIORITY_RANK)

"""Alerts shown on every page: the daemon is down, airings failed or were missed, or a part
was kept off air because it is not what was approved or installed; to an admin, accounts
someone is failing to log in to."""

from __future__ import annotations

from flask import g

from radio.bulletins.approval import recent_alerts
from radio.accounts.roles import can
from radio.station.health import Health, daemon_running, last_heartbeat, recent_problems
from radio.accounts.logins import attacked_accounts

from .cache import cached, last_log_id
from .db import get_db, now

#: between log appends, the 24-hour window of problems moves on in steps this long (seconds)
WINDOW_STEP_S = 10


def alerts() -> dict:
    if not g.get("user"):
        return {"health": None}
    db, at = get_db(), now()
    # problems change only when the log grows (it is append-only) or the window moves;
    # the heartbeat changes every second and is read fresh
    problems = cached("health.problems", (last_log_id(db), int(at.timestamp()) // WINDOW_STEP_S),
                      lambda: recent_problems(db, at))
    heartbeat = last_heartbeat(db)
    # a part kept off air because it is not what was approved or installed (few rows, read fresh)
    return {"health": Health(daemon_running(heartbeat, at), heartbeat, problems, recent_alerts(db, at))}


def login_alerts() -> dict:
    """Accounts under a login attack, for the admin who manages accounts."""
    user = g.get("user")
    if not user or not can(user["role"], "user.manage"):
        return {"login_attacks": []}
    return {"login_attacks": attacked_accounts(get_db(), now())}


def init_app(app) -> None:
    app.context_processor(alerts)
    app.context_processor(login_alerts)

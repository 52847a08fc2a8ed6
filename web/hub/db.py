"""The hub for a request, opened on first use and closed at its end; the app's clock."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g

from radio.hub import Hub, open_hub


def get_hub() -> Hub:
    if "hub" not in g:
        g.hub = open_hub(current_app.config["HUB_HOME"], clock=current_app.config["CLOCK"])
    return g.hub


def close_hub(e: BaseException | None = None) -> None:
    hub = g.pop("hub", None)
    if hub is not None:
        hub.close()


def now() -> datetime:
    return current_app.config["CLOCK"].now()


def init_app(app) -> None:
    app.teardown_appcontext(close_hub)

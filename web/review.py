"""Approving or returning a draft: the one view logic behind the leader's queue
(web/approvals.py) and the bulletin page (web/bulletins.py).

Each page keeps its own words and where it goes back to; the library call, the
binding to what the leader saw (``content_sha256`` from the form), the render
after approval and the flashed refusal are the same, so they live here once.
"""

from __future__ import annotations

from flask import current_app, flash, g, request

from radio.bulletins import lifecycle as radio_bulletins
from radio.errors import NotFoundError, RadioError
from radio.wording.messages import vi
from radio.speech.rendering import render_in_background

from .db import get_db, get_home, now


def approve_from_form(bulletin_id: int, *, done: str, where: str) -> bool:
    """Approve draft *bulletin_id* as heard (the form's ``content_sha256``) and start its render.

    :param done: the flash shown on success (Vietnamese).
    :param where: which page approved, for the log line.
    :return: whether it was approved; a refusal is flashed (an unknown id raises 404).
    """
    try:
        radio_bulletins.approve_bulletin(get_db(), bulletin_id, actor=g.actor, now=now(),
                                         expected_sha256=request.form.get("content_sha256", ""),
                                         expected_spoken_sha256=request.form.get("spoken_sha256") or None)
    except NotFoundError:
        raise
    except RadioError as exc:
        flash(vi(exc), "error")
        return False
    current_app.logger.info("bulletin %s approved %s by %s", bulletin_id, where, g.actor.username)
    if current_app.config.get("RENDER_ON_APPROVE", True):
        render_in_background(get_home(), bulletin_id, current_app.config["CLOCK"])
    flash(done, "success")
    return True


def return_from_form(bulletin_id: int, *, done: str, where: str) -> bool:
    """Return draft *bulletin_id* to its officer with the form's ``reason``.

    :return: whether it was returned; a refusal (no reason, not a draft) is flashed.
    """
    try:
        radio_bulletins.return_bulletin(get_db(), bulletin_id, actor=g.actor,
                                        reason=request.form.get("reason", ""), now=now())
    except NotFoundError:
        raise
    except RadioError as exc:
        flash(vi(exc), "error")
        return False
    current_app.logger.info("bulletin %s returned %s by %s", bulletin_id, where, g.actor.username)
    flash(done, "success")
    return True

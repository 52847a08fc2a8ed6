"""The leader's queue (Duyệt bản tin): each draft with its audio and spoken text, approve or return.

Built for a phone: one card per draft, the player first, then "Duyệt" and
"Trả lại" side by side. The approval is bound to what the leader heard: the
card carries the draft's content hash (recording bytes included) and the
library refuses the approval if the draft changed since the page was opened.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from radio import bulletins as radio_bulletins
from radio import preview
from radio.errors import NotFoundError, RadioError
from radio.rendering import render_in_background

from .auth import requires
from .db import get_db, get_home, now
from .messages import vi

bp = Blueprint("approvals", __name__, url_prefix="/approvals")


@bp.get("/")
@requires("bulletin.approve")
def index():
    # a returned draft waits for its officer's edit, which clears the return
    drafts = sorted((b for b in radio_bulletins.list_bulletins(get_db(), status="draft") if not b.get("return_reason")),
                    key=lambda b: b["id"])
    for draft in drafts:
        draft["content_sha256"] = radio_bulletins.content_sha256(draft)
        if not draft.get("recording_path"):
            draft["spoken"] = preview.spoken_preview(
                get_db(), preview.spoken_text_of(draft["title"], draft["text"]), actor=g.actor)["spoken"]
    return render_template("approvals/index.html", drafts=drafts)


@bp.post("/<int:id>/approve")
@requires("bulletin.approve")
def approve(id: int):
    try:
        radio_bulletins.approve_bulletin(get_db(), id, actor=g.actor, now=now(),
                                         expected_sha256=request.form.get("content_sha256", ""))
    except NotFoundError:
        raise
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        current_app.logger.info("bulletin %s approved from the queue by %s", id, g.actor.username)
        if current_app.config.get("RENDER_ON_APPROVE", True):
            render_in_background(get_home(), id, current_app.config["CLOCK"])
        flash(f"Đã duyệt bản tin số {id}.", "success")
    return redirect(url_for("approvals.index"))


@bp.post("/<int:id>/return")
@requires("bulletin.return")
def return_to_officer(id: int):
    try:
        radio_bulletins.return_bulletin(get_db(), id, actor=g.actor, reason=request.form.get("reason", ""),
                                        now=now())
    except NotFoundError:
        raise
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã trả lại bản tin số {id} cho người soạn.", "success")
    return redirect(url_for("approvals.index"))

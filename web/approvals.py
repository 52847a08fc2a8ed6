"""The leader's queue (Duyệt bản tin): each draft with its audio and spoken text, approve or return.

Built for a phone: one card per draft, the player first, then "Duyệt" and
"Trả lại" side by side. The approval is bound to what the leader heard: the
page carries the draft's content hash (audio included) and the library refuses
the approval if the draft changed since the page was opened.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from radio import bulletins as radio_bulletins
from radio import preview
from radio.errors import NotFoundError, RadioError
from radio.rendering import render_in_background
from radio.users import APPROVERS

from .auth import role_required
from .db import get_db, get_home, now
from .messages import vi

bp = Blueprint("approvals", __name__, url_prefix="/approvals")


@bp.get("/")
@role_required(*APPROVERS)
def index():
    drafts = sorted(radio_bulletins.list_bulletins(get_db(), status="draft"), key=lambda b: b["id"])
    for draft in drafts:
        if not draft.get("recording_path"):
            draft["spoken"] = preview.spoken_preview(
                get_db(), preview.spoken_text_of(draft["title"], draft["text"]), actor=g.actor)["spoken"]
    return render_template("approvals/index.html", drafts=drafts)


@bp.post("/<int:id>/approve")
@role_required(*APPROVERS)
def approve(id: int):
    try:
        radio_bulletins.approve_bulletin(get_db(), id, by=g.user["username"], now=now())
    except NotFoundError:
        raise
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        current_app.logger.info("bulletin %s approved from the queue by %s", id, g.user["username"])
        if current_app.config.get("RENDER_ON_APPROVE", True):
            render_in_background(get_home(), id, current_app.config["CLOCK"])
        flash(f"Đã duyệt bản tin số {id}.", "success")
    return redirect(url_for("approvals.index"))

"""The leader's queue (Duyệt bản tin): each draft with its audio and spoken text, approve or return.

Built for a phone: one card per draft, the player first, then "Duyệt" and
"Trả lại" side by side. The approval is bound to what the leader heard: the
card carries the draft's content hash (recording bytes included) and the
library refuses the approval if the draft changed since the page was opened.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for

from radio.bulletins.spoken import spoken_text_of
from radio.bulletins import approval
from radio.bulletins import lifecycle as radio_bulletins
from radio.speech import preview

from .auth import requires
from .db import get_db
from .review import approve_from_form, return_from_form

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
                get_db(), spoken_text_of(draft["title"], draft["text"]), actor=g.actor)["spoken"]
            draft["spoken_sha256"] = approval.sha256_text(
                approval.spoken_form(get_db(), draft["title"], draft["text"]))
    # approved bulletins a lexicon change would read differently: they air their approved
    # audio until the leader approves the new reading, shown here against the approved one
    again = approval.reapprovals(get_db())
    for bulletin in again:
        bulletin["content_sha256"] = radio_bulletins.content_sha256(bulletin)
        bulletin["spoken_sha256"] = approval.sha256_text(bulletin["new_spoken"])
    return render_template("approvals/index.html", drafts=drafts, reapprovals=again)


@bp.post("/<int:id>/approve")
@requires("bulletin.approve")
def approve(id: int):
    approve_from_form(id, done=f"Đã duyệt bản tin số {id}.", where="from the queue")
    return redirect(url_for("approvals.index"))


@bp.post("/<int:id>/return")
@requires("bulletin.return")
def return_to_officer(id: int):
    return_from_form(id, done=f"Đã trả lại bản tin số {id} cho người soạn.", where="from the queue")
    return redirect(url_for("approvals.index"))

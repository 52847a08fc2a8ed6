"""The emergency button (phát khẩn cấp): type or pick, confirm, on air; then watch it air."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, url_for

from radio.bulletins import lifecycle as radio_bulletins
from radio.schedule import emergency
from radio.errors import NotFoundError, RadioError
from radio.wording.messages import vi
from radio.speech.rendering import render_in_background
from radio.bulletins.topics import TOPICS, topic_label

from .auth import requires
from .db import get_db, get_home, now

bp = Blueprint("emergency", __name__, url_prefix="/emergency")


def _picked() -> int | None:
    value = (request.form.get("bulletin_id") or "").strip()
    # ASCII only: "²".isdigit() is true and int("²") raises
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 15 else None


@bp.route("/", methods=("GET", "POST"))
@requires("bulletin.urgent")
def index():
    approved = radio_bulletins.list_bulletins(get_db(), status="approved")[:20]
    text, title, picked = request.form.get("text", ""), request.form.get("title", ""), _picked()
    topic = request.form.get("topic", "") if request.form.get("topic", "") in TOPICS else emergency.DEFAULT_TOPIC
    key = request.values.get("template", "")
    template = emergency.TEMPLATES.get(key)
    if request.method == "GET" and template:  # a ready-made opening to complete before sending
        title, text = template
        topic = emergency.TEMPLATE_TOPICS.get(key, emergency.DEFAULT_TOPIC)
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            chosen = next((b for b in approved if b["id"] == picked), None)
            if not text.strip() and chosen is None:
                flash("Hãy gõ nội dung cần phát khẩn cấp hoặc chọn một bản tin đã duyệt.", "error")
            else:
                return render_template("emergency/confirm.html", text=text.strip() if not chosen else "",
                                       title=title, chosen=chosen, topic=topic, topic_label=topic_label)
        else:
            try:
                out = emergency.broadcast(get_db(), actor=g.actor, now=now(), text=text or None,
                                          title=title, bulletin_id=None if text.strip() else picked,
                                          topic=topic)
            except RadioError as exc:
                flash(vi(exc), "error")
            else:
                current_app.logger.warning("emergency broadcast %s (bulletin %s) by %s",
                                           out["command_id"], out["bulletin_id"], g.actor.username)
                if current_app.config.get("RENDER_ON_APPROVE", True):
                    # the daemon would render it too; starting here saves its poll
                    render_in_background(get_home(), out["bulletin_id"], current_app.config["CLOCK"])
                return redirect(url_for("emergency.sent", command_id=out["command_id"]))
    return render_template("emergency/index.html", approved=approved, text=text, title=title, picked=picked,
                           templates=emergency.TEMPLATES, topics=TOPICS, topic=topic)


@bp.get("/<int:command_id>")
@requires("bulletin.urgent")
def sent(command_id: int):
    try:
        state = emergency.status(get_db(), command_id)
    except NotFoundError as exc:
        flash(vi(exc), "error")
        return redirect(url_for("emergency.index"))
    return render_template("emergency/sent.html", command_id=command_id, state=state)


@bp.get("/<int:command_id>.json")
@requires("bulletin.urgent")
def sent_json(command_id: int):
    try:
        return jsonify({"state": emergency.status(get_db(), command_id)["state"]})
    except NotFoundError as exc:
        return jsonify({"error": vi(exc)})

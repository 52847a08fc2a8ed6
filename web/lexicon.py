"""The station's pronunciation lexicon: list, search, add, edit, remove, listen.

Rules (length, what a term is, who may edit, which renders go stale) live
in :mod:`radio.speech.lexicon`.
"""

from __future__ import annotations

import unicodedata

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for

from content.lexicon import load_lexicon
from radio.speech import lexicon as radio_lexicon
from radio.errors import RadioError
from radio.wording.messages import vi

from .auth import requires
from .db import get_db, now
from .forms import json_object, json_text

bp = Blueprint("lexicon", __name__, url_prefix="/lexicon")

#: shipped readings listed under a search (the lexicon has a few thousand)
MAX_SHIPPED_SHOWN = 50
#: longer than any entry the library accepts (60 written, 200 spoken): refused before it
MAX_TYPED = 1000


def _matches(entry: dict, query: str) -> bool:
    fold = unicodedata.normalize("NFC", query).casefold()
    return fold in entry["term"].casefold() or fold in entry["spoken"].casefold()


@bp.get("/")
@requires("read")
def index():
    query = (request.args.get("q") or "").strip()[:MAX_TYPED]
    rows = radio_lexicon.entries(get_db())
    shipped = []
    if query:
        rows = [r for r in rows if _matches(r, query)]
        own = {r["term"] for r in rows}
        shipped = [e for e in ({"term": t, "spoken": s} for t, s in load_lexicon().items())
                   if e["term"] not in own and _matches(e, query)][:MAX_SHIPPED_SHOWN]
    editing = request.args.get("edit") or ""
    spoken = next((r["spoken"] for r in rows + shipped if r["term"] == editing), "")
    return render_template("lexicon/index.html", entries=rows, shipped=shipped, query=query,
                           editing=editing, editing_spoken=spoken)


@bp.post("/")
@requires("lexicon.edit")
def save():
    term, spoken = request.form.get("term", ""), request.form.get("spoken", "")
    if len(term) > MAX_TYPED or len(spoken) > MAX_TYPED:
        # before the redirect below carries it: a 100,000-character term made a 64 KB Location
        abort(400, f"Từ và cách đọc dài tối đa {MAX_TYPED} ký tự.")
    try:
        entry = radio_lexicon.set_entry(get_db(), term, spoken, now=now(), actor=g.actor)
    except RadioError as exc:
        flash(vi(exc), "error")
        return redirect(url_for("lexicon.index", q=term))
    flash(f'Đã lưu: "{entry["term"]}" đọc là "{entry["spoken"]}". Bản tin đã duyệt có dùng từ này sẽ chờ lãnh đạo '
          'duyệt lại cách đọc mới; trong lúc chờ, đài vẫn phát giọng đọc đã duyệt.', "success")
    return redirect(url_for("lexicon.index"))


@bp.post("/add.json")
@requires("lexicon.edit")
def add_json():
    """The editor's "Thêm vào từ điển": ``{"term", "spoken"}`` → the saved entry."""
    data = json_object()
    try:
        entry = radio_lexicon.set_entry(get_db(), json_text(data, "term", max_chars=MAX_TYPED),
                                        json_text(data, "spoken", max_chars=MAX_TYPED), now=now(), actor=g.actor)
    except RadioError as exc:
        return jsonify({"error": vi(exc)})  # 200: a typing problem, as a form page would say it
    return jsonify({"term": entry["term"], "spoken": entry["spoken"]})


@bp.post("/remove")
@requires("lexicon.edit")
def remove():
    term = request.form.get("term", "")
    try:
        radio_lexicon.remove_entry(get_db(), term, now=now(), actor=g.actor)
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f'Đã xóa "{term}" khỏi từ điển của đài.', "success")
    return redirect(url_for("lexicon.index"))

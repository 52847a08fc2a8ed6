"""Targets: their status, adding and removing them (leaders), and proposals from the yearly plan."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from radio.accounts.roles import can
from radio.clock import local
from radio.errors import RadioError
from radio.wording.messages import vi
from radio.reports import plan_import, targets

from content.importers import DocumentError

from .auth import requires
from .cache import cached, last_log_id
from .db import get_db, get_settings, now

bp = Blueprint("targets", __name__, url_prefix="/targets")


def _may_manage() -> bool:
    return g.user is not None and can(g.user["role"], "target.manage")


@bp.get("/")
@requires("read")
def index():
    settings = get_settings()
    results = targets.evaluate(get_db(), now(), warning_days=settings["target_warning_days"])
    return render_template("targets/index.html", results=results, rows=targets.list_targets(get_db()),
                           may_manage=_may_manage(), describe=targets.describe_vi,
                           kinds=targets.PERIOD_LABELS, rule=targets.COUNTING_RULE_VI)


@bp.post("/add")
@requires("target.manage")
def add():
    form = request.form
    try:
        targets.add_target(get_db(), g.actor, topic=form.get("topic", ""), period=form.get("period", ""),
                           minimum=form.get("minimum", ""), applies_from=form.get("applies_from") or None,
                           applies_until=form.get("applies_until") or None, note=form.get("note"), now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash("Đã thêm chỉ tiêu.", "success")
    return redirect(url_for("targets.index"))


@bp.post("/<int:target_id>/remove")
@requires("target.manage")
def remove(target_id: int):
    try:
        targets.remove_target(get_db(), g.actor, target_id, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã xóa chỉ tiêu số {target_id}.", "success")
    return redirect(url_for("targets.index"))


@bp.post("/import")
@requires("target.manage")
def import_plan():
    """Read the uploaded plan and show its proposals with checkboxes (nothing is written yet)."""
    upload = request.files.get("plan")
    if not upload or not upload.filename:
        flash("Hãy chọn tệp kế hoạch (.docx hoặc .txt).", "error")
        return redirect(url_for("targets.index"))
    suffix = Path(upload.filename).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan{suffix}"
        upload.save(path)
        try:
            proposals = plan_import.propose(path)
        except DocumentError as exc:
            flash(f"Không đọc được tệp {upload.filename}: {vi(str(exc).split(': ', 1)[-1])}", "error")
            return redirect(url_for("targets.index"))
    return render_template("targets/import.html", proposals=proposals, filename=upload.filename,
                           describe=targets.describe_vi, may_manage=_may_manage(),
                           payload=[json.dumps(p.__dict__, ensure_ascii=False) for p in proposals])


@bp.post("/import/confirm")
@requires("target.manage")
def confirm_import():
    chosen = []
    for raw in request.form.getlist("proposal"):
        try:
            chosen.append(plan_import.Proposal(**json.loads(raw)))
        except (TypeError, ValueError):
            flash("Dữ liệu đề xuất không hợp lệ; hãy nhập lại tệp kế hoạch.", "error")
            return redirect(url_for("targets.index"))
    if not chosen:
        flash("Chưa chọn chỉ tiêu nào; không có gì thay đổi.", "info")
        return redirect(url_for("targets.index"))
    try:
        ids = plan_import.accept(get_db(), g.actor, chosen, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã thêm {len(ids)} chỉ tiêu từ kế hoạch.", "success")
    return redirect(url_for("targets.index"))


def target_warnings() -> dict:
    """Every page of a logged-in user: targets not met whose period ends soon."""
    if not g.get("user"):
        return {"target_warnings": []}
    db, at, days = get_db(), now(), get_settings()["target_warning_days"]
    # a warning depends on the log (append-only: its last id), the targets, the local date
    # and the setting; the key holds all four, so an edit shows on the next page
    key = (last_log_id(db), tuple(db.execute("SELECT * FROM targets ORDER BY id").fetchall()),
           local(at).date(), days)
    return {"target_warnings": cached("targets.warnings", key,
                                      lambda: targets.warnings(db, at, warning_days=days))}


def init_app(app) -> None:
    app.context_processor(target_warnings)
    app.register_blueprint(bp)

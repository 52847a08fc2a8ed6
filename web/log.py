"""The proof log: what actually aired, with a CSV download and the chain check."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, send_file, url_for

from radio import chain, corrections, exports, prooflog, replay
from radio.accounts import can, require
from radio.clock import local
from radio.errors import NotFoundError, RadioError, ValidationError

from .auth import login_required
from .db import get_db, get_home, now
from .messages import vi

bp = Blueprint("log", __name__, url_prefix="/log")


def _month() -> str | None:
    """The month asked for: ``?month=YYYY-MM``, ``all``, or this local month by default."""
    month = request.args.get("month")
    if month is None or month == "":
        return local(now()).strftime("%Y-%m")
    return None if month == "all" else month.strip()


@bp.get("/")
@login_required
def index():
    month = _month()
    try:
        rows = prooflog.entries(get_db(), month=month)
    except ValidationError as exc:
        flash(vi(exc), "error")
        month = local(now()).strftime("%Y-%m")
        rows = prooflog.entries(get_db(), month=month)
    state = chain.chain_state(get_db())  # incremental: no walk of the whole log per view
    verdicts = replay.known_verdicts(get_home(), [r["programme_sha256"] for r in rows
                                                  if r["status"] in replay.REPLAYABLE])
    return render_template("log/index.html", rows=rows, month=month, chain=state, verdicts=verdicts,
                           replayable=replay.REPLAYABLE,
                           chain_ok=state.ok, bad_id=state.first_broken_id,
                           may_enter=can(g.actor.role if g.actor else None, "log.manual"))


@bp.get("/<int:id>/audio.wav")
@login_required
def audio(id: int):
    """The aired audio of entry *id*, re-assembled and checked against the logged sha256."""
    require(g.actor, "read")
    try:
        result = replay.replay(get_db(), get_home(), id)
    except NotFoundError as exc:
        abort(404, vi(exc))
    response = send_file(result.path, mimetype="audio/wav", conditional=True,
                         download_name=f"buoi-phat-{id}.wav")
    response.headers["X-Sha256-Match"] = "yes" if result.matches else "no"
    return response


@bp.get("/<int:id>/replay")
@login_required
def replay_page(id: int):
    """One entry's replay: the player and whether it hashes to what the log says aired."""
    require(g.actor, "read")
    try:
        result = replay.replay(get_db(), get_home(), id)
    except NotFoundError as exc:
        abort(404, vi(exc))
    row = get_db().execute("SELECT * FROM occurrences WHERE id = ?", [id]).fetchone()
    return render_template("log/replay.html", id=id, result=result,
                           scheduled_at=row[4] if row else None)


@bp.post("/verify")
@login_required
def verify():
    """The full walk, on demand (``radio log verify`` does the same)."""
    report = chain.verify(get_db(), now=now())
    if report.ok:
        flash(f"Đã kiểm tra toàn bộ {report.count} dòng nhật ký: không có dòng nào bị sửa, xóa hay đảo thứ tự.",
              "success")
    else:
        flash("Nhật ký đã bị sửa đổi: " + "; ".join(vi(p) for p in report.problems[:5])
              + (" …" if len(report.problems) > 5 or report.more else ""), "error")
    return redirect(url_for("log.index", month=request.form.get("month") or None))


@bp.post("/manual")
@login_required
def manual():
    """A reading done outside the system (power cut, microphone), entered by a leader."""
    form = request.form
    try:
        corrections.add_manual(
            get_db(), g.actor, started_at=corrections.parse_local(form.get("at", "")),
            seconds=_minutes(form.get("minutes")) * 60, reason=form.get("reason", ""),
            titles=form.get("titles", "").splitlines(), status=form.get("status", "aired"), now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash("Đã ghi buổi phát ngoài hệ thống vào nhật ký (đánh dấu nhập tay).", "success")
    return redirect(url_for("log.index", month="all"))


@bp.post("/correct")
@login_required
def correct():
    entry = request.form.get("entry", "").strip()
    id = int(entry) if entry.isdigit() else 0
    try:
        corrections.correct(get_db(), g.actor, id, reason=request.form.get("reason", ""),
                            status=request.form.get("status") or None, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã ghi đính chính cho dòng số {id}; dòng gốc được giữ nguyên.", "success")
    return redirect(url_for("log.index", month="all"))


def _minutes(text: str | None) -> float:
    try:
        return float((text or "").replace(",", "."))
    except ValueError:
        raise ValidationError("The reading's length must be between 1 second and 24 hours.") from None


@bp.get("/export.csv")
@login_required
def download_csv():
    month = _month()
    buffer = io.StringIO()
    try:
        exports.write_csv(get_db(), buffer, month=month)
    except ValidationError as exc:
        flash(vi(exc), "error")
        return index()
    name = f"nhat-ky-phat-{month or 'tat-ca'}.csv"
    # BOM first so Excel reads the Vietnamese as UTF-8
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

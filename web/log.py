"""The proof log: what actually aired, the chart against the target, the chain check and
the downloads (CSV streamed; Excel and Word built to a temporary file, then sent)."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from flask import (Blueprint, Response, abort, after_this_request, flash, g, redirect, render_template,
                   request, send_file, url_for)

from radio.proof import chain, corrections, log as prooflog, replay
from radio.schedule import outputs
from radio.accounts.roles import can
from radio.clock import local
from radio.errors import NotFoundError, RadioError, ValidationError
from radio.wording.messages import vi
from radio.store.paging import page_number
from radio.reports import csv_export, exports, periods, summary_cache, summary_text, targets
from radio.reports import rows as log_rows
from radio.store.connection import connect
from radio.bulletins.topics import TOPICS

from .auth import requires
from .db import get_db, get_home, get_settings, now
from .forms import finite_number

bp = Blueprint("log", __name__, url_prefix="/log")
#: the formats built to a file and sent (the CSV streams, :func:`download_csv`)
_BUILT = ("xlsx", "docx")


def _month() -> str | None:
    """The month asked for: ``?month=YYYY-MM``, ``all``, or this local month by default."""
    month = request.args.get("month")
    if month is None or month == "":
        return local(now()).strftime("%Y-%m")
    return None if month == "all" else month.strip()


def _selection() -> tuple[periods.Period | None, dict]:
    """The period in the query (``period``, ``from``/``until`` or ``month``; ``cutoff=1``)
    and the query arguments that reproduce it in links."""
    args = request.args
    cutoff = args.get("cutoff") == "1"
    if args.get("period"):
        query = {"period": args["period"].strip()}
        period = periods.select(period_text=query["period"], cutoff=cutoff)
    elif args.get("from") or args.get("until"):
        query = {"from": args.get("from", ""), "until": args.get("until", "")}
        period = periods.select(from_text=query["from"], until_text=query["until"])
    else:
        month = _month()
        query = {"month": month or "all"}
        period = periods.select(month_text=month, cutoff=cutoff) if month else None
    if cutoff and period is not None and period.kind != "custom":
        query["cutoff"] = "1"
    return period, query


@bp.get("/")
@requires("read")
def index():
    db = get_db()
    try:
        period, query = _selection()
    except ValidationError as exc:
        flash(vi(exc), "error")
        month = local(now()).strftime("%Y-%m")
        period, query = periods.select(month_text=month), {"month": month}
    month = query.get("month")
    page = None
    if month and "cutoff" not in query:
        try:
            number = page_number(request.args.get("page"))
        except ValidationError as exc:
            flash(vi(exc), "error")
            number = 1
        page = prooflog.entry_page(db, month=None if month == "all" else month, page=number)
        rows = page.rows
    else:
        rows = None  # longer periods: the summary and the downloads, not a 10,000-row page
    for row in rows or []:
        row["output_shown"] = outputs.masked(row["output"])
    summary, png = summary_cache.summary_and_chart(db, period, now(), dpi=100)
    picture = base64.b64encode(png).decode("ascii")
    state = chain.chain_state(db)  # incremental: no walk of the whole log per view
    verdicts = replay.known_verdicts(get_home(), [r["programme_sha256"] for r in rows or []
                                                  if r["status"] in replay.REPLAYABLE])
    return render_template("log/index.html", rows=rows, page=page, audio_url=_id_url("log.audio"),
                           replay_url=_id_url("log.replay_page"), pager_args={"month": month or "all"},
                           month=month if month != "all" else None,
                           query=query, period=summary.period, summary=summary, chart_png=picture,
                           chain=state, verdicts=verdicts, replayable=replay.REPLAYABLE,
                           summary_sentences=summary_text.summary_sentences(summary),
                           counting_rule=targets.COUNTING_RULE_VI, output_note=log_rows.output_note,
                           LOG_KIND_LABELS=prooflog.KIND_LABELS, TOPICS=TOPICS,
                           may_enter=can(g.actor.role if g.actor else None, "log.manual"),
                           chain_ok=state.ok, bad_id=state.first_broken_id, cutoff="cutoff" in query,
                           period_text=request.args.get("period", ""),
                           from_text=request.args.get("from", ""), until_text=request.args.get("until", ""))


def _id_url(endpoint: str):
    """``id → URL`` of *endpoint*: routed once per page, not twice for each of its rows."""
    pattern = url_for(endpoint, id=987654321)
    return lambda id: pattern.replace("987654321", str(int(id)))


def _filename(period: periods.Period | None, ext: str) -> str:
    return f"nhat-ky-phat-{period.key.replace('..', '_') if period else 'tat-ca'}{'-cutoff' if period and period.cutoff else ''}.{ext}"


@bp.get("/<int:id>/audio.wav")
@requires("read")
def audio(id: int):
    """The aired audio of entry *id*, re-assembled and checked against the logged sha256."""
    try:
        result = replay.replay(get_db(), get_home(), id)
    except NotFoundError as exc:
        abort(404, vi(exc))
    response = send_file(result.path, mimetype="audio/wav", conditional=True,
                         download_name=f"buoi-phat-{id}.wav")
    response.headers["X-Sha256-Match"] = "yes" if result.matches else "no"
    return response


@bp.get("/<int:id>/replay")
@requires("read")
def replay_page(id: int):
    """One entry's replay: the player and whether it hashes to what the log says aired."""
    try:
        result = replay.replay(get_db(), get_home(), id)
    except NotFoundError as exc:
        abort(404, vi(exc))
    row = get_db().execute("SELECT * FROM occurrences WHERE id = ?", [id]).fetchone()
    return render_template("log/replay.html", id=id, result=result,
                           scheduled_at=row[4] if row else None)


@bp.post("/verify")
@requires("read")
def verify():
    """The full walk, on demand (``radio log verify`` does the same)."""
    report = chain.verify(get_db(), now=now())
    if report.ok:
        flash(f"Đã kiểm tra toàn bộ {report.count} dòng nhật ký: không có dòng nào bị sửa, xóa hay đảo thứ tự.",
              "success")
    else:
        flash("Nhật ký đã bị sửa đổi: " + "; ".join(vi(p) for p in report.problems[:5])
              + (" …" if len(report.problems) > 5 or report.more else ""), "error")
    return redirect(url_for("log.index", month=(request.form.get("month") or "")[:20] or None))


@bp.post("/manual")
@requires("log.manual")
def manual():
    """A reading done outside the system (power cut, microphone), entered by a leader."""
    form = request.form
    try:
        corrections.add_manual(
            get_db(), g.actor, started_at=corrections.parse_local(form.get("at", "")),
            seconds=_minutes(form.get("minutes")) * 60, reason=form.get("reason", ""),
            titles=form.get("titles", "").splitlines(), status=form.get("status", "aired"),
            topic=form.get("topic") or None, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash("Đã ghi buổi phát ngoài hệ thống vào nhật ký (đánh dấu nhập tay).", "success")
    return redirect(url_for("log.index", month="all"))


@bp.post("/correct")
@requires("log.manual")
def correct():
    entry = request.form.get("entry", "").strip()
    id = int(entry) if entry.isascii() and entry.isdigit() and len(entry) <= 15 else 0
    try:
        corrections.correct(get_db(), g.actor, id, reason=request.form.get("reason", ""),
                            status=request.form.get("status") or None, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã ghi đính chính cho dòng số {id}; dòng gốc được giữ nguyên.", "success")
    return redirect(url_for("log.index", month="all"))


def _minutes(text: str | None) -> float:
    return finite_number(text, "The reading's length must be between 1 second and 24 hours.")


@bp.get("/export.csv")
@requires("report.export")
def download_csv():
    try:
        period, _ = _selection()
    except ValidationError as exc:
        flash(vi(exc), "error")
        return index()  # the page for the current month, with the message
    path = get_home().database
    snapshot = log_rows.head(get_db())  # the head the rows are read up to, stated outside the CSV

    def body():
        # its own connection: the request's one closes before the last row is sent
        db = connect(path)
        try:
            # BOM first so Excel reads the Vietnamese as UTF-8; then rows as the cursor yields them
            yield "\ufeff"
            yield from csv_export.lines(db, period, upto=snapshot)
        finally:
            db.conn.close()

    return Response(body(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(period, "csv")}"',
                             "X-Chain-Head": snapshot.text})


@bp.get("/export.<fmt>")
@requires("report.export")
def download(fmt: str):
    if fmt not in _BUILT:
        return redirect(url_for("log.index"))
    try:
        period, _ = _selection()
    except ValidationError as exc:
        flash(vi(exc), "error")
        return index()  # the page for the current month, with the message
    tmp = Path(tempfile.mkdtemp(prefix="radio-export-"))
    path = tmp / f"export.{fmt}"
    try:
        exports.export(get_db(), path, fmt, period, now=now(), settings=get_settings())
    except BaseException:
        tmp.rmdir()  # the export wrote nothing whole; its partial file is gone already
        raise

    @after_this_request
    def cleanup(response):
        response.call_on_close(lambda: (path.unlink(missing_ok=True), tmp.rmdir()))
        return response

    return send_file(path, mimetype=exports.FORMATS[fmt], as_attachment=True, download_name=_filename(period, fmt))

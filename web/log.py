"""The proof log: what actually aired, with a CSV download and the chain check."""

from __future__ import annotations

import io

from flask import Blueprint, Response, flash, render_template, request

from radio import exports, prooflog
from radio.clock import local
from radio.errors import ValidationError
from radio.paging import page_number

from .auth import requires
from .db import get_db, now
from .messages import vi

bp = Blueprint("log", __name__, url_prefix="/log")


def _month() -> str | None:
    """The month asked for: ``?month=YYYY-MM``, ``all``, or this local month by default."""
    month = request.args.get("month")
    if month is None or month == "":
        return local(now()).strftime("%Y-%m")
    return None if month == "all" else month.strip()


@bp.get("/")
@requires("read")
def index():
    month = _month()
    try:
        page = prooflog.entry_page(get_db(), month=month, page=page_number(request.args.get("page")))
    except ValidationError as exc:
        flash(vi(exc), "error")
        month = local(now()).strftime("%Y-%m")
        page = prooflog.entry_page(get_db(), month=month)
    ok, bad_id = prooflog.verify_chain(get_db())
    return render_template("log/index.html", rows=page, page=page, month=month, chain_ok=ok, bad_id=bad_id,
                           pager_args={"month": month or "all"})


@bp.get("/export.csv")
@requires("report.export")
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

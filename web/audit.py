"""The audit trail (leaders and admins): who changed what, newest first, paged in SQL."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from radio.accounts import audit as radio_audit
from radio.accounts.roles import require
from radio.errors import ValidationError
from radio.store.ids import parse_count
from radio.wording.messages import ACTION_LABELS, ROLE_LABELS

from .audit_text import describe_detail, describe_target
from .auth import requires
from .db import get_db

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 50


@bp.get("/")
@requires("audit.read")
def index():
    require(g.actor, "audit.read")
    total = get_db()["audit"].count
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        page = parse_count(request.args.get("page") or "1", "Page", low=1, high=pages)
    except ValidationError:
        abort(404, f"Không có trang {request.args.get('page', '')[:20]} của nhật ký thao tác (có {pages} trang).")
    rows = radio_audit.entries(get_db(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("audit/index.html", rows=rows, page=page, pages=pages, total=total,
                           AUDIT_ACTIONS=ACTION_LABELS, AUDIT_ROLES=ROLE_LABELS,
                           describe_detail=describe_detail, describe_target=describe_target)

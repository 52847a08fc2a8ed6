"""``/api/v1/log``: the proof log, paged in the chain's order, with the chain head."""

from __future__ import annotations

from flask import jsonify, request, url_for

from radio.reports import publish
from radio.store.ids import MAX_ID, parse_count

from ..db import get_db
from . import bp
from .auth import token_required


def _int_arg(name: str, default: int, *, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    # ASCII digits in range: int() takes "٣" and "1_0", and 20 digits overflow SQLite
    return parse_count(raw, name, low=low, high=high)


@bp.get("/log")
@token_required()
def log_entries():
    args = request.args
    page = publish.log_page(get_db(), month=args.get("month") or None, since=args.get("from") or None,
                            until=args.get("until") or None, after=_int_arg("after", 0, low=0, high=MAX_ID),
                            limit=_int_arg("limit", 100, low=1, high=publish.MAX_PAGE))
    next_url = None
    if page.next_after is not None:
        query = {k: v for k, v in args.items() if k != "after"}
        next_url = url_for("api.log_entries", **query, after=page.next_after)
    return jsonify({"entries": page.entries, "next": next_url, "chain_head": publish.chain_head(get_db())})


@bp.get("/log/head")
@token_required()
def log_head():
    return jsonify(publish.chain_head(get_db()))

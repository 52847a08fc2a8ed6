"""``/api/v1/targets``: each target of the plan with its count and status in a period.

What counts is an aired occurrence with a completed item of the target's topic
(a partial occurrence does not), exactly as ``radio targets`` and the reports.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from radio.reports import publish
from radio.reports import periods, targets

from ..db import get_db
from . import bp
from .auth import token_required


@bp.get("/targets")
@token_required()
def target_status():
    args = request.args
    period = periods.select(month_text=args.get("month") or None, period_text=args.get("period") or None,
                            cutoff=args.get("cutoff") in ("1", "true"))
    now = current_app.config["CLOCK"].now()
    results = targets.evaluate(get_db(), now, period)
    return jsonify({
        "targets": [{
            "id": r.target["id"], "topic": r.target["topic"], "period_kind": r.target["period"],
            "minimum": r.minimum, "period": r.period.key, "from": r.period.start.isoformat(),
            "until": r.period.last_day.isoformat(), "count": r.count, "status": r.status,
            "days_left": r.days_left,
        } for r in results],
        "counts": "aired occurrences with a completed item of the topic; partial ones do not count",
        "chain_head": publish.chain_head(get_db()),
    })

"""``/api/v1/openapi.json``: the API's OpenAPI 3 contract, the file beside this module."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import jsonify

from . import bp
from ..auth import public

SPEC_PATH = Path(__file__).with_name("openapi.json")


@cache
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(spec())

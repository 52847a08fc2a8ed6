"""Small helpers shared by the admin's forms."""

from __future__ import annotations

import json
import math

from flask import abort, jsonify, request
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as RoutingValidationError

from radio.errors import ValidationError
from radio.store.ids import MAX_ID

try:  # wtforms >= 3.3 deprecates (value, label) tuples
    from wtforms.fields import SelectChoice
except ImportError:  # pragma: no cover - older wtforms
    def SelectChoice(value, label=None):  # noqa: N802
        return (value, label if label is not None else value)


def choices(pairs) -> list:
    """``[(value, label), ...]`` as select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


# -- bad input answers 400/404, never 500 ---------------------------------------------
class IdConverter(IntegerConverter):
    """``<int:id>`` in every route: ASCII digits only, at most :data:`radio.store.ids.MAX_ID`.

    Werkzeug's own matches any Unicode digit (``/bulletins/٣`` was bulletin 3) and
    passes a 30-digit id on to SQLite, which overflows (a 500); here both are a 404.
    """

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str):
        if len(value) > len(str(MAX_ID)):
            raise RoutingValidationError()
        return super().to_python(value)


def _json_error(message: str, status: int = 400):
    response = jsonify({"error": message})
    response.status_code = status
    return response


def json_object() -> dict:
    """The request's JSON body as an object; a list, a number, bad JSON or a lone
    surrogate (``"\\ud800"``, which no database or file can store) is a JSON 400."""
    data = request.get_json(silent=True)
    if data is None:
        return {}
    if not isinstance(data, dict):
        abort(_json_error("Dữ liệu gửi lên phải là một đối tượng JSON ({...})."))
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        abort(_json_error("Dữ liệu gửi lên có ký tự không hợp lệ."))
    return data


def json_text(data: dict, name: str, *, max_chars: int = 100_000) -> str:
    """Field *name* of a JSON object as text ("" when missing); an object or list is a JSON 400."""
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        abort(_json_error(f'Trường "{name[:40]}" phải là chữ.'))
    text = value if isinstance(value, str) else str(value)
    if len(text) > max_chars:
        abort(_json_error(f'Trường "{name[:40]}" dài quá {max_chars} ký tự.'))
    return text


def finite_number(text: str | None, message: str) -> float:
    """A number typed in a form (a decimal comma allowed); ``nan``, ``inf`` and words refuse.

    :raise ValidationError: with *message*
    """
    raw = (text or "").strip().replace(",", ".")
    if not raw.isascii() or len(raw) > 30:
        raise ValidationError(message)
    try:
        number = float(raw)
    except ValueError:
        raise ValidationError(message) from None
    if not math.isfinite(number):
        raise ValidationError(message)
    return number

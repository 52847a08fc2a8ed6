"""The read-only JSON API (``/api/v1``), for district and province offices that collect
many communes' logs.

Clients authenticate with a per-client bearer token (``radio token add NAME``);
a session cookie of the admin gives no access here, and the API never sets
one. Only GET: CSRF does not apply. The contract is ``openapi.json`` beside
this file, served at ``/api/v1/openapi.json``; a test checks every route is in
it and every response validates against it.

One module per resource: ``log`` (the proof log and its chain head),
``health`` (the station). ``/api/v1/targets`` belongs in a ``targets`` module
here, fed by ``radio.reports.targets``, with its path added to openapi.json.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from radio.errors import NotFoundError, RadioError

from ..security import StationSessionInterface

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PREFIX = "/api/"


def error(status: int, message: str, **headers):
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


@bp.errorhandler(RadioError)
def _radio_error(exc: RadioError):
    return error(404 if isinstance(exc, NotFoundError) else 400, str(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error(exc.code or 500, exc.description or exc.name)


class _NoApiSessions(StationSessionInterface):
    """The admin's cookie session, never opened nor written on API paths."""

    def open_session(self, app, request):
        if request.path.startswith(PREFIX):
            return self.null_session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith(PREFIX):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    from . import health, log, spec, targets  # noqa: F401  (they add their routes to bp)
    from .. import csrf

    # wraps the admin's session interface (Secure over HTTPS): API paths never see a cookie
    app.session_interface = _NoApiSessions()
    csrf.exempt(bp)
    app.register_blueprint(bp)

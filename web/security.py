"""What every response carries: security headers and the session cookie's flags.

- ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``: no page can be
  framed (clickjacking the "Duyệt" button);
- a Content-Security-Policy the pages satisfy: scripts, styles and media only
  from the admin itself, no inline script (forms ask for confirmation through
  ``static/confirm.js``);
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``.

The cookie is HttpOnly and SameSite=Lax always, and Secure whenever the request
came over HTTPS: directly, or through a trusted proxy (setting
``trusted_proxies``) that says so in ``X-Forwarded-Proto``.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class StationSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie (it carries only the server-side session token),
    marked Secure when this request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask, *, trusted_proxies: int = 0) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.session_interface = StationSessionInterface()
    app.after_request(_add_headers)
    if trusted_proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies,
                                x_host=trusted_proxies, x_prefix=trusted_proxies)

"""Friendly Vietnamese error pages; no traceback ever reaches a user."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from radio.accounts.roles import PermissionDeniedError
from radio.errors import NotFoundError, RadioError

from radio.wording.messages import vi

API_PREFIX = "/api/"  # web.api.PREFIX (not imported: the API package imports the admin's parts)

TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Thao tác không được phép",
    413: "Tệp quá lớn",
    500: "Lỗi hệ thống",
}
DEFAULT_TEXT = {
    400: "Yêu cầu không hợp lệ. Hãy quay lại và thử lại.",
    403: "Tài khoản của bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc mục bạn yêu cầu.",
    405: "Thao tác này không được phép trên trang này.",
    413: "Tệp tải lên quá lớn (tối đa 20 MB).",
    500: "Đã có lỗi trong hệ thống. Lỗi đã được ghi lại; hãy thử lại hoặc báo cho người quản trị.",
}


def _api(code: int, text: str):
    return jsonify({"error": text}), code


def _page(code: int, text: str):
    title = TITLES.get(code, "Lỗi")
    return render_template("error.html", code=code, title=title, text=text), code


def handle_http(e: HTTPException):
    code = e.code or 500
    if request.path.startswith(API_PREFIX):
        # under /api/ every answer is JSON (in English, as the API's), even for a path
        # or a method no route has
        return _api(code, e.description or e.name)
    # abort(404, "Vietnamese text") sets a custom description; werkzeug's own is English.
    custom = e.description if e.description != type(e).description else None
    return _page(code, custom or DEFAULT_TEXT.get(code, DEFAULT_TEXT[400] if code < 500 else DEFAULT_TEXT[500]))


def handle_csrf(e: CSRFError):
    return _page(400, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang rồi thử lại.")


def handle_radio_error(e: RadioError):
    code = 404 if isinstance(e, NotFoundError) else 403 if isinstance(e, PermissionDeniedError) else 400
    if request.path.startswith(API_PREFIX):
        return _api(code, str(e))
    return _page(code, vi(e))


def handle_500(e: InternalServerError):
    if request.path.startswith(API_PREFIX):
        return _api(500, "Internal error; it was logged.")
    return _page(500, DEFAULT_TEXT[500])


def init_app(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(RadioError, handle_radio_error)
    app.register_error_handler(InternalServerError, handle_500)
    app.register_error_handler(HTTPException, handle_http)

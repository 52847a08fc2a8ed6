"""Friendly Vietnamese error pages; no traceback ever reaches a user."""

from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from radio.accounts import PermissionDeniedError
from radio.errors import NotFoundError, RadioError

from radio.messages import vi

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


def _page(code: int, text: str):
    title = TITLES.get(code, "Lỗi")
    return render_template("error.html", code=code, title=title, text=text), code


def handle_http(e: HTTPException):
    code = e.code or 500
    # abort(404, "Vietnamese text") sets a custom description; werkzeug's own is English.
    custom = e.description if e.description != type(e).description else None
    return _page(code, custom or DEFAULT_TEXT.get(code, DEFAULT_TEXT[400] if code < 500 else DEFAULT_TEXT[500]))


def handle_csrf(e: CSRFError):
    return _page(400, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang rồi thử lại.")


def handle_radio_error(e: RadioError):
    code = 404 if isinstance(e, NotFoundError) else 403 if isinstance(e, PermissionDeniedError) else 400
    return _page(code, vi(e))


def handle_500(e: InternalServerError):
    return _page(500, DEFAULT_TEXT[500])


def init_app(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(RadioError, handle_radio_error)
    app.register_error_handler(InternalServerError, handle_500)
    app.register_error_handler(HTTPException, handle_http)

"""Password policy: long enough, not a well-known password, not the account's own name.

The list of common passwords ships in the package (``data/common_passwords.txt``,
its source is cited at the top of the file). Checks compare case-insensitively,
so ``Password123`` is as refused as ``password123``.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib.resources import files

from .errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 200  # scrypt of a megabyte-long "password" is a cheap denial of service


@functools.cache
def common_passwords() -> frozenset[str]:
    text = files("radio").joinpath("data", "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    """Letters and digits only, lower-case, without Vietnamese marks: "Xã Minh-Đức" → "xaminhduc"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).lower()


def check_password(password: str, *, username: str = "", station_name: str = "") -> None:
    """Refuse a weak password (nothing is stored by this function).

    :raise ValidationError: shorter than :data:`MIN_LENGTH`, longer than
        :data:`MAX_LENGTH`, a common password, or the username / station name.
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"Password must have at most {MAX_LENGTH} characters.")
    folded = _fold(password)
    if password.lower() in common_passwords() or (folded and folded in common_passwords()):
        raise ValidationError("This password is one of the most common passwords; choose another.")
    for name in (username, station_name):
        if name and len(_fold(name)) >= 3 and _fold(name) in folded:
            raise ValidationError("The password must not contain the username or the station name.")

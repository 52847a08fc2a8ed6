"""Saving an uploaded document to a temporary file for the importers.

The name the browser sends is only used for its extension (checked against
the importers' list first, so a 300-character "extension" never reaches the
file system), and the bytes are counted while saving, so a file past the
importers' limit is refused before anything parses it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from content.importers import MAX_FILE_BYTES, SUPPORTED_SUFFIXES

_CHUNK = 64 * 1024


class UploadError(ValueError):
    """The upload is refused before parsing; the message says why, in one line."""


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix if len(suffix) <= 12 else suffix[:10] + "…"
        raise UploadError(f"cannot import '{shown or 'no extension'}' files; "
                          f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return suffix


@contextlib.contextmanager
def saved_upload(upload) -> Iterator[Path]:
    """Save a werkzeug ``FileStorage`` as a temporary ``upload.<ext>`` and yield its path.

    :raise UploadError: unsupported extension, or more than :data:`MAX_FILE_BYTES`.
    """
    suffix = _suffix(upload.filename or "")
    with tempfile.TemporaryDirectory(prefix="radio-import-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        written = 0
        with open(path, "wb") as fh:
            while chunk := upload.stream.read(_CHUNK):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    raise UploadError(f"the file is larger than {MAX_FILE_BYTES // 1024} KB")
                fh.write(chunk)
        yield path

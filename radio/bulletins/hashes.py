"""A bulletin's content, hashed: what an approval covers and what the proof log records.

:func:`content_sha256` covers every field that changes what listeners hear (and a
recording's bytes); :func:`text_sha256` is the hash of the title and text alone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

#: what a leader's approval covers; any change to one of them voids what they read
CONTENT_FIELDS = ("title", "text", "priority", "repeat_count", "valid_from", "valid_until", "topic",
                  "recording_path")


def text_sha256(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode("utf-8")).hexdigest()


def content_sha256(bulletin: dict) -> str:
    """Hash of everything an approval covers (:data:`CONTENT_FIELDS`, the recording's bytes).

    Rendered on the page where the leader reads the draft and sent back with the
    approval, so the library can tell whether the draft changed in between.
    """
    fields = {name: bulletin.get(name) for name in CONTENT_FIELDS}
    recording = bulletin.get("recording_path")
    if recording:
        try:
            fields["recording_sha256"] = hashlib.sha256(Path(recording).read_bytes()).hexdigest()
        except OSError:
            fields["recording_sha256"] = None
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()

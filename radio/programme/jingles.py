"""The station's own intro and outro jingles, or the shipped chimes.

An uploaded jingle is decoded and checked like a recording (ffmpeg, audible,
loudness), limited to :data:`MAX_JINGLE_SECONDS`, and stored as
``RADIO_HOME/jingles/<kind>.wav`` (replaced atomically); removing it brings
the default chime back. Programmes made after the change use it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from audio.jingles import default_jingle

from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.errors import ValidationError
from radio.store.home import Home
from radio.bulletins.recordings import check_suffix
from radio.programme.parts import forget_part, get, record_part

KINDS = ("intro", "outro")
MAX_JINGLE_SECONDS = 30


def _path(home: Home, kind: str) -> Path:
    if kind not in KINDS:
        raise ValidationError(f'Unknown jingle "{kind}"; use intro or outro.')
    return home.root / "jingles" / f"{kind}.wav"


def station_jingle(home: Home, kind: str) -> Path:
    """The jingle *kind* a programme plays: the station's own if uploaded, else the default."""
    own = _path(home, kind)
    return own if own.is_file() else default_jingle(kind)


def jingle_sha256(db: Database, home: Home, kind: str) -> tuple[Path, str]:
    """The jingle *kind* a programme plays and the sha256 recorded when it was installed.

    An upload from before the sha256 was recorded is recorded at its first use.
    """
    from audio.jingles import DEFAULT_SHA256


    own = _path(home, kind)
    if not own.is_file():
        return default_jingle(kind), DEFAULT_SHA256[kind]
    row = get(db, f"jingle:{kind}")
    if row is None or Path(row["path"]) != own:
        row = record_part(db, f"jingle:{kind}", own)
    return own, row["sha256"]


def is_custom(home: Home, kind: str) -> bool:
    return _path(home, kind).is_file()


def set_jingle(db: Database, home: Home, kind: str, source: Path, *, filename: str, actor: Actor,
               now: datetime, settings: dict | None = None) -> Path:
    """Make the audio at *source* the station's *kind* jingle.

    :raise ValidationError: not audio, silent, or longer than :data:`MAX_JINGLE_SECONDS`; nothing changed.
    """
    from audio.checks import SilentAudioError
    from audio.convert import UndecodableAudioError, decode

    require(actor, "settings.edit")
    target = _path(home, kind)
    check_suffix(filename)
    try:
        segment = decode(Path(source))
    except UndecodableAudioError as exc:
        raise ValidationError(f"The file is not a recording: {exc}.") from None
    if len(segment) > MAX_JINGLE_SECONDS * 1000:
        raise ValidationError(f"A jingle is at most {MAX_JINGLE_SECONDS} s; this one is {len(segment) / 1000:.0f} s.")
    target.parent.mkdir(parents=True, exist_ok=True)
    from audio.convert import convert_recording

    try:
        # jingles sit 3 LU under speech in a programme; the assembler levels them again
        convert_recording(Path(source), target, target_lufs=float((settings or {}).get("target_lufs", -16.0)))
    except SilentAudioError:
        raise ValidationError("The recording is silent or too short to hear.") from None

    record_part(db, f"jingle:{kind}", target, now=now)
    record(db, actor, "settings.edit", now=now, target=f"jingle:{kind}", detail={"file": filename[-120:]})
    return target


def reset_jingle(db: Database, home: Home, kind: str, *, actor: Actor, now: datetime) -> None:
    """Go back to the default *kind* jingle."""
    require(actor, "settings.edit")

    _path(home, kind).unlink(missing_ok=True)
    forget_part(db, f"jingle:{kind}")
    record(db, actor, "settings.edit", now=now, target=f"jingle:{kind}", detail={"reset": True})

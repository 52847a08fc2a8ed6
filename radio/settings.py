"""Station settings: one registry of (name, default, help) feeds radio.toml,
the ``radio settings`` command, the admin and the README.

Effective value: the registry default, overridden by ``radio.toml`` in the
data directory, overridden by values saved from the admin or the CLI (the
``settings`` table), so an officer's change survives without editing files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

import tomli_w

from .errors import ValidationError
from .home import Home


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("station_name", "Đài truyền thanh xã Minh Đức", "Name used in the station ident and reports"),
    Setting("ident_text", "Đây là {station_name}. Xin kính chào quý vị và các bạn.", "Station ident read after the intro jingle ({station_name} is replaced)"),
    Setting("engine", "auto", "Speech engine: auto (gTTS, else espeak-ng), gtts, espeak or piper"),
    Setting("espeak_voice", "vi", "espeak-ng voice: vi, vi-vn-x-central or vi-vn-x-south"),
    Setting("espeak_rate", 150, "espeak-ng speaking rate in words per minute"),
    Setting("gtts_timeout_s", 5.0, "Per-request timeout for gTTS in seconds"),
    Setting("gtts_tld", "com", "Google Translate domain used by gTTS"),
    Setting("piper_model", "", "Path to a piper .onnx voice supplied by the operator (engine piper)"),
    Setting("output", "device", "Where programmes play: device, device:NAME, pulse:SINK[,SINK], file:DIR or icecast://..."),
    Setting("gap_ms", 700, "Silence between programme parts in milliseconds"),
    Setting("target_lufs", -16.0, "Integrated loudness of every programme in LUFS"),
    Setting("max_true_peak_db", -1.0, "Highest true peak of a programme in dBTP"),
    Setting("grace_minutes", 10, "How late a missed occurrence may still be caught up, in minutes"),
    Setting("output_retry_s", 30.0, "Seconds between tries of a failed sound output, within the grace window"),
    Setting("lookback_days", 7, "How far back the daemon looks for occurrences it missed while off"),
    Setting("quiet_before", "05:30", "Warn about slots earlier than this local time"),
    Setting("quiet_after", "21:00", "Warn about slots later than this local time"),
    Setting("default_cap_minutes", 30, "Longest programme of a slot with no cap of its own, in minutes"),
    Setting("hook_before", "", "Command run before each programme (switch the amplifier on)"),
    Setting("hook_after", "", "Command run after each programme, always (switch the amplifier off)"),
    Setting("hook_warmup_s", 0.0, "Seconds between the before-hook and the first sample"),
    Setting("hook_timeout_s", 10.0, "Longest a hook may run, in seconds"),
    Setting("resume_after_urgent", False, "After an urgent interruption, play the rest of the interrupted programme"),
    Setting("keep_programmes_days", 14, "Days an assembled programme WAV is kept in the data directory"),
    Setting("keep_proof_days", 366, "Days an aired programme stays replayable bit for bit (the log itself is never purged)"),
    Setting("chain_key_path", "", "Key that signs the proof log's heads (default: keys/chain.key in the data directory)"),
    Setting("monthly_target", 1, "CCHC bulletins that must air each month"),
    Setting("use_jingles", True, "Play the intro and outro jingles"),
)

_BY_NAME = {s.name: s for s in SETTINGS}

TEMPLATE_HEADER = (
    "# radio station settings. Uncomment a line to change it; values saved from\n"
    "# the admin or `radio settings set` override this file.\n\n"
)


def _coerce(setting: Setting, value: Any) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                if value.lower() in ("1", "true", "yes", "on"):
                    return True
                if value.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f'Setting "{setting.name}" should be {type(default).__name__}, got {value!r}'
        ) from None


def write_template(home: Home) -> None:
    """Write a commented radio.toml once; never overwrite the operator's file."""
    if home.settings_file.exists():
        return
    lines = [TEMPLATE_HEADER]
    for s in SETTINGS:
        lines.append(f"# {s.help}\n# {tomli_w.dumps({s.name: s.default}).strip()}\n\n")
    home.settings_file.write_text("".join(lines), encoding="utf-8")


def load(home: Home, db=None) -> dict[str, Any]:
    """Effective settings of a station."""
    values = {s.name: s.default for s in SETTINGS}
    if home.settings_file.exists():
        try:
            data = tomllib.loads(home.settings_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValidationError(f"{home.settings_file}: {exc}") from None
        for name, value in data.items():
            if name in _BY_NAME:
                values[name] = _coerce(_BY_NAME[name], value)
    if db is not None and db["settings"].exists():
        for row in db["settings"].rows:
            if row["name"] in _BY_NAME:
                values[row["name"]] = _coerce(_BY_NAME[row["name"]], row["value"])
    return values


def save(db, name: str, value: Any) -> Any:
    """Store one setting in the database (admin/CLI change); returns the coerced value."""
    if name not in _BY_NAME:
        raise ValidationError(f'Unknown setting "{name}". Run `radio settings list` to see them.')
    coerced = _coerce(_BY_NAME[name], value)
    db["settings"].upsert({"name": name, "value": str(coerced)}, pk="name")
    return coerced


def ident_text(settings: dict) -> str:
    """The spoken station ident; ``{station_name}`` is the only placeholder."""
    return settings["ident_text"].replace("{station_name}", settings["station_name"]).strip()

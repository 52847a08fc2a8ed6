"""Station settings: one registry of (name, default, help) feeds radio.toml,
the ``radio settings`` command, the admin and the README.

Effective value: the registry default, overridden by ``radio.toml`` in the
data directory, overridden by values saved from the admin or the CLI (the
``settings`` table), so an officer's change survives without editing files.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import tomli_w
from sqlite_utils import Database

from audio.outputs import masked

from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.errors import ValidationError
from radio.store.fields import no_controls
from radio.store.home import Home, create_private
from radio.store.connection import bump_revision, write

_HHMM = r"([01]\d|2[0-3]):[0-5]\d"


@dataclass(frozen=True)
class Setting:
    """One setting: its type is the default's; numbers have a range, words may have choices.

    :param minimum: lowest allowed number (inclusive), or ``None``
    :param maximum: highest allowed number (inclusive), or ``None``
    :param choices: the only allowed words, or ``None``
    :param pattern: a regular expression a word must match in full, with *shape* saying it in words
    """

    name: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    shape: str = ""

    @property
    def kind(self) -> str:
        return {bool: "boolean", int: "integer", float: "number"}.get(type(self.default), "text")

    def allowed(self) -> str:
        """What values are allowed, in words (``radio settings list``, the README)."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        article = "an" if self.kind == "integer" else "a"
        if self.minimum is not None and self.maximum is not None:
            return f"{article} {self.kind} from {self.minimum:g} to {self.maximum:g}"
        if self.shape:
            return self.shape
        return "true or false" if self.kind == "boolean" else self.kind


SETTINGS: tuple[Setting, ...] = (
    Setting("station_name", "Đài truyền thanh xã Minh Đức", "Name used in the station ident and reports",
            pattern=r"\S.{0,199}", shape="text, 1 to 200 characters"),
    Setting("ident_text", "Đây là {station_name}. Xin kính chào quý vị và các bạn.", "Station ident read after the intro jingle ({station_name} is replaced)"),
    Setting("engine", "auto", "Speech engine: auto (gTTS, else espeak-ng), gtts, espeak or piper",
            choices=("auto", "gtts", "espeak", "piper")),
    Setting("espeak_voice", "vi", "espeak-ng voice: vi, vi-vn-x-central or vi-vn-x-south",
            choices=("vi", "vi-vn-x-central", "vi-vn-x-south")),
    # espeak-ng itself accepts 80–450; outside it every render fails or is unintelligible
    Setting("espeak_rate", 150, "espeak-ng speaking rate in words per minute", minimum=80, maximum=450),
    Setting("gtts_timeout_s", 5.0, "Per-request timeout for gTTS in seconds", minimum=0.5, maximum=120),
    Setting("gtts_tld", "com", "Google Translate domain used by gTTS",
            pattern=r"[a-z]{2,}(\.[a-z]{2,})*", shape="a domain ending such as com or com.vn"),
    Setting("piper_model", "", "Path to a piper .onnx voice supplied by the operator (engine piper)"),
    Setting("output", "device", "Where programmes play: device, device:NAME, pulse:SINK[,SINK], file:DIR or icecast://...",
            pattern=r"device(:.+)?|pulse:.*|file:.+|icecast://.+",
            shape="device, device:NAME, pulse:SINK[,SINK], file:DIR or icecast://..."),
    Setting("gap_ms", 700, "Silence between programme parts in milliseconds", minimum=0, maximum=10000),
    Setting("target_lufs", -16.0, "Integrated loudness of every programme in LUFS", minimum=-40, maximum=-5),
    Setting("max_true_peak_db", -1.0, "Highest true peak of a programme in dBTP", minimum=-9, maximum=0),
    Setting("grace_minutes", 10, "How late a missed occurrence may still be caught up, in minutes",
            minimum=0, maximum=720),
    Setting("output_retry_s", 30.0, "Seconds between tries of a failed broadcast (output, disk, database), within the grace window",
            minimum=1, maximum=600),
    Setting("stall_threshold_s", 2.0, "Dead air longer than this many seconds (frozen process, stalled output) makes a broadcast partial",
            minimum=0.5, maximum=60),
    Setting("lookback_days", 7, "How far back the daemon looks for occurrences it missed while off",
            minimum=0, maximum=366),
    Setting("quiet_before", "05:30", "Warn about slots earlier than this local time", pattern=_HHMM, shape="HH:MM"),
    Setting("quiet_after", "21:00", "Warn about slots later than this local time", pattern=_HHMM, shape="HH:MM"),
    Setting("default_cap_minutes", 30, "Longest programme of a slot with no cap of its own, in minutes",
            minimum=1, maximum=240),
    Setting("hook_before", "", "Command run before each programme (switch the amplifier on)"),
    Setting("hook_after", "", "Command run after each programme, always (switch the amplifier off)"),
    Setting("hook_warmup_s", 0.0, "Seconds between the before-hook and the first sample", minimum=0, maximum=60),
    Setting("hook_timeout_s", 10.0, "Longest a hook may run, in seconds", minimum=1, maximum=600),
    Setting("province_priority_first", True, "A provincial ưu tiên bulletin airs ahead of the commune's own "
            "ưu tiên items (false: every ưu tiên item by approval time, province's and commune's alike)"),
    Setting("resume_after_urgent", False, "After an urgent interruption, play the rest of the interrupted programme"),
    Setting("urgent_expiry_s", 30.0, "Seconds an urgent request (radio play --now, Phát ngay) waits for the "
            "station daemon; untaken, it expires and never airs", minimum=5, maximum=600),
    # 0 would delete the next programme before it airs
    Setting("keep_programmes_days", 14, "Days an assembled programme WAV is kept in the data directory",
            minimum=1, maximum=3660),
    Setting("keep_proof_days", 366, "Days an aired programme stays replayable bit for bit (the log itself is never purged)",
            minimum=30, maximum=36600),
    Setting("chain_key_path", "", "Key that signs the proof log's heads (default: ~/.config/radio/keys/<station id>.key, outside the data directory)"),
    Setting("chain_heads_copy", "", "A second file the signed heads are also written to (another disk or a share); verify then checks the heads file against it"),
    Setting("target_warning_days", 7, "Warn in the admin this many days before a period ends when a target is not met yet",
            minimum=0, maximum=90),
    Setting("report_issuer", "UBND XÃ MINH ĐỨC", "Issuing body at the top left of the Word report (upper case)"),
    Setting("report_place", "Minh Đức", "Place in the report's date line (\"Minh Đức, ngày ... tháng ... năm ...\")"),
    Setting("report_number", "", "Report number before /BC-UBND; empty leaves \"Số: .../BC-UBND\" to fill in by hand"),
    Setting("report_authority", "TM. ỦY BAN NHÂN DÂN", "First line of the signer block: TM. ỦY BAN NHÂN DÂN, or KT. CHỦ TỊCH for a deputy"),
    Setting("report_signer_title", "CHỦ TỊCH", "Title of the signer, e.g. CHỦ TỊCH or PHÓ CHỦ TỊCH"),
    Setting("report_signer", "", "Full name of the signer (empty: left blank to sign by hand)"),
    Setting("report_recipients", "UBND huyện (Phòng Nội vụ); Đảng ủy, HĐND xã; Lưu: VT, VH-XH", "Report's \"Nơi nhận\" list, separated by semicolons"),
    Setting("use_jingles", True, "Play the intro and outro jingles"),
    Setting("preview_renders_per_minute", 6, "Fresh speech previews (Nghe thử, a draft's audio) one user may "
            "start per minute", minimum=1, maximum=600),
    Setting("speech_cache_max_mb", 1000, "Size limit of the speech cache in MB: past it the least recently "
            "used previews are deleted (never what a bulletin, the ident or a coming slot needs)",
            minimum=50, maximum=100_000),
    Setting("session_idle_minutes", 30, "An admin session unused this long ends; log in again",
            minimum=1, maximum=1440),
    Setting("session_max_hours", 12, "An admin session ends this long after login, used or not",
            minimum=1, maximum=720),
    Setting("trusted_proxies", 0, "Reverse proxies in front of the admin whose X-Forwarded-For/-Proto are believed (0 = none)",
            minimum=0, maximum=5),
)

_BY_NAME = {s.name: s for s in SETTINGS}

TEMPLATE_HEADER = (
    "# radio station settings. Uncomment a line to change it; values saved from\n"
    "# the admin or `radio settings set` override this file.\n\n"
)

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _convert(setting: Setting, value: Any) -> Any:
    """*value* (from TOML, a form or the command line) as the setting's type; ValueError if it is not one."""
    kind = setting.kind
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError
    if isinstance(value, bool):  # True is an int to Python, not a number to an operator
        raise ValueError
    if kind == "integer":
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            return int(value)
        text = str(value).strip()
        if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()):  # int() takes "٣" and "1_0"
            raise ValueError
        return int(text)
    if kind == "number":
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
        if not math.isfinite(number):
            raise ValueError
        return number
    if not isinstance(value, str):
        raise ValueError
    return value


def _coerce(setting: Setting, value: Any) -> Any:
    """The checked value of *setting*.

    :raise ValidationError: wrong type, out of range, not a choice, wrong shape
    """
    try:
        converted = _convert(setting, value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            f'Setting "{setting.name}" must be {setting.allowed()}; got {value!r}.') from None
    if isinstance(converted, str):
        no_controls(converted, f'Setting "{setting.name}"')  # the station's name goes into every report
    if setting.kind in ("integer", "number"):
        low, high = setting.minimum, setting.maximum
        if (low is not None and converted < low) or (high is not None and converted > high):
            raise ValidationError(
                f'Setting "{setting.name}" must be {setting.allowed()}; got {value!r}.')
    elif setting.choices and converted not in setting.choices:
        raise ValidationError(f'Setting "{setting.name}" must be {setting.allowed()}; got {value!r}.')
    elif setting.pattern and not re.fullmatch(setting.pattern, converted, re.DOTALL):
        raise ValidationError(f'Setting "{setting.name}" must be {setting.allowed()}; got {value!r}.')
    return converted


def check(name: str, value: Any) -> Any:
    """The checked value of setting *name* (for the admin's form, before saving).

    :raise ValidationError: unknown name or a value it does not allow
    """
    if name not in _BY_NAME:
        raise ValidationError(f'Unknown setting "{name}".{_did_you_mean(name)} '
                              "Run `radio settings list` to see them.")
    return _coerce(_BY_NAME[name], value)


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, _BY_NAME, n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def _read_file(home: Home) -> dict[str, Any]:
    if not home.settings_file.exists():
        return {}
    try:
        return tomllib.loads(home.settings_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{home.settings_file}: {exc}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{home.settings_file} is not UTF-8 text; save it as UTF-8.") from None


def file_warnings(home: Home) -> list[str]:
    """Keys of radio.toml that are no setting (misspelt or from an older version), in words.

    Every command and the daemon report these: a misspelt key would otherwise be
    ignored without a word while the operator believes it took effect.
    """
    return [f'{home.settings_file}: unknown setting "{name}" is ignored.{_did_you_mean(name)}'
            for name in _read_file(home) if name not in _BY_NAME]


def write_template(home: Home) -> None:
    """Write a commented radio.toml once; never overwrite the operator's file."""
    if home.settings_file.exists():
        return
    lines = [TEMPLATE_HEADER]
    for s in SETTINGS:
        lines.append(f"# {s.help} ({s.allowed()})\n# {tomli_w.dumps({s.name: s.default}).strip()}\n\n")
    # written aside and renamed: a full disk must not leave half a file behind
    partial = home.settings_file.with_name(home.settings_file.name + ".partial")
    try:
        create_private(partial)  # 0600: it may hold hook commands and passwords
        partial.write_text("".join(lines), encoding="utf-8")
        os.replace(partial, home.settings_file)
    finally:
        partial.unlink(missing_ok=True)


def load(home: Home, db=None, *, warnings: list[str] | None = None) -> dict[str, Any]:
    """Effective settings of a station.

    :param warnings: if given, collects values saved in the database that are no
        longer allowed (saved by an older version); those fall back to the file's or
        the default value instead of stopping every command.
    :raise ValidationError: radio.toml is not TOML or holds a value a setting does
        not allow (the message names the file and the setting)
    """
    values = {s.name: s.default for s in SETTINGS}
    for name, value in _read_file(home).items():
        if name in _BY_NAME:
            try:
                values[name] = _coerce(_BY_NAME[name], value)
            except ValidationError as exc:
                raise ValidationError(f"{home.settings_file}: {exc}") from None
    if db is not None and db["settings"].exists():
        for row in db["settings"].rows:
            if row["name"] in _BY_NAME:
                try:
                    values[row["name"]] = _coerce(_BY_NAME[row["name"]], row["value"])
                except ValidationError as exc:
                    if warnings is not None:
                        warnings.append(f"{exc} Saved value ignored; fix it with `radio settings set`.")
    return values


def save(db, name: str, value: Any, *, actor, now) -> Any:
    """Store one setting in the database (admins); returns the checked value.

    :param actor: the :class:`radio.accounts.roles.Actor` changing it (checked, audited).
    :raise ValidationError: unknown name or a value it does not allow; nothing is written
    """
    require(actor, "settings.edit")
    coerced = check(name, value)
    with write(db):
        db["settings"].upsert({"name": name, "value": str(coerced)}, pk="name")
        shown = masked(str(coerced)) if name == "output" else str(coerced)  # no Icecast password in the trail
        record(db, actor, "settings.edit", now=now, target=f"setting:{name}", detail={"value": shown})
    return coerced


def ident_text(settings: dict) -> str:
    """The spoken station ident; ``{station_name}`` is the only placeholder."""
    return settings["ident_text"].replace("{station_name}", settings["station_name"]).strip()


#: settings whose value must be one of a few words (the form offers them as a list)
CHOICES = {s.name: s.choices for s in SETTINGS if s.choices}


def save_settings(db: Database, changes: dict[str, Any], current: dict[str, Any], *, actor: Actor,
                  now: datetime) -> list[str]:
    """Store every value in *changes* that differs from *current*; return the names changed.

    Every value is checked (:func:`radio.settings.check`) before any is stored.

    :raise ValidationError: an unknown setting or a bad value; nothing was stored.
    """
    require(actor, "settings.edit")
    checked = {name: check(name, str(value).strip()) for name, value in changes.items()}
    changed = [name for name, value in checked.items() if value != current.get(name)]
    with write(db):
        for name in changed:
            save(db, name, checked[name], actor=actor, now=now)
        if changed:
            bump_revision(db)  # the daemon reloads its settings on the next tick
    return changed

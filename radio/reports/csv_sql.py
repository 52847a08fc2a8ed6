"""The CSV export's rows projected in SQL, so a year (300,000 rows) streams at C speed.

SQLite formats every cell: local times, Vietnamese labels, masked passwords,
formula guards and CSV quoting, and hands back each line as UTF-8 bytes, which go
to the file without being decoded and encoded again. The columns of an
occurrence are formatted once per occurrence (one query over ``occurrences``),
those of its played items once per item (a second query, in the same order), and
the two are joined by concatenating bytes: formatting the occurrence's columns
on the join repeated that work for each of its items. The output is byte for
byte what :mod:`csv` writes (excel dialect) for the rows converted cell by cell
in Python; ``tests/radio/reports/test_csv_golden.py`` holds that reference and compares.

Measured on a year (100,000 entries, 290,000 lines; ``benchmarks/export_csv.py``),
of the export's CPU time about a third is the item query, a quarter the
occurrence query (the REAL and text-cell checks are a third of each), 0.3 s
starting Python and importing ``radio``, and the rest joining and writing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from radio.clock import STATION_TZ, from_utc_text
from radio.bulletins.lifecycle import PRIORITIES
from radio.wording.messages import vi_reason
from radio.schedule.outputs import masked
from radio.proof.log import KIND_LABELS, REACHED_LOUDSPEAKERS, STANDING_LABELS
from radio.bulletins.topics import TOPICS, topic_label
from radio.reports import rows as log_rows
from radio.reports.periods import Period

#: columns read from ``occurrence_items``; every other column comes from ``occurrences``
_ITEM_COLUMNS = {"item_position", "bulletin_id", "title", "topic", "priority", "engine", "text_sha256",
                 "audio_sha256", "item_completed", "approved_by", "approved_at_local"}
#: cells typed by people or taken from settings: guarded and quoted; the others (numbers,
#: hashes, UTC times, the fixed vocabularies, formatted local times) cannot need it
_TEXT = {"key", "reason", "output", "output_kind", "title", "topic", "priority", "engine", "approved_by"}
#: the values nearly every row holds, written as they are (finished cells, see :func:`_label_cells`)
_ENGINES = {e: e for e in ("gtts", "espeak", "piper", "recording")}
_COMMON_OUTPUTS = {"device": "device", "manual": "manual"}
_REAL = {"seconds_played", "programme_seconds", "loudness_lufs"}
_CRLF = "char(13, 10)"


def _offset_modifier(when: datetime, zone: ZoneInfo) -> str:
    """SQLite's modifier (``+25200 seconds``) from UTC to *zone*'s time at *when*."""
    offset = when.astimezone(zone).utcoffset() or timedelta(0)
    return f"{int(offset.total_seconds()):+d} seconds"


def fixed_offset(conn: sqlite3.Connection, zone: ZoneInfo = STATION_TZ) -> str | None:
    """The one UTC offset *zone* has at every hour the log's times span, or ``None``.

    Asia/Ho_Chi_Minh has been UTC+07:00 without daylight saving since 13 June 1975,
    so over any real log zoneinfo answers one offset and SQLite adds it as a
    constant; the check walks the data's range hour by hour (the granularity of
    the per-hour fallback) rather than trusting that, so a log reaching back
    before 1975, or a future change to the zone, falls back to a lookup per hour.
    """
    first, last = conn.execute(
        "SELECT min(t), max(t) FROM (SELECT min(scheduled_at) AS t FROM occurrences "
        "UNION ALL SELECT max(scheduled_at) FROM occurrences "
        "UNION ALL SELECT min(approved_at) FROM occurrence_items "
        "UNION ALL SELECT max(approved_at) FROM occurrence_items)").fetchone()
    if first is None:
        return None  # nothing to format
    hour = from_utc_text(first[:13] + ":00:00.000+00:00")
    end = from_utc_text(last[:13] + ":00:00.000+00:00")
    offsets = set()
    while hour <= end and len(offsets) < 2:
        offsets.add(hour.astimezone(zone).utcoffset())
        hour += timedelta(hours=1)
    return _offset_modifier(end, zone) if len(offsets) == 1 else None


def _python_float(value: float) -> str:
    return repr(float(value))


def _connect_functions(conn: sqlite3.Connection, zone: ZoneInfo) -> None:
    cache: dict[str, str] = {}

    def offset(utc_hour: str | None) -> str | None:
        if utc_hour is None:
            return None
        value = cache.get(utc_hour)
        if value is None:
            value = cache[utc_hour] = _offset_modifier(from_utc_text(utc_hour + ":00:00.000+00:00"), zone)
        return value

    conn.create_function("radio_offset", 1, offset, deterministic=True)
    conn.create_function("radio_masked", 1, masked, deterministic=True)
    conn.create_function("radio_float", 1, _python_float, deterministic=True)
    conn.create_function("radio_topic", 1, topic_label, deterministic=True)
    conn.create_function("radio_reason", 1, _reason_vi, deterministic=True)


def _local(column: str, modifier: str | None) -> str:
    # truncated seconds, as Python's %S
    shift = f"'{modifier}'" if modifier else f"radio_offset(substr({column}, 1, 13))"
    return f"strftime('%d/%m/%Y %H:%M:%S', substr({column}, 1, 19), {shift})"


#: the codes and labels the CASEs compare with, bound as named parameters, never written
#: into the SQL: a topic an officer typed with a NUL (sqlite3.ProgrammingError) or a
#: quote broke every export. Names are made from the value, so the
#: same label is one parameter however often it is used; every statement gets them all.
_BOUND: dict[str, str] = {}
_BOUND_LOCK = threading.Lock()  # exports run in several of the server's threads


def _bind(value: str) -> str:
    name = "lab_" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    with _BOUND_LOCK:
        _BOUND.setdefault(name, value)
    return ":" + name


def _named(where: str, args: list) -> tuple[str, dict]:
    """*where*'s ``?`` as named parameters, with the labels', for one execute."""
    names = iter(range(len(args)))
    named = re.sub(r"\?", lambda _: f":arg_{next(names)}", where)
    with _BOUND_LOCK:
        bound = dict(_BOUND)
    return named, {**bound, **{f"arg_{n}": value for n, value in enumerate(args)}}


def _labels(column: str, labels: dict[str, str]) -> str:
    cases = " ".join(f"WHEN {_bind(k)} THEN {_bind(v)}" for k, v in labels.items())
    return f"CASE {column} {cases} ELSE {column} END"


class _Cooked(str):
    """An SQL expression whose value is already the finished CSV cell."""


def _label_cells(column: str, labels: dict[str, str], otherwise: str) -> _Cooked:
    """*column*'s label for each known code as its finished CSV cell, guarded and quoted here once
    rather than by SQL for every row; any other value goes through :func:`_text_cell`."""
    def cell(text: str) -> str:
        if text.startswith(("=", "+", "-", "@", "\t", "\r")):  # a typed topic may look like a formula
            text = "'" + text
        buffer = io.StringIO()
        csv.writer(buffer).writerow([text])
        return buffer.getvalue()[:-2]

    cases = " ".join(f"WHEN {_bind(k)} THEN {_bind(cell(v))}" for k, v in labels.items())
    return _Cooked(f"(CASE {column} {cases} ELSE {_text_cell(otherwise)} END)")


def _text_cell(x: str) -> str:
    """The CSV text of SQL text *x* as :mod:`csv` writes it (excel dialect), after
    :func:`radio.reports.csv_export.neutralise`: text a spreadsheet would run as a
    formula gets a leading apostrophe; a cell holding a comma, quote or line break
    is quoted. Every character that starts a formula sorts before ``A``, so the
    common cell (a letter first) needs one comparison before the scan for quotes."""
    guarded = (f"(CASE WHEN {x} >= 'A' THEN {x} WHEN {x} GLOB '[=+@'||char(9, 13)||'-]*' "
               f"THEN char(39) || {x} ELSE {x} END)")
    return (f"(CASE WHEN {x} GLOB '*[,\"'||char(10, 13)||']*' "
            f"THEN char(34) || replace({guarded}, char(34), char(34, 34)) || char(34) ELSE {guarded} END)")


def _real_cell(x: str) -> str:
    """*x* as Python's ``repr`` writes it. SQLite writes a REAL with 15 significant
    digits (``1.0e+16`` style past 1e15): when that text reads back as the same
    double it is the shortest one, which is what ``repr`` writes too; the rare other
    value is formatted by Python."""
    text = f"CAST({x} AS TEXT)"
    return (f"(CASE WHEN typeof({x}) = 'real' AND ({x} <> 0 AND (abs({x}) >= 1e15 OR abs({x}) < 1e-4) "
            f"OR CAST({text} AS REAL) <> {x}) THEN radio_float({x}) ELSE {x} END)")


def topic_labels(conn: sqlite3.Connection, most: int = 40) -> dict[str, str]:
    """The labels of the *most* topics bulletins have most often, and of every listed one.

    A topic an officer typed is labelled by Python (SQLite's ``upper()`` knows only
    ASCII); labelling each distinct one here once, most frequent first so the CASE
    finds it early, keeps the rare rest for the per-row function."""
    # from the bulletins, not the year's items: a tenth of the rows to group, and an item's
    # topic is its approved (frozen) bulletin's; one missing here only takes the slower path
    typed = [t for (t,) in conn.execute(
        "SELECT topic FROM bulletins WHERE topic IS NOT NULL GROUP BY topic "
        "ORDER BY count(*) DESC LIMIT ?", [most])]
    return {t: topic_label(t) for t in typed} | {k: v for k, v in TOPICS.items() if k not in typed}


def _reason_vi(reason: str | None) -> str | None:
    return vi_reason(reason) if reason else reason


def _expressions(english: bool, modifier: str | None, topics: dict[str, str] = TOPICS) -> dict[str, str]:
    file_note = log_rows.FILE_OUTPUT_NOTE.replace("'", "''")
    return {
        "occurrence_id": "o.id", "key": "o.key",
        "kind": "o.kind" if english else _labels("o.kind", KIND_LABELS),
        "slot_id": "o.slot_id", "scheduled_local": _local("o.scheduled_at", modifier),
        "scheduled_utc": "o.scheduled_at", "started_utc": "o.started_at", "ended_utc": "o.ended_at",
        "seconds_played": "o.seconds_played", "programme_seconds": "o.programme_seconds",
        "status": "o.status" if english else _labels("o.status", STANDING_LABELS),
        "status_vi": _labels("o.status", STANDING_LABELS),
        # the station's reasons in Vietnamese, a person's (a correction's) as typed
        "reason": "o.reason" if english else "radio_reason(o.reason)",
        "output": _label_cells("o.output", _COMMON_OUTPUTS, "(CASE WHEN o.output LIKE 'icecast://%' "
                               "THEN radio_masked(o.output) ELSE o.output END)"),
        "output_kind": "o.output_kind",
        # empty when it reached loudspeakers; else what the Python rows say (rows.output_note)
        "output_note": f"(CASE WHEN {REACHED_LOUDSPEAKERS} THEN '' WHEN o.output_kind = 'file' THEN '{file_note}' "
                       f"ELSE '{log_rows.NO_LOUDSPEAKER_NOTE}' END)",
        "loudness_lufs": "o.loudness_lufs", "programme_sha256": "o.programme_sha256",
        "item_position": "i.position", "bulletin_id": "i.bulletin_id", "title": "i.title",
        # a topic nobody listed is shown as typed, capitalised by Python (SQLite's upper() is ASCII only)
        "topic": "i.topic" if english else _label_cells("i.topic", topics, "radio_topic(i.topic)"),
        "priority": "i.priority" if english else _label_cells("i.priority", PRIORITIES, "i.priority"),
        "engine": _label_cells("i.engine", _ENGINES, "i.engine"), "text_sha256": "i.text_sha256",
        "audio_sha256": "i.audio_sha256",
        "item_completed": "i.completed" if english else
                          "(CASE WHEN i.completed THEN 'có' WHEN i.completed IS NOT NULL THEN 'không' END)",
        "approved_by": "i.approved_by",
        "approved_at_local": f"(CASE WHEN i.approved_at IS NOT NULL THEN {_local('i.approved_at', modifier)} END)",
        "hash": "o.hash",
    }


def _cell(column: str, expressions: dict[str, str]) -> str:
    x = expressions[column]
    if isinstance(x, _Cooked):
        return x
    if column in _TEXT:
        return _text_cell(x)
    if column in _REAL:
        return _real_cell(x)
    return x


def _printf(cells: list[str], before: str = "", after: str = "") -> str:
    """One text of *cells* joined by commas (``printf``'s ``%s`` writes NULL as nothing)
    between the SQL texts *before* and *after*, as a BLOB so that Python receives
    the UTF-8 bytes as they are."""
    pattern = " || ".join(p for p in (before, "'" + ",".join(["%s"] * len(cells)) + "'", after) if p)
    return f"CAST(printf({pattern}{''.join(', ' + c for c in cells)}) AS BLOB)"


def _split(columns: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
    """*columns* as (occurrence columns, item columns, occurrence columns), in order."""
    first = next((n for n, c in enumerate(columns) if c in _ITEM_COLUMNS), len(columns))
    last = max((n + 1 for n, c in enumerate(columns) if c in _ITEM_COLUMNS), default=first)
    head, items, tail = list(columns[:first]), list(columns[first:last]), list(columns[last:])
    if any(c in _ITEM_COLUMNS for c in head + tail) or not all(c in _ITEM_COLUMNS for c in items):
        raise ValueError("the item columns of a CSV export must be contiguous")
    return head, items, tail


def chunks(conn: sqlite3.Connection, columns: tuple[str, ...], period: Period | None, upto_id: int, *,
           english: bool, rows_per_chunk: int = 5000,
           zone: ZoneInfo = STATION_TZ) -> Iterator[tuple[int, bytes]]:
    """The export's CSV lines (UTF-8, CRLF-ended) for *columns*, oldest first, as
    ``(rows, bytes)`` pairs of about *rows_per_chunk* lines each."""
    modifier = fixed_offset(conn, zone)
    _connect_functions(conn, zone)
    expressions = _expressions(english, modifier, TOPICS if english else topic_labels(conn))
    head, items, tail = _split(columns)
    where, args = _named(*log_rows._where(period, upto_id))
    # the commas between the three parts go with the occurrence's two
    before = _printf([_cell(c, expressions) for c in head], after="','" if items and head else "")
    after = _printf([_cell(c, expressions) for c in tail], before="','" if tail and (items or head) else "",
                    after=_CRLF)
    occurrence_sql = f"SELECT o.id, {before}, {after} FROM occurrences o {where}ORDER BY o.scheduled_at, o.id"
    # CROSS JOIN keeps occurrences the outer loop, so its index gives the order (no sort)
    item_sql = (f"SELECT i.occurrence_id, {_printf([_cell(c, expressions) for c in items])} "
                f"FROM occurrences o CROSS JOIN occurrence_items i ON i.occurrence_id = o.id "
                f"{where}ORDER BY o.scheduled_at, o.id, i.position")
    no_items = b"," * (len(items) - 1) if items else b""
    # both statements are open together, so they read one snapshot of the log
    occurrences = conn.execute(occurrence_sql, args)
    item_rows = conn.execute(item_sql, args) if items else iter(())
    # items outnumber occurrences three to one: the loop runs over the items, and
    # an occurrence with none is written as the loop passes it
    lines: list[bytes] = []
    pending = iter(occurrences)
    current, before, after = None, b"", b""
    for occurrence_id, cells in item_rows:
        if occurrence_id != current:
            for current, before, after in pending:
                if current == occurrence_id:
                    break
                lines.append(before + no_items + after)
            else:
                raise RuntimeError(f"occurrence {occurrence_id} has items but was not read")
            if len(lines) >= rows_per_chunk:
                yield len(lines), b"".join(lines)
                lines = []
        lines.append(before + cells + after)
    for _, before, after in pending:
        lines.append(before + no_items + after)
        if len(lines) >= rows_per_chunk:
            yield len(lines), b"".join(lines)
            lines = []
    if lines:
        yield len(lines), b"".join(lines)

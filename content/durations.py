"""Clock times with seconds and durations written the Zalo way.

"17:30:15" is *mười bảy giờ ba mươi phút mười lăm giây*; zero seconds are
not said ("17:30:00" reads like "17:30").  Durations "3p20s", "2h30p",
"45s", "5p" use p for phút and s for giây; read before the clock and
numeral rules would leave the letters behind.
"""

from __future__ import annotations

import re

from content.numbers import read_int

_CLOCK_SECONDS = re.compile(r"(?<![0-9.,:/])([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?![0-9]|[:.,][0-9])")
_DURATION = re.compile(
    r"(?<![\w.,:/])(?=[0-9])(?:([0-9]{1,2})h(?=[0-9]{1,2}p))?(?:([0-9]{1,3})p)?(?:([0-9]{1,3})s)?(?![\w])"
)


def _say_clock_seconds(match: re.Match[str]) -> str:
    hour, minute, second = (int(g) for g in match.groups())
    if hour > 24 or minute > 59 or second > 59:
        return match.group(0)
    if not second:
        return f" {read_int(hour)} giờ" + (f" {read_int(minute)} " if minute else " ")
    spoken = f"{read_int(hour)} giờ" + (f" {read_int(minute)} phút" if minute else "")
    return f" {spoken} {read_int(second)} giây "


def _say_duration(match: re.Match[str]) -> str:
    hours, minutes, seconds = match.groups()
    if not (minutes or seconds):
        return match.group(0)
    words = []
    if hours:
        words.append(f"{read_int(int(hours))} giờ")
    if minutes and (int(minutes) or not seconds):
        words.append(f"{read_int(int(minutes))} phút")
    if seconds:
        words.append(f"{read_int(int(seconds))} giây")
    return " " + " ".join(words) + " "


def clock_seconds_and_durations(line: str) -> str:
    """"17:30:15", "08:00:00" → clock times; "3p20s", "1h15p", "30s" →
    durations."""
    line = _CLOCK_SECONDS.sub(_say_clock_seconds, line)
    return _DURATION.sub(lambda m: _say_duration(m) if m.group(0) else m.group(0), line)

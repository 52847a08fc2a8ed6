"""Pronunciation lexicon: abbreviation → spoken expansion.

The shipped entries live in ``content/data/lexicon.tsv`` (UTF-8, one
``ABBREV<TAB>expansion`` per line, ``#`` starts a comment).  A station adds
its own local names through ``overrides``; those win over shipped data.
Keys are canonicalised (NFC, classic tone placement) so an entry typed as
"Uỷ" matches text written "Ủy" and vice versa.  Matching is case-sensitive:
"CA" (công an) is not "ca" (a shift).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources

from content.unicode_forms import canonicalize

DATA_FILE = "lexicon.tsv"


def parse_lexicon(text: str) -> dict[str, str]:
    """Parse TSV lexicon text; malformed lines are skipped, not fatal,
    because the file may be edited by hand at the station."""
    entries: dict[str, str] = {}
    for raw_line in text.splitlines():
        line = raw_line.strip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, expansion = line.partition("\t")
        key, expansion = key.strip(), expansion.strip()
        if sep and key and expansion:
            entries[canonicalize(key)] = canonicalize(expansion)
    return entries


@functools.lru_cache(maxsize=1)
def _shipped_lexicon() -> tuple[tuple[str, str], ...]:
    """Read the packaged data file once per process."""
    text = resources.files("content").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return tuple(parse_lexicon(text).items())


def load_lexicon(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Shipped lexicon merged with the station's ``overrides`` (which win).

    :param overrides: extra or replacement entries, e.g. local place names.
    :return: a fresh dict with canonicalised keys and values.
    """
    merged = dict(_shipped_lexicon())
    for key, expansion in (overrides or {}).items():
        key, expansion = canonicalize(str(key)).strip(), canonicalize(str(expansion)).strip()
        if key:
            merged[key] = expansion
    return merged

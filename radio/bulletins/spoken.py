"""What a bulletin says aloud: the text its speech is made from, read with the station lexicon.

One home for the rule (the title is read first, once), used by approval, rendering, the
preview and the ident; the lexicon's *editing* (and re-approval of what it would change)
is :mod:`radio.speech.lexicon`.
"""

from __future__ import annotations

from sqlite_utils import Database

from content.lexicon import load_lexicon
from content.normalize import normalize


def spoken_text_of(title: str, text: str) -> str:
    """The text a bulletin's speech is made from (the title is read first, once)."""
    return f"{title.strip()}.\n{text}" if title.strip() else text


def station_lexicon(db: Database) -> dict[str, str]:
    """Shipped lexicon merged with the station's entries (the station's win)."""
    return load_lexicon({r["term"]: r["spoken"] for r in db["lexicon"].rows})


def spoken_form(db: Database, title: str, text: str, *, lexicon: dict | None = None) -> str:
    """What the normaliser makes of a bulletin now, with the station lexicon
    (or *lexicon*, read once by a caller going through many bulletins)."""
    return normalize(spoken_text_of(title, text), lexicon=station_lexicon(db) if lexicon is None else lexicon)

"""The station's own pronunciations (local place names, people, local acronyms).

They override the lexicon shipped in ``content/data/lexicon.tsv``; rendering
and ``radio normalize`` both use the merged result.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlite_utils import Database


from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.clock import to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.store.fields import clean_line
from radio.store.connection import bump_revision, write
from radio.speech.restale import mark_stale_renders


MAX_SPOKEN_CHARS = 200


def set_entry(db: Database, term: str, spoken: str, *, now: datetime, actor: Actor) -> dict:
    """Add or replace how *term* is read aloud."""
    require(actor, "lexicon.edit")
    term = clean_line(term, "The written form")
    spoken = clean_line(spoken, "The spoken form")
    if not term or len(term.split()) > 4:
        raise ValidationError("Give the written form: a word, an abbreviation or a short phrase.")
    if not spoken:
        raise ValidationError(f'Say how "{term}" is read aloud; the spoken form is empty.')
    if len(term) > 60 or len(spoken) > MAX_SPOKEN_CHARS:
        raise ValidationError(f"A lexicon entry is at most 60 characters written and "
                              f"{MAX_SPOKEN_CHARS} spoken.")
    with write(db):
        db["lexicon"].upsert({"term": term, "spoken": spoken, "updated_at": to_utc_text(now)}, pk="term")
        record(db, actor, "lexicon.edit", now=now, target=f"lexicon:{term}", detail={"spoken": spoken})
        _requeue_changed_speech(db, now)
        bump_revision(db)
    return db["lexicon"].get(term)


def remove_entry(db: Database, term: str, *, now: datetime, actor: Actor) -> None:
    require(actor, "lexicon.edit")
    term = unicodedata.normalize("NFC", (term or "").strip())
    with write(db):
        if not db.execute("SELECT 1 FROM lexicon WHERE term = ?", [term]).fetchone():
            raise NotFoundError(f'"{term}" is not in the station lexicon.')
        db.execute("DELETE FROM lexicon WHERE term = ?", [term])
        record(db, actor, "lexicon.edit", now=now, target=f"lexicon:{term}", detail={"op": "remove"})
        _requeue_changed_speech(db, now)
        bump_revision(db)


def _requeue_changed_speech(db: Database, now: datetime) -> None:
    # approved bulletins whose reading this change alters go back to the leader (they keep
    # airing their approved audio until the new reading is approved)

    mark_stale_renders(db, now)


def entries(db: Database) -> list[dict]:
    return list(db["lexicon"].rows_where(order_by="term"))

"""Cut spoken text into pieces Google's speech endpoint accepts.

Google reads at most about 100 characters per request and pauses at the end
of every request, so a cut in the middle of a clause sounds like a stumble.
We cut at sentence ends first, then at clause marks, then at spaces, and only
then hard, and pack neighbouring pieces back together while they fit, so the
pauses fall where the punctuation is.
"""

from __future__ import annotations

import re

MAX_CHUNK_CHARS = 100

# Each level keeps its punctuation on the left piece ("…, " | "next").
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_CLAUSE_END = re.compile(r"(?<=[;:,])\s+")
_SPACE = re.compile(r"\s+")
_LEVELS = (_SENTENCE_END, _CLAUSE_END, _SPACE)


def split_for_speech(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters.

    :param text: spoken text.
    :param limit: the longest chunk allowed.
    :return: non-empty chunks, in order, whose words are exactly ``text``'s.
    """
    return _chunk(" ".join(text.split()) if "\n" not in text else text.strip(), 0, limit)


def _chunk(text: str, level: int, limit: int) -> list[str]:
    """Chunks of ``text`` cut at separators of ``level`` or finer."""
    text = text.strip()
    if not text:
        return []
    if len(text) <= limit and "\n" not in text:
        return [text]
    if level >= len(_LEVELS):
        # A single "word" longer than the limit: nothing better than a hard cut.
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    chunks: list[str] = []
    for part in _LEVELS[level].split(text):
        units = _chunk(" ".join(part.split()), level + 1, limit)
        if len(units) == 1 and chunks and len(chunks[-1]) + 1 + len(units[0]) <= limit:
            # Join whole neighbours while they fit: fewer requests, same pauses.
            chunks[-1] = f"{chunks[-1]} {units[0]}"
        else:
            # A part cut finer starts a chunk of its own, so its cuts stay at
            # its own punctuation instead of shifting to wherever space runs out.
            chunks.extend(units)
    return chunks

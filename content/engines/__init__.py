"""Speech engines: Google's voice, espeak-ng and a local Piper voice.

:func:`make_engine` builds one by name; :mod:`content.render` chooses among
them and caches what they say.
"""

from __future__ import annotations

from .base import BaseEngine, EngineError

ENGINE_NAMES = ("gtts", "espeak", "piper")


def make_engine(name: str, **options) -> BaseEngine:
    """Build the engine called ``name`` with keyword ``options``.

    :raises ValueError: for a name not in :data:`ENGINE_NAMES`.
    """
    if name == "gtts":
        from .gtts_engine import GttsEngine
        return GttsEngine(**options)
    if name == "espeak":
        from .espeak import EspeakEngine
        return EspeakEngine(**options)
    if name == "piper":
        from .piper import PiperEngine
        return PiperEngine(**options)
    raise ValueError(f"unknown speech engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")


__all__ = ["BaseEngine", "EngineError", "ENGINE_NAMES", "make_engine"]

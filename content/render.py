"""Render spoken text to a cached WAV with the first engine that works.

The cache is a flat folder of ``<key>.wav`` files; the key hashes the spoken
text with the engine's :meth:`~content.engines.base.BaseEngine.cache_identity`,
so a change of voice, rate or model renders afresh.  Files appear atomically
(written to a temporary name, then renamed), so a crash never leaves a
half-written entry that would later be played.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from content.engines import make_engine
from content.engines.base import BaseEngine, EngineError, one_line

AUTO_ENGINES = ("gtts", "espeak")
#: rough speaking speed of the engines, to estimate a text's length before it is rendered
CHARS_PER_SECOND = 14.0


@dataclass(frozen=True)
class Rendering:
    """A cached spoken rendering and who made it."""

    path: Path
    engine: str
    voice: str
    spoken_text: str
    cache_key: str
    audio_sha256: str
    duration_ms: int


def cache_key(spoken_text: str, engine: BaseEngine) -> str:
    """The cache key of ``spoken_text`` said by ``engine`` (hex sha256)."""
    digest = hashlib.sha256()
    digest.update(engine.cache_identity().encode("utf-8"))
    digest.update(b"\x00")  # so identity and text can never run into each other
    digest.update(spoken_text.encode("utf-8"))
    return digest.hexdigest()


def cache_path(spoken_text: str, cache_dir: Path, engine: BaseEngine) -> Path:
    """Where the rendering of ``spoken_text`` by ``engine`` lives."""
    return Path(cache_dir) / f"{cache_key(spoken_text, engine)}.wav"


def is_cached(spoken_text: str, cache_dir: Path, engine: BaseEngine) -> bool:
    """Whether ``engine`` has already rendered ``spoken_text`` into ``cache_dir``."""
    return cache_path(spoken_text, cache_dir, engine).is_file()


def render(spoken_text: str, cache_dir: Path, engines: Sequence[BaseEngine]) -> Rendering:
    """Speak ``spoken_text`` with the first of ``engines`` that works.

    A cached rendering by any of the engines wins, the earliest engine's
    first, so a gTTS rendering beats an older espeak one and nothing is
    synthesised twice.

    :param spoken_text: normalised text (see :func:`render_text`).
    :param cache_dir: the render cache folder; created if missing.
    :param engines: engines in order of preference.
    :raises EngineError: listing each engine's failure if none could speak.
    :raises ValueError: if ``engines`` is empty or the text is blank.
    """
    if not engines:
        raise ValueError("render needs at least one speech engine")
    if not spoken_text.strip():
        raise ValueError("nothing to say: the spoken text is empty")
    cache_dir = Path(cache_dir)
    for engine in engines:
        cached = cache_path(spoken_text, cache_dir, engine)
        if cached.is_file():
            try:
                return _describe(cached, engine, spoken_text)
            except EngineError:
                cached.unlink(missing_ok=True)  # damaged by hand: render it again
    cache_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    for engine in engines:
        target = cache_path(spoken_text, cache_dir, engine)
        try:
            _synthesize_atomically(engine, spoken_text, target)
        except EngineError as error:
            failures.append(f"{engine.name}: {one_line(error)}")
            continue
        return _describe(target, engine, spoken_text)
    raise EngineError("no speech engine could speak: " + " | ".join(failures))


def render_text(text: str, cache_dir: Path, engines: Sequence[BaseEngine],
                lexicon=None) -> Rendering:
    """Normalise written ``text`` to its spoken form, then :func:`render` it."""
    from content.normalize import normalize  # late: written alongside this module

    return render(normalize(text, lexicon=lexicon), cache_dir, engines)


def engines_for(name: str, settings: Mapping) -> list[BaseEngine]:
    """The engines, in order of preference, for the engine setting ``name``.

    :param name: ``auto`` (gTTS, falling back to espeak-ng), ``gtts``,
        ``espeak`` or ``piper``.
    :param settings: optional keys ``espeak_voice``, ``espeak_rate``,
        ``gtts_timeout_s``, ``gtts_tld``, ``piper_model`` (required for
        piper), ``piper_config``, ``piper_rate``.
    :raises ValueError: for an unknown name.
    :raises EngineError: for piper without a model.
    """
    names = AUTO_ENGINES if name == "auto" else (name,)
    return [_engine_from_settings(engine_name, settings) for engine_name in names]


def _engine_from_settings(name: str, settings: Mapping) -> BaseEngine:
    options: dict = {}
    if name == "gtts":
        if settings.get("gtts_timeout_s") is not None:
            options["timeout_s"] = float(settings["gtts_timeout_s"])
        if settings.get("gtts_tld"):
            options["tld"] = settings["gtts_tld"]
    elif name == "espeak":
        if settings.get("espeak_voice"):
            options["voice"] = settings["espeak_voice"]
        if settings.get("espeak_rate") is not None:
            options["rate"] = int(settings["espeak_rate"])
    elif name == "piper":
        if not settings.get("piper_model"):
            raise EngineError("piper: no voice file configured (setting piper_model)")
        options["model_path"] = settings["piper_model"]
        if settings.get("piper_config"):
            options["config_path"] = settings["piper_config"]
        if settings.get("piper_rate") is not None:
            options["rate"] = int(settings["piper_rate"])
    elif name == "auto":
        raise ValueError("'auto' cannot be nested")
    return make_engine(name, **options)


def _synthesize_atomically(engine: BaseEngine, spoken_text: str, target: Path) -> None:
    """Synthesise into a temporary file beside ``target``, then rename it."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.stem[:16]}.", suffix=".tmp.wav", dir=target.parent)
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        engine.synthesize(spoken_text, temporary_path)
        with open(temporary_path, "rb") as written:
            os.fsync(written.fileno())  # the rename must never expose unwritten data
        os.replace(temporary_path, target)
    except BaseException:
        temporary_path.unlink(missing_ok=True)
        raise


def _describe(path: Path, engine: BaseEngine, spoken_text: str) -> Rendering:
    audio = path.read_bytes()
    return Rendering(
        path=path,
        engine=engine.name,
        voice=engine.voice,
        spoken_text=spoken_text,
        cache_key=path.stem,
        audio_sha256=hashlib.sha256(audio).hexdigest(),
        duration_ms=_duration_ms(path),
    )


def _duration_ms(path: Path) -> int:
    try:
        with wave.open(str(path), "rb") as wav:
            return round(1000 * wav.getnframes() / wav.getframerate())
    except (OSError, EOFError, wave.Error) as error:
        raise EngineError(f"cached audio {path.name} is unreadable ({error})") from None

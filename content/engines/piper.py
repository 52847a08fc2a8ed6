"""Piper: a neural voice from a local ``.onnx`` file the operator supplies.

No Vietnamese Piper voice ships in a package we can install offline, so this
engine only runs when an operator drops a voice file (and its ``.onnx.json``
config) on the station.  ``piper-tts`` is an optional extra: ``[piper]``.
"""

from __future__ import annotations

import functools
import hashlib
import wave
from pathlib import Path

from .base import BaseEngine, EngineError, one_line
from .wav import check_wav


@functools.lru_cache(maxsize=2)
def _load_voice(model_path: str, config_path: str):
    """Load a voice once per process: loading costs far more than speaking."""
    from piper import PiperVoice

    return PiperVoice.load(model_path, config_path=config_path)


@functools.lru_cache(maxsize=8)
def _file_fingerprint(path: str, size: int, mtime_ns: int) -> str:
    """A short hash of a model file, so replacing it invalidates the cache."""
    digest = hashlib.sha256()
    with open(path, "rb") as model:
        for block in iter(lambda: model.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


class PiperEngine(BaseEngine):
    """Speak with a Piper voice file.

    :param model_path: the ``.onnx`` voice.
    :param config_path: its JSON config; default ``<model_path>.json``.
    :param rate: speed in percent of the voice's natural speed (100 = as
        trained; 120 = 20 % faster).
    """

    name = "piper"

    def __init__(self, model_path: str | Path, config_path: str | Path | None = None,
                 rate: int = 100):
        self.model_path = Path(model_path)
        self.config_path = Path(config_path) if config_path else Path(f"{self.model_path}.json")
        self.voice = self.model_path.stem
        self.rate = int(rate)
        if not 25 <= self.rate <= 400:
            raise EngineError(f"piper: rate {rate} % is outside 25..400 %")

    def _check_files(self) -> None:
        if not self.model_path.is_file():
            raise EngineError(f"piper: voice file {self.model_path} does not exist")
        if not self.config_path.is_file():
            raise EngineError(
                f"piper: voice config {self.config_path} does not exist "
                "(it ships beside the .onnx as <name>.onnx.json)")

    def model_identity(self) -> str:
        try:
            stat = self.model_path.stat()
            return _file_fingerprint(str(self.model_path), stat.st_size, stat.st_mtime_ns)
        except OSError:
            return f"missing:{self.model_path}"

    def synthesize(self, text: str, out_path: Path) -> None:
        if not text.strip():
            raise EngineError("piper: nothing to say (empty text)")
        self._check_files()
        try:
            from piper import SynthesisConfig
        except ImportError:
            raise EngineError(
                "piper: the piper-tts package is not installed (pip install 'radio[piper]')"
            ) from None
        try:
            voice = _load_voice(str(self.model_path), str(self.config_path))
            config = SynthesisConfig(length_scale=100.0 / self.rate)
            with wave.open(str(out_path), "wb") as wav_file:
                voice.synthesize_wav(text, wav_file, syn_config=config)
        except EngineError:
            raise
        except Exception as error:  # onnxruntime and piper raise many kinds
            raise EngineError(f"piper: cannot speak with {self.model_path.name}: "
                              f"{one_line(error, 200)}") from None
        check_wav(Path(out_path), "piper")

"""The contract every speech engine meets.

An engine turns *already normalised* spoken text into a 16-bit PCM mono WAV
file.  The render cache (:mod:`content.render`) relies on
:meth:`BaseEngine.cache_identity` to know when two renderings sound the same.
"""

from __future__ import annotations

import abc
from pathlib import Path


class EngineError(RuntimeError):
    """A speech engine could not produce audio; the message is one line."""


class BaseEngine(abc.ABC):
    """A text-to-speech engine.

    :ivar name: the engine family: ``"gtts"``, ``"espeak"`` or ``"piper"``.
    :ivar voice: the voice (language, accent or model) it speaks with.
    :ivar rate: the speaking rate in the engine's own unit.
    """

    name: str = ""
    voice: str = ""
    rate: int = 0

    @abc.abstractmethod
    def synthesize(self, text: str, out_path: Path) -> None:
        """Write a 16-bit PCM mono WAV of ``text`` to ``out_path``.

        :param text: spoken text, already normalised.
        :param out_path: where the WAV goes; its folder exists.
        :raises EngineError: with a clear one-line message on any failure.
        """

    def model_identity(self) -> str:
        """What else, beside name, voice and rate, shapes the audio.

        Subclasses with a model file or a remote service override this.
        """
        return ""

    def cache_identity(self) -> str:
        """A string that changes whenever the audio for the same text would."""
        return f"{self.name}|{self.voice}|{self.rate}|{self.model_identity()}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.cache_identity()}>"


def one_line(message: str, limit: int = 300) -> str:
    """Squash a (possibly multi-line) message into one bounded line."""
    flat = " ".join(str(message).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

"""espeak-ng: the offline fallback voice.

Robotic but always available and fast (a 600-character paragraph renders in
about 0.05 s), so the station can speak when the network is down.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from .base import BaseEngine, EngineError, one_line
from .wav import check_wav

ESPEAK_BINARY = "espeak-ng"
VIETNAMESE_VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")
# Generous: espeak-ng renders minutes of speech in well under a second.
SYNTHESIS_TIMEOUT_S = 60.0


@functools.lru_cache(maxsize=4)
def installed_voices(binary: str = ESPEAK_BINARY) -> frozenset[str]:
    """The voice names ``espeak-ng --voices`` lists (lower-cased)."""
    try:
        listing = subprocess.run(
            [binary, "--voices"], capture_output=True, text=True, timeout=15, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise EngineError(f"espeak-ng: cannot list voices ({one_line(error)})") from None
    voices = set()
    for line in listing.splitlines()[1:]:
        columns = line.split()
        if len(columns) >= 2:
            voices.add(columns[1].lower())  # the "Language" column: what -v takes
        if len(columns) >= 5:
            voices.add(columns[4].lower().rsplit("/", 1)[-1])  # the file name
    return frozenset(voices)


class EspeakEngine(BaseEngine):
    """Speak with espeak-ng.

    :param voice: an espeak-ng voice, e.g. ``vi``, ``vi-vn-x-central``,
        ``vi-vn-x-south``.
    :param rate: words per minute (espeak-ng ``-s``), 80..450.
    """

    name = "espeak"

    def __init__(self, voice: str = "vi", rate: int = 165, binary: str = ESPEAK_BINARY):
        self.voice = voice
        self.rate = int(rate)
        self.binary = binary
        if not 80 <= self.rate <= 450:
            raise EngineError(f"espeak-ng: rate {rate} is outside 80..450 words a minute")

    def model_identity(self) -> str:
        return "espeak-ng"

    def check_available(self) -> None:
        """Raise :class:`EngineError` if espeak-ng or the voice is missing."""
        if shutil.which(self.binary) is None:
            raise EngineError(f"espeak-ng: program '{self.binary}' is not installed")
        if self.voice.lower() not in installed_voices(self.binary):
            raise EngineError(
                f"espeak-ng: voice '{self.voice}' is not installed "
                f"(Vietnamese voices: {', '.join(VIETNAMESE_VOICES)})"
            )

    def synthesize(self, text: str, out_path: Path) -> None:
        if not text.strip():
            raise EngineError("espeak-ng: nothing to say (empty text)")
        self.check_available()
        command = [self.binary, "-v", self.voice, "-s", str(self.rate),
                   "-w", str(out_path), "--stdin"]
        try:
            result = subprocess.run(
                command, input=text.encode("utf-8"), capture_output=True,
                timeout=SYNTHESIS_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise EngineError(
                f"espeak-ng: no audio within {SYNTHESIS_TIMEOUT_S:g} s"
            ) from None
        except OSError as error:
            raise EngineError(f"espeak-ng: cannot run ({one_line(error)})") from None
        if result.returncode != 0:
            detail = one_line(result.stderr.decode("utf-8", "replace")) or "no message"
            raise EngineError(f"espeak-ng: failed with code {result.returncode}: {detail}")
        check_wav(Path(out_path), "espeak-ng")

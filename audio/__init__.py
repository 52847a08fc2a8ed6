"""How it sounds: programme assembly, loudness, silence checks, jingles and outputs.

This package imports nothing of ours (not ``radio``, ``content`` or ``web``);
see ``audio/README.md``. The default jingles are in :mod:`audio.jingles`
(not imported here, so ``python -m audio.jingles`` runs cleanly).
"""

from .checks import SilentAudioError, TruncatedAudioError, check_audible, check_length
from .loudness import measure_lufs, normalize_loudness, true_peak_db
from .programme import PROGRAMME_RATE, Cue, Part, Programme, assemble, write_wav

__all__ = [
    "PROGRAMME_RATE", "Cue", "Part", "Programme", "assemble", "write_wav",
    "measure_lufs", "true_peak_db", "normalize_loudness",
    "SilentAudioError", "TruncatedAudioError", "check_audible", "check_length",
]

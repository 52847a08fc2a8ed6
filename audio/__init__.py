"""How it sounds: programme assembly, loudness, silence checks, jingles and outputs.

This package imports nothing of ours (not ``radio``, ``content`` or ``web``);
see ``audio/README.md``. The default jingles are in :mod:`audio.jingles`
(not imported here, so ``python -m audio.jingles`` runs cleanly).

The names below load on first use: loudness pulls in SciPy (half a second),
which a CLI command that only lists slots should not pay for.
"""

import importlib

_EXPORTS = {
    "SilentAudioError": "checks", "TruncatedAudioError": "checks", "check_audible": "checks",
    "check_length": "checks",
    "measure_lufs": "loudness", "normalize_loudness": "loudness", "true_peak_db": "loudness",
    "PROGRAMME_RATE": "programme", "Cue": "programme", "Part": "programme", "Programme": "programme",
    "assemble": "programme", "write_wav": "programme",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'audio' has no attribute {name!r}")

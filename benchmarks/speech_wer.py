"""Intelligibility of the offline voice: word error rate, raw vs normalised.

Run: ``.venv/bin/python benchmarks/speech_wer.py`` (needs the ``[eval]``
extra: ``viet-asr``, an offline Vietnamese recogniser with its model inside
the wheel).  Each paragraph of ``data/wer_paragraphs.txt`` is spoken by
espeak-ng twice, from the raw text and from its normalised form, transcribed,
and scored against the normalised text (lower-cased, punctuation stripped),
which is what a listener should hear.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from speech_common import normalizer, read_data


def words(text: str) -> list[str]:
    """Lower-cased words without punctuation, in NFC (one form per tone mark)."""
    text = unicodedata.normalize("NFC", text.lower())
    return re.sub(r"[^\w\s]|_", " ", text).split()


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words (substitutions, deletions, insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, 1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def speak_16k(text: str, voice: str, folder: Path) -> Path:
    """espeak-ng's rendering of ``text``, resampled to 16 kHz for the recogniser."""
    from content.engines.espeak import EspeakEngine

    wav, wav16 = folder / "speech.wav", folder / "speech16.wav"
    EspeakEngine(voice=voice).synthesize(text, wav)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-ar", "16000", "-ac", "1",
                    str(wav16)], check=True)
    return wav16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default="vi")
    parser.add_argument("--verbose", action="store_true", help="print each transcript")
    arguments = parser.parse_args()
    try:
        import vietasr
    except ImportError:
        sys.exit("viet-asr is not installed: pip install 'radio[eval]'")
    recogniser = vietasr.Pipeline.preset("transcribe")
    normalize = normalizer()
    paragraphs = [p.strip() for p in read_data("wer_paragraphs.txt").split("\n\n") if p.strip()]

    totals = {"raw": [0, 0], "normalised": [0, 0]}
    print(f"{'paragraph':<10}{'words':>6}{'WER raw':>10}{'WER normalised':>16}")
    with tempfile.TemporaryDirectory() as folder:
        for number, paragraph in enumerate(paragraphs, 1):
            spoken = normalize(paragraph)
            reference = words(spoken)
            scores = {}
            for label, text in (("raw", paragraph), ("normalised", spoken)):
                heard = recogniser.transcribe(str(speak_16k(text, arguments.voice, Path(folder))))
                errors = word_errors(reference, words(heard.text))
                totals[label][0] += errors
                totals[label][1] += len(reference)
                scores[label] = errors / len(reference)
                if arguments.verbose:
                    print(f"  {label:>10}: {heard.text}")
            print(f"{number:<10}{len(reference):>6}{scores['raw']:>10.1%}"
                  f"{scores['normalised']:>16.1%}")
    raw = totals["raw"][0] / totals["raw"][1]
    normalised = totals["normalised"][0] / totals["normalised"][1]
    print(f"{'all':<10}{totals['raw'][1]:>6}{raw:>10.1%}{normalised:>16.1%}")
    print(f"WER raw {raw:.1%} vs normalised {normalised:.1%} "
          f"(ratio {normalised / raw:.2f}; espeak-ng voice '{arguments.voice}', viet-asr)")


if __name__ == "__main__":
    main()

"""Throughput of normalise + render (espeak-ng) against raw espeak-ng.

Run: ``.venv/bin/python benchmarks/speech_throughput.py [--runs N]``.
Both sides speak the same 1,500-character bulletin; the render side starts
from an empty cache each run, so it measures synthesis, not cache hits.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from speech_common import median_seconds, normalizer, read_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--voice", default="vi")
    arguments = parser.parse_args()

    from content.engines.espeak import EspeakEngine
    from content.render import render

    normalize = normalizer()
    from content.normalize import analyse
    text = read_data("bulletin_1500.txt")
    engine = EspeakEngine(voice=arguments.voice)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        counter = iter(range(10**6))

        def raw_espeak():
            subprocess.run(["espeak-ng", "-v", arguments.voice, "-s", "165",
                            "-w", str(folder / "raw.wav"), "--stdin"],
                           input=text.encode("utf-8"), check=True, capture_output=True)

        def normalise_only():
            normalize(text)

        def analyse_only():
            analyse(text)

        def normalise_and_render():
            render(normalize(text), folder / f"cache{next(counter)}", [engine])

        baseline = median_seconds(raw_espeak, arguments.runs)
        normalising = median_seconds(normalise_only, arguments.runs)
        analysing = median_seconds(analyse_only, arguments.runs)
        ours = median_seconds(normalise_and_render, arguments.runs)

    print(f"text: {len(text)} characters, median of {arguments.runs} runs")
    print(f"{'step':<34}{'seconds':>10}{'vs raw espeak-ng':>18}")
    print(f"{'raw espeak-ng (baseline)':<34}{baseline:>10.3f}{1:>17.2f}x")
    print(f"{'normalise only':<34}{normalising:>10.3f}{normalising / baseline:>17.2f}x")
    print(f"{'analyse (spoken + unsure spans)':<34}{analysing:>10.3f}{analysing / baseline:>17.2f}x")
    print(f"{'normalise + render (espeak-ng)':<34}{ours:>10.3f}{ours / baseline:>17.2f}x")
    print(f"characters a second (normalise + render): {len(text) / ours:,.0f}")


if __name__ == "__main__":
    main()

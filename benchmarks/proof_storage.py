"""Storage of replayable proof for a year of a busy station, against keeping programmes.

A busy station: two 15-minute programmes a day, every day (the Hanoi 2021 rule of
two 15-minute sessions, without its weekday-only relief), each with intro, ident,
about 13 minutes of bulletins and outro. A bulletin airs on several occasions
(``--reuse``, default 14: a week, morning and evening), so only 1/reuse of the
speech aired each day is new audio.

Measured with the real parts: Vietnamese bulletins cut from the seed plans are
normalised and rendered by espeak-ng, kept through :func:`radio.proof.replay.store_part`
(FLAC, sample-checked), one programme is assembled from them, its recipe recorded
and re-assembled from the store to check it hashes the same. The year is then
extrapolated from the measured bytes per second of kept speech and bytes per
recipe, beside two baselines: keeping every programme WAV, or every programme
as FLAC.

Run: ``.venv/bin/python benchmarks/proof_storage.py [--reuse 14] [--bulletins 8]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audio.jingles import default_jingle  # noqa: E402
from audio.programme import Part, assemble, write_wav  # noqa: E402
from content.normalize import normalize  # noqa: E402
from content.render import engines_for, render  # noqa: E402
from radio.proof import replay  # noqa: E402
from radio.store.home import open_home  # noqa: E402
from radio.store.connection import connect  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1].parent.parent / "shared" / "seeds"
SLOTS_PER_DAY, SLOT_MINUTES, SPEECH_MINUTES, DAYS = 2, 15, 13, 365
BUDGET = 1e9


def bulletins(count: int) -> list[str]:
    """~1,500-character bulletins cut at paragraph ends from the seed plans."""
    sources = sorted(SEEDS.glob("*.txt")) or [Path(__file__).parent / "data" / "bulletin_1500.txt"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    out, current = [], ""
    for para in (p.strip() for p in text.splitlines()):
        if not para:
            continue
        current += para + "\n"
        if len(current) >= 1500:
            out.append(current)
            current = ""
        if len(out) == count:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", type=float, default=14.0, help="airings per bulletin")
    parser.add_argument("--bulletins", type=int, default=8, help="bulletins rendered for the measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = open_home(Path(tmp) / "station")
        db = connect(home.database)
        engines = engines_for("espeak", {"espeak_voice": "vi", "espeak_rate": 150})
        renders = [render(normalize(t), home.speech_cache, engines) for t in bulletins(args.bulletins)]
        speech_s = sum(r.duration_ms for r in renders) / 1000
        wav_bytes = sum(r.path.stat().st_size for r in renders)
        t0 = time.perf_counter()
        for r in renders:
            replay.store_part(home, r.path)
        store_s = time.perf_counter() - t0
        kept = replay.storage_bytes(home)
        per_second = kept / speech_s

        parts = ([Part(default_jingle("intro"), "intro", "intro")]
                 + [Part(r.path, "item", str(n)) for n, r in enumerate(renders)]
                 + [Part(default_jingle("outro"), "outro", "outro")])
        programme = assemble(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0)
        path = home.programmes / "p.wav"
        write_wav(programme, path)
        sha = replay.file_sha256(path)
        before = replay.storage_bytes(home)
        replay.record(db, sha, replay.recipe_of(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0),
                  built_at=datetime.now(UTC))
        replay.store_pending(db, home)
        jingles = replay.storage_bytes(home) - before
        recipe = len(db.execute("SELECT recipe FROM programme_recipes").fetchone()[0]) + 150  # + row overhead
        programme_s = programme.duration_ms / 1000
        wav_per_s = path.stat().st_size / programme_s
        flac = Path(tmp) / "p.flac"
        replay._to_flac(path, flac)
        flac_per_s = flac.stat().st_size / programme_s
        path.unlink()
        again = Path(tmp) / "again.wav"
        t0 = time.perf_counter()
        replay.rebuild(db, home, sha, again)
        rebuild_s = time.perf_counter() - t0
        identical = replay.file_sha256(again) == sha

    programmes = SLOTS_PER_DAY * DAYS
    aired_s = programmes * SLOT_MINUTES * 60
    speech_year_s = programmes * SPEECH_MINUTES * 60

    def year(reuse: float) -> float:
        return speech_year_s / reuse * per_second + programmes * recipe + jingles

    print(f"measured on {len(renders)} espeak-ng bulletins, {speech_s:.0f} s of speech: "
          f"WAV {wav_bytes / speech_s / 1000:.1f} kB/s, kept as FLAC {per_second / 1000:.1f} kB/s "
          f"({kept / wav_bytes:.0%}), stored in {store_s:.1f} s")
    print(f"one programme of {programme_s:.0f} s re-assembled from the store in {rebuild_s:.1f} s: "
          f"{'identical sha256' if identical else 'DIFFERENT sha256'}; recipe {recipe} B")
    print(f"a year: {programmes} programmes of {SLOT_MINUTES} min, {speech_year_s / 3600:.0f} h of speech aired")
    print(f"baseline: every programme WAV            {aired_s * wav_per_s / 1e9:7.2f} GB")
    print(f"baseline: every programme as FLAC        {aired_s * flac_per_s / 1e9:7.2f} GB")
    for reuse in sorted({1.0, 3.0, 7.0, 14.0, 28.0, args.reuse}):
        size = year(reuse)
        mark = " <- this run" if reuse == args.reuse else ""
        print(f"parts + recipes, each bulletin aired {reuse:4.0f}x: {size / 1e9:6.2f} GB "
              f"(ratio {size / (aired_s * wav_per_s):.3f} of the WAV baseline){mark}")
    need = speech_year_s * per_second / (BUDGET - programmes * recipe - jingles)
    size = year(args.reuse)
    print(f"verdict: {size / 1e9:.2f} GB at {args.reuse:.0f} airings per bulletin, "
          f"{'within' if size < BUDGET else 'OVER'} the 1 GB budget; the budget holds from "
          f"{need:.1f} airings per bulletin")


if __name__ == "__main__":
    main()

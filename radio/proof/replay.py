"""Replayable proof: play back any aired occurrence bit for bit, for a year or more.

An assembled programme is about 80 MB for 15 minutes, so keeping every one for
a year would take ~58 GB. What is kept instead:

- every *part* (jingle, ident, item audio) once, content-addressed by the
  sha256 of its file, under ``proof-audio/parts/``: 16-bit WAVs as FLAC
  (lossless, checked sample for sample when stored), anything else as is.
  Parts are kept by the daemon's housekeeping, not on the way to air;
- the programme's *recipe* (its parts in order, gap, loudness target, peak
  ceiling) in the ``programme_recipes`` table, keyed by the programme's sha256.

:func:`replay` re-assembles a recipe through the same code path as air
(:func:`audio.programme.assemble_file`, in a helper process) and
checks the result against the ``programme_sha256`` in the proof log. Before the
two-week clean-up deletes an aired programme, :func:`secure` re-assembles it
once; should that not give the same bytes (a library upgrade changed the
arithmetic, a resume programme has no recipe), the programme itself is kept as
FLAC, which rebuilds into identical WAV bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Mapping, Sequence

from sqlite_utils import Database

from audio.programme import Part, assemble_file, write_wav

from radio.clock import to_utc_text
from radio.errors import NotFoundError
from radio.store.ids import parse_id
from radio.store.home import Home
from radio.store.connection import write

log = logging.getLogger("radio.proof.replay")

#: Statuses whose audio was (at least partly) heard, so must stay replayable.
REPLAYABLE = ("aired", "partial")
RECIPE_VERSION = 1


def proof_dir(home: Home) -> Path:
    return home.root / "proof-audio"


def _parts_dir(home: Home) -> Path:
    return proof_dir(home) / "parts"


def _programmes_dir(home: Home) -> Path:
    return proof_dir(home) / "programmes"


def _replayed_dir(home: Home) -> Path:
    return proof_dir(home) / "replayed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ffmpeg(*args: str) -> None:
    result = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args],
                            capture_output=True, text=True)
    if result.returncode:
        raise OSError(f"ffmpeg failed ({result.returncode}): {result.stderr.strip()[-300:]}")


def _wav_frames(path: Path) -> tuple[tuple[int, int, int], bytes] | None:
    """(channels, sample width, rate) and the PCM of a plain PCM WAV; None otherwise."""
    try:
        with wave.open(str(path), "rb") as wav:
            return (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()), wav.readframes(wav.getnframes())
    except (wave.Error, EOFError):
        return None


def _to_flac(source: Path, target: Path) -> None:
    _ffmpeg("-i", str(source), "-map_metadata", "-1", "-c:a", "flac", "-compression_level", "12",
            "-f", "flac", str(target))


def _from_flac(source: Path, target: Path, width: int = 2) -> None:
    _ffmpeg("-i", str(source), "-map_metadata", "-1", "-bitexact", "-c:a", f"pcm_s{8 * width}le",
            "-f", "wav", str(target))


def store_part(home: Home, path: Path) -> dict:
    """Keep one part's audio under its sha256 (once); return its recipe entry."""
    sha = file_sha256(path)
    folder = _parts_dir(home) / sha[:2]
    existing = list(folder.glob(f"{sha}.*")) if folder.is_dir() else []
    if existing:
        return {"sha256": sha, "file": existing[0].name}
    folder.mkdir(parents=True, exist_ok=True)
    wav = _wav_frames(path)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        if wav is not None and wav[0][1] == 2:
            packed = Path(tmp) / f"{sha}.flac"
            _to_flac(path, packed)
            unpacked = Path(tmp) / "check.wav"
            _from_flac(packed, unpacked)
            if _wav_frames(unpacked) != wav:  # never trust a codec with proof: check every sample
                packed = Path(tmp) / f"{sha}{path.suffix.lower()}"
                shutil.copyfile(path, packed)
        else:
            packed = Path(tmp) / f"{sha}{path.suffix.lower() or '.bin'}"
            shutil.copyfile(path, packed)
        os.replace(packed, folder / packed.name)
    return {"sha256": sha, "file": packed.name}


def recipe_of(parts: Sequence[Part], *, gap_ms: int, target_lufs: float, max_true_peak_db: float,
              known: Mapping[Path, tuple[Path, str]] | None = None) -> dict:
    """What a programme is made of: its parts in order (kind, label, sha256 and the file they
    are kept from until :func:`store_pending` stores them), the gap, the loudness target and the
    peak ceiling.

    :param known: for a part's path, the file it was copied from and the sha256 already taken
        of its bytes; such a part is not read again.
    """
    known = known or {}
    entries = []
    for part in parts:
        source, sha = known.get(Path(part.path)) or (Path(part.path), None)
        entries.append({"kind": part.kind, "label": part.label, "sha256": sha or file_sha256(source),
                        "source": str(source)})
    return {"v": RECIPE_VERSION, "parts": entries, "gap_ms": gap_ms, "target_lufs": target_lufs,
            "max_true_peak_db": max_true_peak_db}


def same_programme(recipe: dict, other: dict) -> bool:
    """Whether two recipes assemble the same bytes: the same parts (by kind, label and sha256,
    wherever they are kept) with the same gap, loudness target and peak ceiling."""
    def made_of(r: dict) -> tuple:
        return ([(p["kind"], p["label"], p["sha256"]) for p in r["parts"]],
                r["gap_ms"], r["target_lufs"], r["max_true_peak_db"])
    return made_of(recipe) == made_of(other)


def recorded(db: Database, programme_sha256: str) -> dict | None:
    """The recipe kept for the programme *programme_sha256*, or None."""
    row = db.execute("SELECT recipe FROM programme_recipes WHERE sha256 = ?", [programme_sha256]).fetchone()
    return json.loads(row[0]) if row else None


def record(db: Database, programme_sha256: str, recipe: dict, *, built_at: datetime) -> None:
    """Note the *recipe* (:func:`recipe_of`) that re-assembles the programme *programme_sha256*.

    Called by :func:`radio.programme.assembly.build` right after the programme is written:
    no encoding on the way to air; the parts' audio is kept by :func:`store_pending`, run by
    the daemon's housekeeping.
    """
    with write(db):
        db.execute("INSERT OR IGNORE INTO programme_recipes (sha256, recipe, created_at) VALUES (?, ?, ?)",
                   [programme_sha256, json.dumps(recipe, sort_keys=True), to_utc_text(built_at)])


def store_pending(db: Database, home: Home) -> int:
    """Keep the audio of every part a recipe still points at in its source file.

    A source that is gone or changed is left: :func:`secure` then keeps the whole
    programme before its WAV is deleted. Returns the recipes completed.
    """
    done = 0
    for sha, text in db.execute("SELECT sha256, recipe FROM programme_recipes WHERE complete = 0").fetchall():
        recipe = json.loads(text)
        for part in recipe["parts"]:
            if "file" in part:
                continue
            source = Path(part.get("source", ""))
            if source.is_file() and file_sha256(source) == part["sha256"]:
                part["file"] = store_part(home, source)["file"]
        complete = all("file" in p for p in recipe["parts"])
        with write(db):
            db.execute("UPDATE programme_recipes SET recipe = ?, complete = ? WHERE sha256 = ?",
                       [json.dumps(recipe, sort_keys=True), int(complete), sha])
        done += complete
    return done


def _materialise(home: Home, entry: dict, folder: Path) -> Path:
    if "file" not in entry:
        raise NotFoundError(f"Part {entry['sha256'][:12]} of the programme is not kept yet.")
    stored = _parts_dir(home) / entry["sha256"][:2] / entry["file"]
    if not stored.exists():
        raise NotFoundError(f"Part {entry['sha256'][:12]} of the programme is missing from {proof_dir(home)}.")
    if stored.suffix == ".flac":
        target = folder / f"{entry['sha256']}.wav"
        _from_flac(stored, target)
        return target
    return stored


def rebuild(db: Database, home: Home, programme_sha256: str, target: Path) -> bool:
    """Write the programme *programme_sha256* to *target*; False if nothing is kept of it."""
    whole = _programmes_dir(home) / f"{programme_sha256}.flac"
    if whole.exists():
        with tempfile.TemporaryDirectory() as tmp:
            decoded = Path(tmp) / "programme.wav"
            _from_flac(whole, decoded)
            frames = _wav_frames(decoded)
            params, pcm = frames
            _write_pcm(target, params, pcm)
        return True
    recipe = recorded(db, programme_sha256)
    if recipe is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        parts = [Part(_materialise(home, e, Path(tmp)), e["kind"], e["label"]) for e in recipe["parts"]]
        assemble_file(parts, target, gap_ms=recipe["gap_ms"], target_lufs=recipe["target_lufs"],
                      max_true_peak_db=recipe["max_true_peak_db"])
    return True


def _write_pcm(target: Path, params: tuple[int, int, int], pcm: bytes) -> None:
    """The same WAV bytes :func:`audio.programme.write_wav` writes for this PCM."""
    from pydub import AudioSegment

    channels, width, rate = params
    write_wav(AudioSegment(data=pcm, sample_width=width, frame_rate=rate, channels=channels), target)


@dataclass
class Replay:
    """A played-back occurrence: where its audio is and whether it is what aired.

    The audio is always the whole *programme* as assembled (that is what the logged
    sha256 names), never a recording of the air: for a partial entry listeners heard
    only its first :attr:`seconds_played` seconds, with any dead air the reason names
    as silence in between, and the same programme may be logged for several entries
    (:attr:`shared_with`): :meth:`notes` says so in plain words.
    """

    occurrence_id: int
    path: Path
    sha256: str
    logged_sha256: str
    status: str = "aired"
    seconds_played: float | None = None
    programme_seconds: float | None = None
    reason: str | None = None
    shared_with: tuple[int, ...] = ()
    #: the reason as codes (JSON, radio.wording.reasons), for the page to say it in Vietnamese
    reason_parts: str | None = None

    @property
    def matches(self) -> bool:
        return self.sha256 == self.logged_sha256

    def notes(self) -> list[str]:
        """What the replayed file is and is not, in English (the CLI prints them)."""
        notes = []
        if self.status == "partial":
            heard = f"{self.seconds_played:.1f} s" if self.seconds_played is not None else "part"
            whole = f" of this {self.programme_seconds:.1f} s programme" if self.programme_seconds else ""
            notes.append(f"Entry {self.occurrence_id} was partial: listeners heard the first {heard}{whole}"
                         + (f" ({self.reason})" if self.reason else "")
                         + ". This file is the whole programme as assembled, not what they heard: "
                         "a cut or dead air is not in it.")
        if self.shared_with:
            others = ", ".join(str(n) for n in self.shared_with)
            notes.append(f"The same programme (sha256 {self.logged_sha256[:12]}…) is logged for entr"
                         f"{'y' if len(self.shared_with) == 1 else 'ies'} {others} too: the hash names "
                         "the audio assembled, not one airing; each entry's own times and seconds say "
                         "when and how much of it aired.")
        return notes


def replay(db: Database, home: Home, occurrence_id: int, target: Path | None = None) -> Replay:
    """Re-create the audio of an aired or partial occurrence and check its sha256.

    :param target: where to write the WAV (default: a cache file in the data directory,
        kept a day).
    :raise NotFoundError: no such entry, it did not air, or its audio is not kept.
    """
    occurrence_id = parse_id(occurrence_id, "Proof log entry")
    row = db.execute("SELECT status, programme_sha256, kind, corrects_id, seconds_played, programme_seconds, "
                     "reason, (SELECT r.parts FROM occurrence_reasons r WHERE r.occurrence_id = o.id) "
                     "FROM occurrences o WHERE id = ?", [occurrence_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Proof log entry {occurrence_id} does not exist.")
    status, logged, kind, corrects_id, seconds_played, programme_seconds, reason, reason_parts = row
    if kind == "manual":
        raise NotFoundError(f"Entry {occurrence_id} is a manual entry (a reading done outside the system, "
                            "typed in afterwards): the station recorded no audio of it, so there is nothing "
                            "to replay.")
    if kind == "correction":
        raise NotFoundError(f"Entry {occurrence_id} is a correction of entry {corrects_id}, not an airing; "
                            f"replay entry {corrects_id}.")
    if status not in REPLAYABLE:
        raise NotFoundError(f"Entry {occurrence_id} did not air ({status}); there is nothing to replay.")
    if not logged:
        raise NotFoundError(f"Entry {occurrence_id} ({status}) has no programme sha256 in the log "
                            "(it was logged before replayable proof, or its programme was never built): "
                            "there is nothing to check a replay against.")
    shared = tuple(n for (n,) in db.execute(
        f"SELECT id FROM occurrences WHERE programme_sha256 = ? AND id <> ? AND status IN "
        f"({','.join('?' * len(REPLAYABLE))}) ORDER BY id", [logged, occurrence_id, *REPLAYABLE]))
    about = dict(status=status, seconds_played=seconds_played, programme_seconds=programme_seconds,
                 reason=reason, shared_with=shared, reason_parts=reason_parts)
    cached = _replayed_dir(home) / f"{logged}.wav"
    if target is None:
        if cached.exists() and cached.with_suffix(".json").exists():
            known = json.loads(cached.with_suffix(".json").read_text())
            return Replay(occurrence_id, cached, known["sha256"], logged, **about)
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".wav", dir=cached.parent)
        os.close(fd)
        try:
            result = replay(db, home, occurrence_id, Path(tmp))
            os.replace(tmp, cached)
        finally:
            Path(tmp).unlink(missing_ok=True)
        cached.with_suffix(".json").write_text(json.dumps({"sha256": result.sha256}))
        return Replay(occurrence_id, cached, result.sha256, logged, **about)
    target = Path(target)
    # a programme that aired minutes ago is still on disk as assembled: the same bytes,
    # before housekeeping has kept its parts (a recipe with parts "not kept yet")
    live = _live_programme(db, home, logged, (occurrence_id, *shared))
    if live is not None:
        shutil.copyfile(live, target)
    elif not rebuild(db, home, logged, target):
        raise NotFoundError(f"The audio of entry {occurrence_id} is not kept (it aired before replayable "
                            "proof, or its retention ran out).")
    return Replay(occurrence_id, target, file_sha256(target), logged, **about)


def _live_programme(db: Database, home: Home, sha: str, ids: Sequence[int]) -> Path | None:
    """The assembled programme WAV still on disk, of any of the entries *ids*, whose
    bytes hash to *sha*; None if none is left."""
    for occurrence_id in ids:
        live = home.programme(_entry_key(db, occurrence_id))
        try:
            if live.is_file() and file_sha256(live) == sha:
                return live
        except OSError:  # deleted by the clean-up meanwhile: the next one, or the recipe
            continue
    return None


def known_verdicts(home: Home, shas: Sequence[str]) -> dict[str, bool]:
    """Whether recent replays (cached a day) matched, by logged sha256; no work done."""
    found = {}
    directory = _replayed_dir(home)
    try:
        names = set(os.listdir(directory))  # one directory read, not a stat per log row
    except FileNotFoundError:
        return found
    for sha in shas:
        if sha and f"{sha}.json" in names:
            found[sha] = json.loads((directory / f"{sha}.json").read_text())["sha256"] == sha
    return found


def _entry_key(db: Database, occurrence_id: int) -> str:
    return db.execute("SELECT key FROM occurrences WHERE id = ?", [occurrence_id]).fetchone()[0]


def secure(db: Database, home: Home, path: Path) -> bool:
    """Make sure an assembled programme about to be deleted can still be replayed.

    Only programmes the log shows as aired or partial matter. Their recipe is
    re-assembled once; if it does not give the same bytes, the programme
    itself is kept as FLAC. Returns False if the programme must not be deleted.
    """
    sha = file_sha256(path)
    heard = db.execute(f"SELECT 1 FROM occurrences WHERE programme_sha256 = ? AND status IN "
                       f"({','.join('?' * len(REPLAYABLE))}) LIMIT 1", [sha, *REPLAYABLE]).fetchone()
    if heard is None or (_programmes_dir(home) / f"{sha}.flac").exists():
        return True
    store_pending(db, home)
    with tempfile.TemporaryDirectory() as tmp:
        again = Path(tmp) / "again.wav"
        try:
            if rebuild(db, home, sha, again) and file_sha256(again) == sha:
                return True
        except (OSError, NotFoundError, ValueError) as exc:
            log.warning("Recipe of %s does not re-assemble (%s); keeping the programme itself", path.name, exc)
        folder = _programmes_dir(home)
        folder.mkdir(parents=True, exist_ok=True)
        packed = Path(tmp) / f"{sha}.flac"
        _to_flac(path, packed)
        back = Path(tmp) / "back.wav"
        params_pcm = _wav_frames(path)
        _from_flac(packed, back, params_pcm[0][1] if params_pcm else 2)
        if params_pcm is None or _wav_frames(back) != params_pcm:
            log.error("Programme %s could not be kept losslessly; leaving the WAV in place", path.name)
            return False
        os.replace(packed, folder / packed.name)
    return True


def prune(db: Database, home: Home, now: datetime, *, keep_days: int, unaired_days: int) -> int:
    """Drop proof audio no longer needed: recipes of programmes that did not air
    (after *unaired_days*) or aired before the retention of *keep_days*, parts no
    recipe uses, and replay caches older than a day. The log itself is never purged.
    """
    keep_since = to_utc_text(now - timedelta(days=keep_days))
    needed = {sha for (sha,) in db.execute(
        f"SELECT DISTINCT programme_sha256 FROM occurrences WHERE programme_sha256 IS NOT NULL "
        f"AND status IN ({','.join('?' * len(REPLAYABLE))}) AND scheduled_at >= ?",
        [*REPLAYABLE, keep_since])}
    young = to_utc_text(now - timedelta(days=unaired_days))
    removed, used = 0, set()
    with write(db):
        for sha, recipe, created in db.execute(
                "SELECT sha256, recipe, created_at FROM programme_recipes").fetchall():
            if sha in needed or created >= young:
                used.update(p["sha256"] for p in json.loads(recipe)["parts"] if "file" in p)
            else:
                db.execute("DELETE FROM programme_recipes WHERE sha256 = ?", [sha])
                removed += 1
    for path in _parts_dir(home).glob("*/*"):
        if path.name.split(".")[0] not in used:
            path.unlink(missing_ok=True)
            removed += 1
    for path in _programmes_dir(home).glob("*.flac"):
        if path.stem not in needed:
            path.unlink(missing_ok=True)
            removed += 1
    cutoff = now.timestamp() - 86400
    for path in _replayed_dir(home).glob("*.*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
    return removed


def storage_bytes(home: Home) -> int:
    """What the replayable proof takes on disk (in bytes)."""
    return sum(p.stat().st_size for p in proof_dir(home).rglob("*") if p.is_file()
               and _replayed_dir(home) not in p.parents)

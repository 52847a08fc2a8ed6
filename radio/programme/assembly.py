"""Assembling what a slot airs: intro jingle, station ident, bulletins, outro.

Built ahead of air from audio already rendered; the result is one 16-bit PCM
WAV in the data directory plus the snapshot of each item for the proof log.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import wave
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from audio.programme import Cue as ProgrammeCue, Part, ProgrammeFile, assemble_file, write_wav

from radio.bulletins import approval
from radio.proof import replay
from radio.bulletins.lifecycle import get_render, text_sha256
from radio.store.home import Home
from radio.programme.jingles import jingle_sha256
from radio.programme.parts import discard_ident
from radio.proof.log import LoggedItem
from radio.programme.parts import render_ident
from radio.schedule.plan import PlannedItem
from radio.wording.reasons import Reason, message, reason

log = logging.getLogger("radio.programme.assembly")

#: a part's length may differ from the recorded one by this much (rounding of frame counts)
LENGTH_TOLERANCE_MS = 20


class DamagedAudioError(ValueError):
    """A part's file is missing, empty, truncated or not the audio that was recorded for it.

    ``replaced`` is true when the file is whole but its sha256 is not the recorded one
    (another file put in its place): that raises an integrity alert.
    """

    replaced = False


class NotApprovedError(DamagedAudioError):
    """A bulletin about to air is not what its approval binds (:mod:`radio.bulletins.approval`)."""

    replaced = True


def verified_bytes(path: Path, *, sha256: str | None = None, duration_ms: int | None = None,
                   label: str = "audio") -> tuple[bytes, str]:
    """Read a part's file once and prove it whole: the bytes and their sha256.

    :param sha256: the hash stored when it was rendered; the bytes must match it.
    :param duration_ms: the length stored when it was rendered (WAV files).
    :raise DamagedAudioError: one sentence saying what is wrong.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DamagedAudioError(f"{label} file is missing") from None
    except OSError as exc:
        raise DamagedAudioError(f"{label} file cannot be read ({exc.strerror})") from None
    if not data:
        raise DamagedAudioError(f"{label} file is empty (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    if sha256 and digest != sha256:
        error = DamagedAudioError(f"{label} file does not match its recorded sha256 (damaged or replaced)")
        error.replaced = True
        raise error
    if data[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(data)) as wav:
                declared = wav.getnframes()
                present = len(wav.readframes(declared)) // (wav.getsampwidth() * wav.getnchannels())
                rate = wav.getframerate()
        except (wave.Error, EOFError) as exc:
            raise DamagedAudioError(f"{label} file is not a readable WAV ({exc})") from None
        if present < declared:
            raise DamagedAudioError(f"{label} file is truncated: {present / rate:.1f} s of "
                                    f"{declared / rate:.1f} s")
        if duration_ms is not None and abs(1000 * present / rate - duration_ms) > LENGTH_TOLERANCE_MS:
            raise DamagedAudioError(f"{label} file is {present / rate:.1f} s long, "
                                    f"not the {duration_ms / 1000:.1f} s rendered")
    return data, digest


def verify_render(bulletin: dict, render: dict | None) -> None:
    """Check an item's audio against its renders row.

    :raise DamagedAudioError: the file is not whole.
    """
    render = render or {}
    path = bulletin.get("recording_path") or render.get("path")
    if not path:
        raise DamagedAudioError("speech file is missing")
    verified_bytes(Path(path), sha256=render.get("audio_sha256"),
                   duration_ms=None if bulletin.get("recording_path") else render.get("duration_ms"),
                   label="speech" if not bulletin.get("recording_path") else "recording")


@dataclass
class BuiltProgramme:
    key: str
    path: Path
    programme: ProgrammeFile
    items: list[LoggedItem]
    item_cues: list[tuple[int, int]]  # (start_ms, end_ms) of each item
    sha256: str
    #: what was left out, for the log row (reason codes, or sentences of the library's)
    notes: list[str | Reason] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.programme.duration_ms / 1000.0

    def items_played(self, seconds_played: float) -> list[LoggedItem]:
        """Item snapshots marked complete when the output consumed their last sample."""
        played_ms = seconds_played * 1000.0 + 1  # rounding of frame counts
        return [
            replace(item, completed=end <= played_ms)
            for item, (_, end) in zip(self.items, self.item_cues)
        ]


    def remainder(self, from_seconds: float, key: str) -> "BuiltProgramme":
        """The programme from *from_seconds* on (what an urgent interruption cut off).

        Items already completed are left out of the snapshot; the cut item is played again
        from the start, so listeners hear it whole.
        """
        played_ms = from_seconds * 1000.0
        cut = next((n for n, (s, e) in enumerate(self.item_cues) if e > played_ms), len(self.items))
        start_ms = self.item_cues[cut][0] if cut < len(self.items) else int(played_ms)
        from pydub import AudioSegment

        segment = AudioSegment.from_wav(self.path)[start_ms:]
        path = self.path.with_name(self.path.stem + "-resume.wav")
        write_wav(segment, path)
        programme = ProgrammeFile(path, len(segment), measured_lufs=self.programme.measured_lufs,
                                  true_peak_db=self.programme.true_peak_db)
        cues = [(s - start_ms, e - start_ms) for s, e in self.item_cues[cut:]]
        return BuiltProgramme(key, path, programme, self.items[cut:], cues, replay.file_sha256(path))


def _built_note(path: Path) -> Path:
    return path.with_name(f".{path.stem}.built.json")


def _note_built(path: Path, recipe: dict, programme: ProgrammeFile) -> str:
    """Note beside the programme what it was built from and what assembling measured, so that
    building it again from the same parts (a daemon killed before it aired, started again)
    takes the file as it is: assembling takes seconds, more under load, and they were the
    catch-up's delay. Notes whose programme is gone (pruned) go with this one's writing.

    :return: the programme's sha256.
    """
    sha256 = replay.file_sha256(path)
    note = {"recipe": recipe, "sha256": sha256, "duration_ms": programme.duration_ms,
            "cues": [asdict(c) for c in programme.cues], "measured_lufs": programme.measured_lufs,
            "true_peak_db": programme.true_peak_db}
    target = _built_note(path)
    try:
        for old in path.parent.glob(".*.built.json"):
            if not old.with_name(old.name[1:-len(".built.json")] + ".wav").exists():
                old.unlink(missing_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(note), encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:  # only a later rebuild is the slower for it
        log.warning("Cannot note how %s was built (%s)", path.name, exc.strerror or exc)
    return sha256


def _built_before(db: Database, path: Path, recipe: dict) -> tuple[ProgrammeFile, str] | None:
    """The programme at *path* and its sha256, when it was built from *recipe* and is still
    what was built: its bytes have the sha256 noted, and the proof log's recipe for that sha256
    names the same parts; None otherwise (it is assembled again)."""
    try:
        note = json.loads(_built_note(path).read_text(encoding="utf-8"))
        if not replay.same_programme(note["recipe"], recipe) or replay.file_sha256(path) != note["sha256"]:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    kept = replay.recorded(db, note["sha256"])
    if kept is None or not replay.same_programme(kept, recipe):
        return None
    log.info("Programme %s was built from these parts already: aired as it is", path.name)
    programme = ProgrammeFile(path, note["duration_ms"], [ProgrammeCue(**c) for c in note["cues"]],
                              note["measured_lufs"], note["true_peak_db"])
    return programme, note["sha256"]


def _ident_part(db: Database, home: Home, settings: dict, workdir: Path, notes: list,
                known: dict[Path, tuple[Path, str]], now: datetime) -> Part | None:
    """The ident as a verified copy, checked against the sha256 recorded when it was
    installed; a damaged or replaced one is rendered again once (and the row says so)."""
    for attempt in (1, 2):
        ident = render_ident(db, home, settings)
        if ident is None:
            return None
        try:
            data, digest = verified_bytes(ident.path, sha256=ident.audio_sha256,
                                          duration_ms=ident.duration_ms, label="ident")
        except DamagedAudioError as exc:
            log.warning("Station ident: %s; rendering it again", exc)
            if exc.replaced:
                approval.raise_alert(db, now, "ident", str(exc))
            discard_ident(db, ident.path)
            if attempt == 2:
                notes.append(reason("ident_left_out", why=message(str(exc))))
                return None
            notes.append(reason("ident_rendered_again", why=message(str(exc))))
            continue
        copy = workdir / "ident.wav"
        copy.write_bytes(data)
        known[copy] = (Path(ident.path), digest)
        return Part(copy, "ident", "ident")
    return None


def _jingle_part(db: Database, home: Home, kind: str, workdir: Path, notes: list,
                 known: dict[Path, tuple[Path, str]], now: datetime) -> Part | None:
    # the station's own upload, else the shipped chime; either against its recorded sha256
    source, sha256 = jingle_sha256(db, home, kind)
    try:
        data, digest = verified_bytes(source, sha256=sha256, label=f"{kind} jingle")
    except DamagedAudioError as exc:
        if exc.replaced:
            approval.raise_alert(db, now, f"jingle:{kind}", str(exc))
        notes.append(reason(f"{kind}_jingle_left_out", why=message(str(exc))))
        return None
    copy = workdir / f"{kind}.wav"
    copy.write_bytes(data)
    known[copy] = (Path(source), digest)
    return Part(copy, kind, kind)


def approved_item(db: Database, bulletin: dict, render: dict, *, now: datetime) -> str | None:
    """Whether *bulletin* may air under its approval; a mismatch raises an alert.

    :return: why not (one sentence), or None.
    """
    found = approval.problem(db, bulletin, render)
    if found and found != approval.NOT_BOUND:
        approval.raise_alert(db, now, f"bulletin:{bulletin['id']}", found)
    return found


def build(db: Database, home: Home, settings: dict, key: str, items: list[PlannedItem],
          *, notes: list[str | Reason] | None = None, now: datetime | None = None) -> BuiltProgramme:
    """Assemble the programme for occurrence *key* from rendered *items*.

    Every part is read once, proved whole (:func:`verified_bytes`) and assembled from
    that copy, so the audio hashes in the snapshot are those of the bytes that air.

    :param notes: what the decision left out, carried to the log row.
    :param now: when it is built (the time of an integrity alert).
    :raise DamagedAudioError: an item's file is not whole (the decision checks first).
    :raise audio.checks.SilentAudioError: a part is silent or truncated.
    :raise content.engines.base.EngineError: the ident could not be rendered.
    """
    notes = list(notes or [])
    now = now or datetime.now(UTC)
    home.programmes.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".parts-", dir=home.programmes))
    # the verified copies are assembled; the replay recipe names the files they came
    # from (same bytes, hashed once when verified), which outlive this folder until
    # housekeeping keeps them
    known: dict[Path, tuple[Path, str]] = {}
    try:
        parts: list[Part] = []
        if settings["use_jingles"] and (part := _jingle_part(db, home, "intro", workdir, notes, known, now)):
            parts.append(part)
        if part := _ident_part(db, home, settings, workdir, notes, known, now):
            parts.append(part)
        snapshots = []
        for position, planned in enumerate(items, start=1):
            bulletin = planned.bulletin
            render = get_render(db, bulletin["id"]) or {}
            # content, reading and audio against the approval, recomputed from the row as it stands
            if found := approved_item(db, bulletin, render, now=now):
                raise NotApprovedError(f"bulletin #{bulletin['id']}: {found}")
            path = Path(bulletin["recording_path"] or render["path"])
            data, digest = verified_bytes(
                path, sha256=approval.get(db, bulletin["id"])["audio_sha256"],
                duration_ms=None if bulletin["recording_path"] else render.get("duration_ms"),
                label=f"bulletin #{bulletin['id']} speech")
            copy = workdir / f"item-{position}{path.suffix}"
            copy.write_bytes(data)
            known[copy] = (path, digest)
            parts.append(Part(copy, "item", str(bulletin["id"])))
            snapshots.append(LoggedItem(
                position=position, bulletin_id=bulletin["id"], title=bulletin["title"],
                topic=bulletin["topic"], priority=bulletin["priority"],
                text_sha256=text_sha256(bulletin["title"], bulletin["text"]), audio_sha256=digest,
                engine=render.get("engine"), duration_ms=render.get("duration_ms"),
                approved_by=bulletin.get("approved_by"), approved_at=bulletin.get("approved_at"),
            ))
        if settings["use_jingles"] and (part := _jingle_part(db, home, "outro", workdir, notes, known, now)):
            parts.append(part)
        path = home.programme(key)
        recipe = replay.recipe_of(parts, gap_ms=settings["gap_ms"], target_lufs=settings["target_lufs"],
                                  max_true_peak_db=settings["max_true_peak_db"], known=known)
        if built := _built_before(db, path, recipe):
            programme, sha256 = built
        else:
            # in a helper process: levelling a programme needs scipy and a few hundred MB of
            # samples, which the daemon would otherwise keep all day
            programme = assemble_file(parts, path, gap_ms=settings["gap_ms"], target_lufs=settings["target_lufs"],
                                      max_true_peak_db=settings["max_true_peak_db"])
            sha256 = _note_built(path, recipe, programme)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    cues = [(c.start_ms, c.end_ms) for c in programme.cues if c.kind == "item"]
    replay.record(db, sha256, recipe, built_at=datetime.fromtimestamp(path.stat().st_mtime, UTC))
    return BuiltProgramme(key, path, programme, snapshots, cues, sha256, notes)

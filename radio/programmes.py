"""Assembling what a slot airs: intro jingle, station ident, bulletins, outro.

Built ahead of air from audio already rendered; the result is one 16-bit PCM
WAV in the data directory plus the snapshot of each item for the proof log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from sqlite_utils import Database

from audio.programme import Part, Programme, assemble, write_wav

from .bulletins import get_render
from .home import Home
from .jingles import station_jingle
from .prooflog import LoggedItem
from .rendering import render_ident
from .schedule import PlannedItem


@dataclass
class BuiltProgramme:
    key: str
    path: Path
    programme: Programme
    items: list[LoggedItem]
    item_cues: list[tuple[int, int]]  # (start_ms, end_ms) of each item
    sha256: str

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
        segment = self.programme.segment[start_ms:]
        path = self.path.with_name(self.path.stem + "-resume.wav")
        write_wav(segment, path)
        programme = Programme(segment=segment, cues=[], measured_lufs=self.programme.measured_lufs,
                              true_peak_db=self.programme.true_peak_db)
        cues = [(s - start_ms, e - start_ms) for s, e in self.item_cues[cut:]]
        return BuiltProgramme(key, path, programme, self.items[cut:], cues, _file_sha256(path))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(db: Database, home: Home, settings: dict, key: str, items: list[PlannedItem]) -> BuiltProgramme:
    """Assemble the programme for occurrence *key* from rendered *items*.

    :raise audio.checks.SilentAudioError: a part is silent or truncated.
    :raise content.engines.base.EngineError: the ident could not be rendered.
    """
    parts: list[Part] = []
    if settings["use_jingles"]:
        parts.append(Part(station_jingle(home, "intro"), "intro", "intro"))
    ident = render_ident(db, home, settings)
    if ident:
        parts.append(Part(ident.path, "ident", "ident"))
    snapshots = []
    for position, planned in enumerate(items, start=1):
        bulletin = planned.bulletin
        render = get_render(db, bulletin["id"]) or {}
        path = Path(bulletin["recording_path"] or render["path"])
        parts.append(Part(path, "item", str(bulletin["id"])))
        snapshots.append(LoggedItem(
            position=position, bulletin_id=bulletin["id"], title=bulletin["title"],
            topic=bulletin["topic"], priority=bulletin["priority"],
            text_sha256=bulletin["text_sha256"], audio_sha256=render.get("audio_sha256"),
            engine=render.get("engine"), duration_ms=render.get("duration_ms"),
        ))
    if settings["use_jingles"]:
        parts.append(Part(station_jingle(home, "outro"), "outro", "outro"))
    programme = assemble(parts, gap_ms=settings["gap_ms"], target_lufs=settings["target_lufs"],
                         max_true_peak_db=settings["max_true_peak_db"])
    safe_key = key.replace(":", "-").replace("@", "_")
    path = home.programmes / f"{safe_key}.wav"
    write_wav(programme, path)
    cues = [(c.start_ms, c.end_ms) for c in programme.cues if c.kind == "item"]
    return BuiltProgramme(key, path, programme, snapshots, cues, _file_sha256(path))

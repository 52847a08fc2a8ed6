"""Speech rendered ahead of air: approved bulletins become cached audio.

Nothing is synthesised at broadcast time. Rendering is claimed row by row
(``pending → rendering``) so the daemon, the admin and the CLI can all call
:func:`render_pending` without rendering the same bulletin twice.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError

from audio.checks import SilentAudioError, TruncatedAudioError, check_audible
from content.engines.base import one_line
from content.render import CHARS_PER_SECOND, Rendering, engines_for, render, render_text

from radio.bulletins import approval
from radio import settings as settings_mod
from radio.clock import from_utc_text, to_utc_text
from radio.store.home import Home
from radio.bulletins.spoken import station_lexicon
from radio.store.connection import write
from radio.store.connection import connect

log = logging.getLogger("radio.speech.rendering")


def render_speech(text: str, home: Home, settings: dict, db: Database | None = None,
                  engine: str | None = None) -> Rendering:
    """Normalise and render *text* with the station's engine settings (cached)."""
    lexicon = station_lexicon(db) if db is not None else None
    return render_text(text, home.speech_cache, engines_for(engine or settings["engine"], settings),
                       lexicon=lexicon)


#: a render shorter than this share of the expected speaking time is cut off
MIN_LENGTH_SHARE = 0.3


def check_rendering(rendering: Rendering) -> None:
    """Catch a silent or truncated render before it can reach the air.

    :raise audio.checks.SilentAudioError: silent audio.
    :raise audio.checks.TruncatedAudioError: far shorter than the text needs.
    """
    segment = AudioSegment.from_file(rendering.path)
    check_audible(segment, label=f"{rendering.engine} rendering")
    expected_ms = len(rendering.spoken_text) / CHARS_PER_SECOND * 1000
    if len(segment) < MIN_LENGTH_SHARE * expected_ms:
        raise TruncatedAudioError(
            f"{rendering.engine} rendering is {len(segment) / 1000:.1f} s for text that needs about "
            f"{expected_ms / 1000:.0f} s: it was cut off")


def _checked_render(spoken: str, home: Home, settings: dict) -> Rendering:
    """Render an approved spoken form, and fall back to espeak-ng when the preferred engine
    gave silent or cut-off audio. The text is not normalised again: it is what was approved."""
    rendering = render(spoken, home.speech_cache, engines_for(settings["engine"], settings))
    try:
        check_rendering(rendering)
        return rendering
    except (SilentAudioError, TruncatedAudioError) as exc:
        if rendering.engine == "espeak":
            raise
        log.warning("%s; falling back to espeak-ng", exc)
    rendering = render(spoken, home.speech_cache, engines_for("espeak", settings))
    check_rendering(rendering)
    return rendering


def one_sentence(exc: BaseException) -> str:
    """An exception as one short sentence: never ffmpeg's or pydub's banner.

    pydub's ``CouldntDecodeError`` carries ffmpeg's whole stderr (version, build
    flags, stream list); only the fact is kept.
    """
    if isinstance(exc, CouldntDecodeError):
        return "the audio file could not be decoded (damaged or empty)"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return one_line(first, limit=200)


#: how long a render may stay in hand before others may take it over (gTTS timeouts and
#: the espeak-ng fallback of a 20,000-character bulletin fit well inside)
RENDER_LEASE_S = 300.0


def lease_owner() -> str:
    """Who holds a render: host and process id, so a dead owner is recognised at once."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_dead(owner: str | None) -> bool:
    """True when *owner* is a process of this host that no longer runs."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_stale(row: dict, now: datetime) -> bool:
    """A ``rendering`` row whose owner died or whose lease ran out (reclaimable)."""
    if row.get("state") != "rendering":
        return False
    until = row.get("lease_until")
    return until is None or from_utc_text(until) <= now or _owner_dead(row.get("lease_owner"))


def _claim(db: Database, bulletin_id: int, now: datetime, states: tuple[str, ...]) -> bool:
    """Take the render of *bulletin_id* if it is in *states* or held by a dead/expired lease."""
    with write(db):
        row = db.execute("SELECT state, lease_owner, lease_until FROM renders WHERE bulletin_id = ?",
                         [bulletin_id]).fetchone()
        if row is None:
            return False
        current = dict(zip(("state", "lease_owner", "lease_until"), row))
        if current["state"] not in states and not is_stale(current, now):
            return False
        if current["state"] == "rendering":
            log.warning("Reclaiming the render of bulletin %s left by %s", bulletin_id,
                        current["lease_owner"] or "an older version")
        db.execute(
            "UPDATE renders SET state = 'rendering', updated_at = ?, lease_owner = ?, lease_until = ? "
            "WHERE bulletin_id = ?",
            [to_utc_text(now), lease_owner(), to_utc_text(now + timedelta(seconds=RENDER_LEASE_S)),
             bulletin_id])
        return True


def render_bulletin(db: Database, home: Home, settings: dict, bulletin_id: int, now: datetime,
                    *, states: tuple[str, ...] = ("pending", "failed")) -> dict | None:
    """Render one approved bulletin if it is waiting; return its renders row."""
    if not _claim(db, bulletin_id, now, states):
        return None
    bulletin = db["bulletins"].get(bulletin_id)
    bound = approval.get(db, bulletin_id)
    try:
        if bound is None or (bound["spoken_text"] is None and not bulletin.get("recording_path")):
            raise RuntimeError("it has no approval record: withdraw it and add it again")
        if bulletin.get("recording_path"):
            fields = _recording_fields(Path(bulletin["recording_path"]))
            if fields["audio_sha256"] != bound["audio_sha256"]:
                raise RuntimeError("the recording is not the one that was approved: replace it "
                                   "and approve it again")
        else:
            # the approved spoken form, never the text normalised anew: a lexicon change
            # made since the approval cannot change what airs under it (radio.bulletins.approval)
            rendering = _checked_render(bound["spoken_text"], home, settings)
            was_bound = bound["audio_sha256"] is not None
            path = approval.install_audio(db, home, bulletin_id, rendering.path, rendering.audio_sha256,
                                          spoken=bound["spoken_text"], now=now,
                                          why="heal" if was_bound else "render")
            fields = dict(
                state="done", engine=rendering.engine, voice=rendering.voice,
                cache_key=rendering.cache_key, path=str(path),
                audio_sha256=rendering.audio_sha256, duration_ms=rendering.duration_ms,
                spoken_text=rendering.spoken_text, error=None,
            )
    except Exception as exc:  # any engine failure is recorded and retried later
        log.warning("Rendering bulletin %s failed: %s", bulletin_id, exc)
        fields = dict(state="failed", error=one_sentence(exc))
    fields.update(updated_at=to_utc_text(now), lease_owner=None, lease_until=None)
    with write(db):
        db["renders"].update(bulletin_id, fields)
    return db["renders"].get(bulletin_id)


def _recording_fields(path: Path) -> dict:
    segment = AudioSegment.from_file(path)
    return dict(state="done", engine="recording", voice=None, cache_key=None, path=str(path),
                audio_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                duration_ms=len(segment), spoken_text=None, error=None)


def ensure_rendered(db: Database, home: Home, settings: dict, bulletin_id: int, clock,
                    *, timeout_s: float = 120.0) -> dict:
    """Make sure an approved bulletin has audio now (an urgent broadcast cannot wait for
    the next render pass); waits for a render another process has in hand.

    :raise RuntimeError: rendering failed or did not finish within *timeout_s*.
    """
    deadline = clock.monotonic() + timeout_s
    while True:
        row = render_bulletin(db, home, settings, bulletin_id, clock.now()) or db["renders"].get(bulletin_id)
        if row["state"] == "done":
            return row
        if row["state"] == "failed":
            raise RuntimeError(f"speech for bulletin {bulletin_id} could not be rendered: {row['error']}")
        if clock.monotonic() > deadline:
            raise RuntimeError(f"speech for bulletin {bulletin_id} was still rendering after {timeout_s:.0f} s")
        clock.sleep(0.2)  # rendering elsewhere (admin thread, render pass): wait for it


def render_pending(db: Database, home: Home, settings: dict, now: datetime) -> list[dict]:
    """Render every approved bulletin still waiting for speech."""
    ids = [r["bulletin_id"] for r in db.query(
        "SELECT r.* FROM renders r JOIN bulletins b ON b.id = r.bulletin_id "
        "WHERE r.state IN ('pending', 'failed', 'rendering') AND b.status = 'approved' "
        "ORDER BY r.bulletin_id") if r["state"] != "rendering" or is_stale(r, now)]
    return [row for row in (render_bulletin(db, home, settings, i, now) for i in ids) if row]


def upgrade_fallbacks(db: Database, home: Home, settings: dict, now: datetime) -> list[dict]:
    """Re-render with gTTS the items the espeak-ng fallback rendered, once gTTS answers.

    Runs ahead of air; an item keeps its espeak audio if gTTS still fails.
    """
    if settings["engine"] != "auto":
        return []
    upgraded = []
    gtts_engine = engines_for("gtts", settings)[0]
    rows = db.execute(
        "SELECT r.bulletin_id, r.spoken_text FROM renders r JOIN bulletins b ON b.id = r.bulletin_id "
        "WHERE r.state = 'done' AND r.engine = 'espeak' AND b.status = 'approved'"
    ).fetchall()
    for bulletin_id, spoken in rows:
        try:
            rendering = render(spoken, home.speech_cache, [gtts_engine])
        except Exception as exc:
            log.info("gTTS still unavailable, keeping espeak-ng audio: %s", exc)
            break
        bound = approval.get(db, bulletin_id)
        if bound is None or bound["spoken_text"] != spoken:
            continue  # not the approved reading: nothing to upgrade under this approval
        try:
            path = approval.install_audio(db, home, bulletin_id, rendering.path, rendering.audio_sha256,
                                          spoken=spoken, now=now, why="upgrade")
        except RuntimeError as exc:  # approved anew meanwhile: the new reading renders instead
            log.info("Not upgrading bulletin %s: %s", bulletin_id, exc)
            continue
        with write(db):
            db["renders"].update(bulletin_id, dict(
                engine=rendering.engine, voice=rendering.voice, cache_key=rendering.cache_key,
                path=str(path), audio_sha256=rendering.audio_sha256,
                duration_ms=rendering.duration_ms, updated_at=to_utc_text(now)))
        upgraded.append(db["renders"].get(bulletin_id))
    return upgraded


def render_in_background(home: Home, bulletin_id: int, clock) -> threading.Thread:
    """Start rendering one approved bulletin on a thread with its own connection.

    For callers that must answer at once (the admin). The row claim keeps the
    daemon from rendering the same bulletin at the same time.
    """

    def work() -> None:
        db = connect(home.database)
        try:
            render_bulletin(db, home, settings_mod.load(home, db), bulletin_id, clock.now())
        except Exception:  # logged: the daemon retries failed renders
            log.exception("Background rendering of bulletin %s failed", bulletin_id)
        finally:
            db.conn.close()

    thread = threading.Thread(target=work, name=f"render-{bulletin_id}", daemon=True)
    thread.start()
    return thread

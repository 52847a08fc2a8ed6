"""With an injected clock: every failure on the air path is retried within grace and ends in
one row that names the stage and the cause; rows say what listeners heard."""

import errno
import logging
import os
import threading
from datetime import datetime, timedelta

import pytest
from pydub.generators import Sine

from audio.outputs.base import BaseOutput, Progress
from audio.outputs.file import FileOutput
from audio.programme import Programme, write_wav
from radio.proof import log as prooflog
from radio import settings as settings_mod
from radio.store import connection as store
from radio.clock import ManualClock
from radio.programme.assembly import BuiltProgramme
from radio.schedule.slots import add_slot, list_slots, occurrences_between
from radio.station import Reconciler, Station
from radio.station import airing
from radio.station.progress import ProgressRecorder
from radio.station.timing import LOG_RETRY_S
from radio.store.connection import connect
from tests.support.disks import can_mount, mounted_tmpfs
from tests.support.actors import ADMIN, OFFICER

KEY = "slot1@2026-11-23T08:00:00"


class HookedClock(ManualClock):
    """A manual clock that runs *on_wait(n)* at the n-th wait of a second or more
    (a retry or a log retry, not the last fractions before an instant)."""

    def __init__(self, start, on_wait=lambda n: None):
        super().__init__(start)
        self.waits, self.on_wait = 0, on_wait

    def wait(self, event, seconds):
        if seconds >= 1:
            self.waits += 1
            self.on_wait(self.waits)
        return super().wait(event, seconds)


@pytest.fixture
def hooked_clock(clock):
    return HookedClock(clock.now())


def built_programme(home, seconds=2.0) -> BuiltProgramme:
    segment = Sine(440, sample_rate=44100).to_audio_segment(duration=int(seconds * 1000), volume=-12)
    path = home.programmes / "p.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(segment, path)
    items = [prooflog.LoggedItem(1, 5, "Tin một"), prooflog.LoggedItem(2, 6, "Tin hai")]
    half = int(seconds * 500)
    return BuiltProgramme(KEY, path, Programme(segment=segment), items,
                          [(0, half), (half, int(seconds * 1000))], "ab" * 32)


def paced_file_output(directory, clock, *, freeze_at_s=None, freeze_s=0.0):
    """A real FileOutput paced by the manual clock; optionally the process "freezes" once."""
    start = clock.monotonic()
    frozen = []

    def mono():
        if freeze_at_s is not None and not frozen and clock.monotonic() - start >= freeze_at_s:
            frozen.append(True)
            clock.advance(freeze_s)
        return clock.monotonic()

    return FileOutput(directory, clock=mono, sleep=clock.sleep)


def make_station(home, clock, **settings):
    db = connect(home.database)
    for name, value in {"output_retry_s": 30, "grace_minutes": 10, **settings}.items():
        settings_mod.save(db, name, str(value), actor=ADMIN, now=clock.now())
    db.conn.close()
    return Station(home, output=f"file:{home.outputs}", clock=clock)


def rows(home):
    db = connect(home.database)
    try:
        return list(db["occurrences"].rows_where(order_by="id"))
    finally:
        db.conn.close()


def claims(home):
    return connect(home.database)["claims"].count


def play(station, home, output):
    station.player.play(KEY, "slot", 1, station.clock.now(), built_programme(home), station.settings, output)


@pytest.fixture
def short_busy(monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.05)


def lock_database(home):
    locker = connect(home.database)
    locker.conn.execute("BEGIN IMMEDIATE")
    return locker


# -- the database locked by another writer across the slot ---------------------------

def test_locked_database_is_retried_and_airs_within_grace(home, hooked_clock, short_busy):
    station = make_station(home, hooked_clock)
    locker = lock_database(home)
    hooked_clock.on_wait = lambda n: n == 3 and locker.conn.execute("ROLLBACK")  # 90 s later
    play(station, home, paced_file_output(home.outputs, hooked_clock))
    (row,) = rows(home)
    assert row["status"] == "aired" and row["seconds_played"] == pytest.approx(2.0)
    assert row["reason"] == ("started 90 s late; after 3 failed tries, the first at 08:00:00: "
                             "could not claim the slot "
                             "in the log: the database was locked by another program for too long")
    assert claims(home) == 0


def test_database_locked_through_grace_ends_in_one_failed_row(home, hooked_clock, short_busy):
    station = make_station(home, hooked_clock)
    locker = lock_database(home)
    # tries at 08:00:00, 08:00:30 ... 08:10:00 (21), then the row itself waits for the lock
    hooked_clock.on_wait = lambda n: n == 22 and locker.conn.execute("ROLLBACK")
    play(station, home, paced_file_output(home.outputs, hooked_clock))
    (row,) = rows(home)
    assert row["status"] == "failed"
    assert row["reason"] == ("could not claim the slot in the log: the database was locked by another "
                             "program for too long (after 21 tries from 08:00:00 to 08:10:00)")
    assert claims(home) == 0 and list(home.outputs.glob("*.wav")) == []


def test_any_exception_while_preparing_is_retried(home, db, hooked_clock, short_busy):
    """The air job's own writes (here the cancelled row) meet a locked database."""
    add_slot(db, actor=OFFICER, at="08:00:30", days="daily", now=hooked_clock.now())
    (occ,) = occurrences_between(list_slots(db), hooked_clock.now(),
                                 hooked_clock.now() + timedelta(minutes=1))
    hooked_clock.advance(30)
    station = make_station(home, hooked_clock)
    locker = lock_database(home)
    hooked_clock.on_wait = lambda n: n == 2 and locker.conn.execute("ROLLBACK")
    station.airer.air(occ)
    (row,) = rows(home)
    assert row["status"] == "cancelled" and row["key"] == occ.key
    assert station.player.tries == {}


def _locked_final_row(home, db, clock, caplog, monkeypatch, *, late_s, lock_once_decided=False):
    """Air an empty slot *late_s* after its instant while another program holds the
    database (from the start, or from the moment the decision is made, just before the
    row is written); it lets go at the first log retry.

    :return: the rows, the "Cannot write the log row" warnings and the seconds it took
    """
    add_slot(db, actor=OFFICER, at="08:00:30", days="daily", now=clock.now())
    (occ,) = occurrences_between(list_slots(db), clock.now(), clock.now() + timedelta(minutes=1))
    clock.advance(30 + late_s)
    station = make_station(home, clock)
    lockers = []
    if lock_once_decided:
        real_decide = airing.decide

        def decide_then_lock(*args, **kwargs):
            decision = real_decide(*args, **kwargs)
            lockers.append(lock_database(home))
            return decision

        monkeypatch.setattr(airing, "decide", decide_then_lock)
    else:
        lockers.append(lock_database(home))
    clock.on_wait = lambda n: n == 1 and lockers[0].conn.execute("ROLLBACK")
    before = clock.now()
    with caplog.at_level(logging.WARNING, logger="radio.station"):
        station.airer.air(occ)
    retries = [r for r in caplog.records
               if r.getMessage().startswith(f"Cannot write the log row of {occ.key}")]
    assert station.player.tries == {}
    return rows(home), retries, (clock.now() - before).total_seconds()


def test_missed_row_meeting_a_locked_database_is_retried_and_lands_once(
        home, db, hooked_clock, short_busy, caplog, monkeypatch):
    """The job fired beyond grace (a suspend): its missed row goes the way of every final
    row, tried again every LOG_RETRY_S, not turned into a failed row by the air retries."""
    (row,), retries, waited = _locked_final_row(home, db, hooked_clock, caplog, monkeypatch,
                                                late_s=15 * 60)
    assert row["status"] == "missed" and row["reason"].startswith("station was suspended")
    assert len(retries) == 1 and waited == pytest.approx(LOG_RETRY_S)
    assert claims(home) == 0


def test_cancelled_row_meeting_a_locked_database_is_retried_and_lands_once(
        home, db, hooked_clock, short_busy, caplog, monkeypatch):
    (row,), retries, waited = _locked_final_row(home, db, hooked_clock, caplog, monkeypatch,
                                                late_s=0, lock_once_decided=True)
    assert row["status"] == "cancelled" and row["reason"]
    assert len(retries) == 1 and waited == pytest.approx(LOG_RETRY_S)


# -- disk full, read-only output ----------------------------------------------------

class FullDiskOutput(BaseOutput):
    """The outermost edge: a disk that refuses every write (what ENOSPC looks like)."""

    name = "file:/srv/aired"

    def play(self, wav_path, stop, on_start=None, progress=None):
        raise OSError(errno.ENOSPC, "No space left on device", "/srv/aired/x.wav")


def test_disk_full_ends_in_one_failed_row_with_the_cause_in_a_sentence(home, hooked_clock):
    station = make_station(home, hooked_clock)
    play(station, home, FullDiskOutput())
    (row,) = rows(home)
    assert row["status"] == "failed"
    assert row["reason"] == ("could not write the programme: the disk is full "
                             "(after 21 tries from 08:00:00 to 08:10:00)")
    assert "Errno" not in row["reason"] and claims(home) == 0


@pytest.mark.skipif(not can_mount(), reason="a read-only mount needs root")
def test_read_only_output_directory_is_retried_then_one_failed_row(home, hooked_clock, tmp_path):
    station = make_station(home, hooked_clock, grace_minutes=2)
    with mounted_tmpfs(tmp_path / "ro", size="1m", read_only=True) as ro:
        play(station, home, paced_file_output(ro, hooked_clock))
    (row,) = rows(home)
    assert row["status"] == "failed"
    assert row["reason"].startswith("could not write the programme: the output folder is on a read-only disk")
    assert row["reason"].endswith("(after 5 tries from 08:00:00 to 08:02:00)")


def test_output_that_comes_back_within_grace_airs(home, hooked_clock, tmp_path):
    station = make_station(home, hooked_clock)
    blocker = tmp_path / "aired"
    blocker.write_text("a file where the folder should be")
    hooked_clock.on_wait = lambda n: n == 2 and blocker.unlink()
    play(station, home, paced_file_output(blocker, hooked_clock))
    (row,) = rows(home)
    assert row["status"] == "aired"
    assert "after 2 failed tries, the first at 08:00:00: could not write the programme" in row["reason"]


# -- rows say what listeners heard ----------------------------------------------------

def test_freeze_mid_programme_is_partial_with_the_dead_air_named(home, clock):
    station = make_station(home, clock)
    play(station, home, paced_file_output(home.outputs, clock, freeze_at_s=1.0, freeze_s=20.0))
    (row,) = rows(home)
    assert row["status"] == "partial"
    assert row["reason"] == "dead air of 20 s at 08:00:01"
    assert row["seconds_played"] == pytest.approx(2.0)
    # the second after the freeze was played at its pace, not in a burst
    ended = datetime.fromisoformat(row["ended_at"]) - datetime.fromisoformat(row["started_at"])
    assert ended.total_seconds() == pytest.approx(22.0, abs=0.1)


class BreakingOutput(BaseOutput):
    """A real paced FileOutput whose player ran dry twice, as pacat reports an underrun."""

    def __init__(self, inner):
        self.inner, self.name = inner, inner.name

    def play(self, wav_path, stop, on_start=None, progress=None):
        progress.broke()
        progress.broke()
        return self.inner.play(wav_path, stop, on_start=on_start, progress=progress)


def test_breaks_in_the_sound_are_named_in_an_aired_row(home, clock):
    station = make_station(home, clock)
    play(station, home, BreakingOutput(paced_file_output(home.outputs, clock)))
    (row,) = rows(home)
    # all of it was heard, with two short silences: aired, and the row says so
    assert row["status"] == "aired"
    assert row["reason"] == "the sound broke up 2 times for a moment (the output ran dry)"


def on_air(home, db, clock, output: str) -> None:
    """A 3 s programme claimed and started on *output*, as a daemon leaves it when killed."""
    built = built_programme(home, seconds=3.0)
    prooflog.claim(db, key=KEY, slot_id=1, scheduled_at=clock.now(), now=clock.now(), output=output,
                   items=built.items, programme_seconds=built.seconds, programme_sha256=built.sha256,
                   item_ends_ms=[end for _, end in built.item_cues])
    prooflog.mark_started(db, KEY, clock.now())


def test_crash_mid_programme_row_says_how_much_was_heard(home, db, clock):
    on_air(home, db, clock, "file:/x")
    clock.advance(2.0)
    prooflog.progress(db, KEY, seconds_played=1.9, at=clock.now())
    clock.advance(60)  # kill -9; the daemon starts again a minute later
    make_station(home, clock).reconciler.close_stale_claims()
    (row,) = rows(home)
    assert row["status"] == "partial"
    assert row["seconds_played"] == pytest.approx(1.9) and row["programme_seconds"] == pytest.approx(3.0)
    assert row["ended_at"] == "2026-11-23T01:00:02.000+00:00"
    assert row["reason"] == ("station process died while on air (1.9 s of 3.0 s heard, "
                             "last sign of life at 08:00:02)")
    items = list(db["occurrence_items"].rows_where(order_by="position"))
    assert [i["completed"] for i in items] == [1, 0]


def test_crash_after_breaks_in_the_sound_names_them_in_the_row(home, db, clock):
    # pacat ran dry twice, then the daemon was killed: the row it leaves says both
    on_air(home, db, clock, "pulse:x")
    progress = Progress(now=clock.now)
    progress.played(int(1.5 * 16000), 16000)
    progress.broke()
    progress.broke()
    clock.advance(1.5)
    ProgressRecorder(home.database, KEY, progress, clock).record(db)
    clock.advance(60)
    make_station(home, clock).reconciler.close_stale_claims()
    (row,) = rows(home)
    assert row["status"] == "partial" and row["seconds_played"] == pytest.approx(1.5)
    assert row["reason"] == ("station process died while on air (1.5 s of 3.0 s heard, "
                             "last sign of life at 08:00:01); "
                             "the sound broke up 2 times for a moment (the output ran dry)")


def test_progress_is_recorded_on_the_claim_while_on_air(home, clock):
    station = make_station(home, clock)
    seen = []
    output = paced_file_output(home.outputs, clock)
    real_sleep = output._sleep

    def sleep(seconds):  # slow the fake programme down to real time for the recorder thread
        threading.Event().wait(seconds)
        real_sleep(seconds)
        row = connect(home.database)["claims"].rows_where("key = ?", [KEY])
        seen.extend(r["seconds_played"] for r in row if r["seconds_played"])

    output._sleep = sleep
    play(station, home, output)
    assert seen and 0.5 <= max(seen) <= 2.0


# -- the running daemon finishes what a dead job left -------------------------------

def test_claim_of_a_dead_job_is_closed_by_the_running_daemon(home, db, clock):
    station = make_station(home, clock)
    prooflog.claim(db, key=KEY, slot_id=1, scheduled_at=clock.now(), now=clock.now(),
                   output="file:/x", items=[], programme_seconds=3.0, item_ends_ms=[])
    prooflog.mark_started(db, KEY, clock.now())
    prooflog.progress(db, KEY, seconds_played=1.2, at=clock.now())
    # the claim is this process's and no job of the player holds it: its job died
    station.reconciler.close_orphan_claims()
    (row,) = rows(home)
    assert row["status"] == "partial" and row["seconds_played"] == pytest.approx(1.2)
    assert row["reason"].startswith("its air job died while on air (1.2 s of 3.0 s heard")


def test_unstarted_claim_of_a_dead_job_is_aired_again_within_grace(home, db, clock):
    station = make_station(home, clock)
    prooflog.claim(db, key=KEY, slot_id=1, scheduled_at=clock.now(), now=clock.now(),
                   output="file:/x", items=[])
    station.reconciler.close_orphan_claims()
    assert rows(home) == [] and db["claims"].count == 0
    station.jobs.hand_over()  # decided under the lock, handed over after it
    assert station.scheduler.get_job(KEY) is not None


def test_claims_of_living_jobs_and_other_processes_are_left_alone(home, db, clock):
    station = make_station(home, clock)
    prooflog.claim(db, key=KEY, slot_id=1, scheduled_at=clock.now(), now=clock.now(), output="o", items=[])
    db.execute("INSERT INTO claims (key, scheduled_at, claimed_at, pid) VALUES ('x', 'a', 'b', ?)",
               [os.getpid() + 1])
    living = Reconciler(station.db, clock, station.current_settings, station.jobs, station.owe,
                        job_alive=lambda key: key == KEY)  # the player's job of KEY is on air
    living.close_orphan_claims()
    assert rows(home) == [] and db["claims"].count == 2


# -- heartbeats the database refused are not a gap -----------------------------------

def test_refused_heartbeats_are_not_reported_as_a_suspend(home, clock, short_busy, caplog):
    station = make_station(home, clock)
    station.tick()  # the settings as they are now
    locker = lock_database(home)
    caplog.set_level(logging.INFO, logger="radio.station")
    station.tick()
    for _ in range(15):  # 15 s of refused heartbeats
        clock.advance(1)
        station.tick()
    locker.conn.execute("ROLLBACK")
    clock.advance(1)
    station.tick()
    messages = [r.getMessage() for r in caplog.records]
    assert not any("Gap" in m for m in messages), messages
    assert sum("Cannot write the heartbeat" in m for m in messages) == 1
    assert any("takes writes again" in m for m in messages)


def test_a_tick_kept_waiting_by_an_air_jobs_busy_write_is_not_a_suspend(home, clock, caplog):
    station = make_station(home, clock)
    station.tick()
    caplog.set_level(logging.INFO, logger="radio.station")
    clock.advance(1)
    with station.db_lock:  # an air job waits 30 s on a locked database, holding the lock
        tick = threading.Thread(target=station.tick)
        tick.start()
        tick.join(0.2)
        clock.advance(30)
    tick.join(5)
    clock.advance(1)
    station.tick()
    assert not any("Gap" in r.getMessage() for r in caplog.records)


# -- slow set-up is done when an output opens, not at its first airing -------------

class PreparingOutput(BaseOutput):
    """Records when its slow set-up (PortAudio's device scan, for a sound card) ran."""

    def __init__(self, spec):
        self.name = spec
        self.prepared = threading.Event()

    def prepare(self):
        self.prepared.set()

    def play(self, wav_path, stop, on_start=None, progress=None):
        raise AssertionError("nothing airs in this test")


def test_each_output_is_prepared_when_the_station_opens_it(home, clock):
    # The device output once loaded PortAudio at its first play, and its scan of the sound devices (0.5-4 s) made the first airing after a start late.
    opened = []

    def open_output(spec):
        opened.append(PreparingOutput(spec))
        return opened[-1]

    station = Station(home, output="device", clock=clock, output_factory=open_output)
    station.start()
    try:
        assert opened[0].prepared.wait(5)
        zone = station.outputs.for_spec("device:USB Audio")  # a slot's own output, when decided
        assert zone.prepared.wait(5) and zone is station.outputs.for_spec("device:USB Audio")
    finally:
        station.shutdown()
        station.stop()
    assert [o.name for o in opened] == ["device", "device:USB Audio"]


def test_a_sound_card_output_loads_portaudio_when_prepared(monkeypatch):
    from audio.outputs import device

    loaded = []
    monkeypatch.setattr(device, "_sounddevice", lambda: loaded.append(True))
    output = device.DeviceOutput()
    assert loaded == []  # building it (for `radio output add`, say) stays cheap
    output.prepare()
    assert loaded == [True]


def test_preparing_without_portaudio_leaves_the_error_to_the_airing(monkeypatch):
    from audio.outputs import device
    from audio.outputs.base import OutputError

    def missing():
        raise OutputError("PortAudio is missing: install the Debian package libportaudio2.")

    monkeypatch.setattr(device, "_sounddevice", missing)
    device.DeviceOutput().prepare()  # no exception: the airing logs it as a failed row


# -- a recording deleted mid-play is never logged "aired" ------------------------------

def test_output_folder_deleted_mid_play_is_not_logged_aired(home, clock):
    import shutil

    from audio.outputs.file import RECORDING_MISSING
    from radio.wording.messages import vi_reason

    station = make_station(home, clock, output_retry_s=60, grace_minutes=3)
    chunks, deleted = [], []

    def sleep(seconds):
        clock.sleep(seconds)
        if home.outputs.exists():
            chunks.append(seconds)
        if len(chunks) == 20:  # someone deletes the folder 1 s into every try
            chunks.clear()
            deleted.append(True)
            shutil.rmtree(home.outputs)

    play(station, home, FileOutput(home.outputs, clock=clock.monotonic, sleep=sleep))
    (row,) = rows(home)
    assert len(deleted) >= 2  # every try within grace met the same
    assert row["status"] == "failed", row
    assert row["reason"].startswith(f"could not write the programme: {RECORDING_MISSING} ("), row
    assert vi_reason(row["reason"]).startswith(
        "không ghi được chương trình ra tệp: tệp ghi bị xóa trong lúc phát"), vi_reason(row["reason"])
    assert claims(home) == 0


def test_output_folder_deleted_once_mid_play_airs_on_the_retry(home, clock):
    import shutil

    station = make_station(home, clock, output_retry_s=30, grace_minutes=10)
    start = clock.monotonic()

    def sleep(seconds):
        clock.sleep(seconds)
        if clock.monotonic() - start >= 1.0 and not getattr(sleep, "done", False):
            sleep.done = True
            shutil.rmtree(home.outputs)

    output = FileOutput(home.outputs, clock=clock.monotonic, sleep=sleep)
    play(station, home, output)
    (row,) = rows(home)
    assert row["status"] == "aired" and "the recording was deleted during the play" in row["reason"]
    assert output.last_path.exists()  # the retry's recording is there


# -- a crash after everything was output ---------------------------------------------

def test_crash_after_the_whole_programme_was_output_is_logged_aired(home, db, clock):
    # killed in the last second: the output had taken every sample, the row was not written
    # yet, and the claim's progress (recorded about every second) said 2.0 s of 2.2 s
    station = make_station(home, clock)
    station.writer.append = lambda entry: None  # kill -9 before the row is written
    station.player.play(KEY, "slot", 1, clock.now(), built_programme(home, seconds=2.2), station.settings,
                  paced_file_output(home.outputs, clock))
    assert rows(home) == [] and claims(home) == 1
    clock.advance(60)  # the daemon starts again a minute later
    make_station(home, clock).reconciler.close_stale_claims()
    (row,) = rows(home)
    assert row["status"] == "aired", row
    assert row["seconds_played"] == pytest.approx(2.2)
    assert row["reason"].startswith("station process died after the whole programme was output "
                                    "(2.2 s of 2.2 s heard"), row
    items = list(db["occurrence_items"].rows_where(order_by="position"))
    assert [i["completed"] for i in items] == [1, 1]


def test_crash_a_moment_before_the_end_is_still_partial(home, db, clock):
    on_air(home, db, clock, "file:/x")
    prooflog.progress(db, KEY, seconds_played=2.9, at=clock.now())
    make_station(home, clock).reconciler.close_stale_claims()
    (row,) = rows(home)
    assert row["status"] == "partial" and "died while on air (2.9 s of 3.0 s heard" in row["reason"]

"""What airs is checked against what was approved or installed.

2. A bulletin edited in SQLite after approval (the freeze trigger dropped, the text
   changed and even ``text_sha256`` recomputed) aired its old audio with no warning,
   and its row recorded the hash of text that never aired.
3. The station ident swapped for a valid WAV of the same length (a 440 Hz tone) aired
   unnoticed: the ident was checked only by its length.

Each is run through the air job (an injected clock, the real file output): the item
or part does not air, the proof row says why, and an integrity alert is raised.
"""

import hashlib
import json
from datetime import timedelta

import pytest
from pydub.generators import Sine

from audio.outputs.file import FileOutput
from audio.programme import write_wav
from radio.bulletins import approval
from radio import settings as settings_mod
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin, text_sha256
from radio.clock import STATION_TZ
from radio.station.health import station_health
from radio.programme.jingles import set_jingle
from radio.wording.messages import vi_reason
from radio.programme.assembly import NotApprovedError, build
from radio.programme.parts import render_ident
from radio.store.migrations import bind_approvals_made_before_m290
from radio.speech.rendering import render_bulletin
from radio.schedule.plan import LEFT_OUT_PREFIX, PlannedItem
from radio.schedule.slots import add_slot, list_slots, occurrences_between
from radio.station import Station
from radio.store.connection import write
from tests.support.actors import ADMIN, LEADER, OFFICER

FORGED_TEXT = "UBND xã thông báo: giải tán, không cần họp."


def configure(db, clock, **settings):
    values = {"engine": "espeak", "use_jingles": "false", "gap_ms": "200", "grace_minutes": "10",
              **settings}
    for name, value in values.items():
        settings_mod.save(db, name, str(value), actor=ADMIN, now=clock.now())


def approved(db, home, clock, title, text):
    new_id = add_bulletin(db, title=title, text=text, now=clock.now(), actor=OFFICER)
    approve_bulletin(db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    assert render_bulletin(db, home, settings_mod.load(home, db), new_id, clock.now())["state"] == "done"
    return new_id


def air_one_slot(home, db, clock):
    """Air a one-off slot a minute ahead through the air job; return its proof row and items."""
    when = clock.now() + timedelta(seconds=60)
    local = when.astimezone(STATION_TZ)
    add_slot(db, actor=OFFICER, at=local.strftime("%H:%M:%S"), on_date=local.date().isoformat(),
             now=clock.now())
    (occ,) = occurrences_between(list_slots(db), when - timedelta(seconds=1), when)
    station = Station(home, output=f"file:{home.outputs}", clock=clock)
    station._output = FileOutput(home.outputs, clock=clock.monotonic, sleep=clock.sleep)
    try:
        station._air(occ)
    finally:
        station.db.conn.close()
    (row,) = db["occurrences"].rows_where("key = ?", [occ.key])
    items = list(db["occurrence_items"].rows_where("occurrence_id = ?", [row["id"]], order_by="position"))
    return row, items


def forge(db, bulletin_id, text, *, also_approval=False):
    """What a tool or a forger with the database does: no trigger stops them."""
    db.execute("DROP TRIGGER bulletins_frozen")
    title = db["bulletins"].get(bulletin_id)["title"]
    with write(db):
        db.execute("UPDATE bulletins SET text = ?, text_sha256 = ? WHERE id = ?",
                   [text, text_sha256(title, text), bulletin_id])
        if also_approval:
            from radio.bulletins.lifecycle import content_sha256

            db.execute("UPDATE approvals SET content_sha256 = ? WHERE bulletin_id = ?",
                       [content_sha256(db["bulletins"].get(bulletin_id)), bulletin_id])


@pytest.mark.parametrize("also_approval, why", [
    (False, approval.CONTENT_CHANGED),
    (True, approval.AUDIT_DIFFERS),  # the approval row rewritten too: the audit trail still has it
])
def test_a_bulletin_edited_in_sqlite_after_approval_never_airs(home, db, clock, also_approval, why):
    configure(db, clock, ident_text="")
    keep = approved(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng cho trẻ em.")
    forged = approved(db, home, clock, "Họp dân", "UBND xã mời bà con họp lúc 8 giờ.")
    forge(db, forged, FORGED_TEXT, also_approval=also_approval)
    row, items = air_one_slot(home, db, clock)
    assert row["status"] == "aired"
    assert [i["bulletin_id"] for i in items] == [keep]
    assert f"#{forged}: left out: {why}" in row["reason"]
    assert row["reason"] and FORGED_TEXT not in json.dumps(items, ensure_ascii=False)
    assert "không khớp" in vi_reason(row["reason"])
    alerts = station_health(db, clock.now()).integrity
    assert [(a["subject"], a["problem"]) for a in alerts] == [(f"bulletin:{forged}", why)]


def test_a_forged_bulletin_alone_cancels_the_slot_with_the_reason(home, db, clock):
    configure(db, clock, ident_text="")
    forged = approved(db, home, clock, "Họp dân", "UBND xã mời bà con họp lúc 8 giờ.")
    forge(db, forged, FORGED_TEXT)
    row, items = air_one_slot(home, db, clock)
    assert row["status"] == "cancelled" and items == []
    assert row["reason"] == f"{LEFT_OUT_PREFIX}; #{forged}: {approval.CONTENT_CHANGED}"
    assert vi_reason(row["reason"]) == ("có bản tin đã duyệt không được phát; bản tin số "
                                        f"{forged}: nội dung đã bị sửa sau khi duyệt (không khớp mã băm lúc duyệt)")
    assert station_health(db, clock.now()).integrity
    # the next slot finds it again: still one alert
    row, _ = air_one_slot(home, db, clock)
    assert row["status"] == "cancelled" and len(station_health(db, clock.now()).integrity) == 1


def test_an_urgent_broadcast_of_a_forged_bulletin_is_refused_at_assembly(home, db, clock):
    configure(db, clock, ident_text="")
    forged = approved(db, home, clock, "Họp dân", "UBND xã mời bà con họp lúc 8 giờ.")
    forge(db, forged, FORGED_TEXT)
    with pytest.raises(NotApprovedError, match="content was changed after approval"):
        build(db, home, settings_mod.load(home, db), "urgent:1",
              [PlannedItem(db["bulletins"].get(forged), 0, False)], now=clock.now())


def test_approved_audio_swapped_on_disk_is_not_aired(home, db, clock):
    configure(db, clock, ident_text="")
    bulletin = approved(db, home, clock, "Họp dân", "UBND xã mời bà con họp lúc 8 giờ.")
    render = db["renders"].get(bulletin)
    approved_sha = render["audio_sha256"]
    # the copy that airs lives outside the speech cache
    assert not render["path"].startswith(str(home.speech_cache))
    tone_over(render["path"])
    tone_sha = hashlib.sha256(open(render["path"], "rb").read()).hexdigest()
    row, items = air_one_slot(home, db, clock)
    # found while the job waited for its cut-off: rendered again from the approved reading
    assert row["status"] == "aired" and [i["audio_sha256"] for i in items] == [approved_sha] != [tone_sha]
    assert [a["subject"] for a in station_health(db, clock.now()).integrity] == [f"bulletin:{bulletin}"]


def tone_over(path):
    """Replace the WAV at *path* by a 440 Hz tone of exactly its length and format."""
    import math
    import struct
    import wave

    with wave.open(str(path)) as wav:
        params = wav.getparams()
    assert params.sampwidth == 2
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / params.framerate)))
                      * params.nchannels for n in range(params.nframes))
    with wave.open(str(path), "wb") as wav:
        wav.setparams(params)
        wav.writeframes(frames)


def ident_part_sha(db, row):
    recipe = json.loads(db["programme_recipes"].get(row["programme_sha256"])["recipe"])
    return [p["sha256"] for p in recipe["parts"] if p["kind"] == "ident"]


def test_a_swapped_ident_of_the_same_length_never_airs(home, db, clock):
    configure(db, clock)
    approved(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng cho trẻ em.")
    settings = settings_mod.load(home, db)
    ident = render_ident(db, home, settings)
    genuine = ident.path.read_bytes()
    tone_over(ident.path)
    tone = ident.path.read_bytes()
    assert len(tone) == len(genuine) and tone != genuine
    row, _ = air_one_slot(home, db, clock)
    assert row["status"] == "aired"
    assert ident_part_sha(db, row) == [hashlib.sha256(genuine).hexdigest()]
    assert ("ident rendered again: ident file does not match its recorded sha256 (damaged or replaced)"
            in row["reason"])
    assert "lời giới thiệu đài không khớp mã sha256" in vi_reason(row["reason"])
    assert [a["subject"] for a in station_health(db, clock.now()).integrity] == ["ident"]


def test_a_tone_planted_in_the_speech_cache_is_never_installed_as_the_ident(home, db, clock):
    from content.normalize import normalize
    from content.render import cache_path, engines_for
    from radio.bulletins.spoken import station_lexicon

    configure(db, clock)
    settings = settings_mod.load(home, db)
    genuine = render_ident(db, home, settings).path.read_bytes()
    # the old code read the ident from the cache: plant a tone there and force a new install
    spoken = normalize(settings_mod.ident_text(settings), lexicon=station_lexicon(db))
    planted = cache_path(spoken, home.speech_cache, engines_for("espeak", settings)[0])
    planted.parent.mkdir(parents=True, exist_ok=True)
    write_wav(Sine(440).to_audio_segment(duration=2000), planted)
    with write(db):
        db.execute("DELETE FROM station_parts")
    assert render_ident(db, home, settings).path.read_bytes() == genuine


def test_an_ident_setting_changed_by_its_user_records_the_new_ident(home, db, clock):
    configure(db, clock)
    first = render_ident(db, home, settings_mod.load(home, db))
    settings_mod.save(db, "ident_text", "Đây là đài truyền thanh xã Định Biên.", actor=ADMIN, now=clock.now())
    second = render_ident(db, home, settings_mod.load(home, db))
    assert second.audio_sha256 != first.audio_sha256
    assert db["station_parts"].get("ident")["sha256"] == hashlib.sha256(second.path.read_bytes()).hexdigest()
    approved(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng cho trẻ em.")
    row, _ = air_one_slot(home, db, clock)
    assert row["status"] == "aired" and not row["reason"]
    assert ident_part_sha(db, row) == [second.audio_sha256]


def test_a_replaced_jingle_is_left_out_with_the_reason(home, db, clock, tmp_path):
    configure(db, clock, ident_text="", use_jingles="true")
    upload = tmp_path / "intro.wav"
    write_wav(Sine(660).to_audio_segment(duration=1500, volume=-10), upload)
    installed = set_jingle(db, home, "intro", upload, filename="intro.wav", actor=ADMIN, now=clock.now())
    approved(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng cho trẻ em.")
    tone_over(installed)
    row, _ = air_one_slot(home, db, clock)
    assert row["status"] == "aired"
    assert ("intro jingle left out: intro jingle file does not match its recorded sha256 (damaged or replaced)"
            in row["reason"])
    assert [a["subject"] for a in station_health(db, clock.now()).integrity] == ["jingle:intro"]


def test_a_bulletin_approved_before_the_upgrade_is_bound_as_it_stands_and_airs(home, db, clock):
    configure(db, clock, ident_text="")
    old = approved(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng cho trẻ em.")
    render = db["renders"].get(old)
    # as migration m290 finds a station: no approval row, no audit row with the hashes
    with write(db):
        db.execute("DELETE FROM approvals")
    db.execute("DROP TRIGGER audit_no_delete")
    with write(db):
        db.execute("DELETE FROM audit WHERE action = 'bulletin.approve'")
    bind_approvals_made_before_m290(db)
    bound = approval.get(db, old)
    assert bound["backfilled"] and bound["audio_sha256"] == render["audio_sha256"]
    assert bound["spoken_text"] == render["spoken_text"]
    row, items = air_one_slot(home, db, clock)
    assert row["status"] == "aired" and [i["bulletin_id"] for i in items] == [old]
    # and an edit after the upgrade is still caught
    forge(db, old, FORGED_TEXT)
    assert approval.content_problem(db, db["bulletins"].get(old)) == approval.CONTENT_CHANGED


def test_a_recording_replaced_on_disk_after_approval_never_airs(home, db, clock, tmp_path):
    from radio.bulletins import recordings
    from tests.support.recordings import tone_file

    configure(db, clock, ident_text="")
    new_id = recordings.add_recorded_bulletin(db, home, tone_file(tmp_path / "doc.mp3"), filename="doc.mp3",
                                              title="Thông báo", actor=OFFICER, now=clock.now())
    approve_bulletin(db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    assert render_bulletin(db, home, settings_mod.load(home, db), new_id, clock.now())["state"] == "done"
    tone_over(db["bulletins"].get(new_id)["recording_path"])
    row, items = air_one_slot(home, db, clock)
    assert row["status"] == "cancelled" and items == []
    assert row["reason"] == f"{LEFT_OUT_PREFIX}; #{new_id}: {approval.CONTENT_CHANGED}"
    # seen by the check of its file while the job waited, and by the approval check at the cut-off
    assert {(a["subject"], a["problem"]) for a in station_health(db, clock.now()).integrity} == {
        (f"bulletin:{new_id}", approval.CONTENT_CHANGED),
        (f"bulletin:{new_id}", "recording file does not match its recorded sha256 (damaged or replaced)")}


def test_a_replaced_shipped_chime_is_left_out(home, db, clock, tmp_path, monkeypatch):
    import shutil

    from audio.jingles import default_jingle
    from radio.programme import jingles

    configure(db, clock, ident_text="", use_jingles="true")
    approved(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng cho trẻ em.")
    swapped = tmp_path / "outro.wav"
    shutil.copyfile(default_jingle("outro"), swapped)
    tone_over(swapped)
    monkeypatch.setattr(jingles, "default_jingle", lambda kind: swapped if kind == "outro" else default_jingle(kind))
    row, _ = air_one_slot(home, db, clock)
    assert row["status"] == "aired"
    assert row["reason"] == ("outro jingle left out: outro jingle file does not match its recorded sha256 "
                             "(damaged or replaced)")

"""Every library error a user can trigger from the admin reads in Vietnamese.

The messages come from calling the library itself, so a reworded English
message shows up here instead of leaking into the admin untranslated.
"""

from datetime import UTC, datetime

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.schedule import commands, emergency, outputs, slots
from radio.proof import corrections, log as prooflog, replay
from radio import settings
from radio.accounts import tokens, users
from radio.errors import RadioError
from radio.store.connection import connect
from radio.wording.messages import vi
from tests.support.actors import ADMIN, LEADER, OFFICER, OTHER_OFFICER, VIEWER

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
TEXT = "Nội dung bản tin."


@pytest.fixture
def db():
    database = connect(":memory:")
    yield database
    database.conn.close()


def _approved(db):
    bulletin_id = bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=OFFICER)
    bulletins.approve_bulletin(db, bulletin_id, by="leader", now=NOW, actor=LEADER, expected_sha256=None)
    return bulletin_id


CASES = {
    "no title": lambda db: bulletins.add_bulletin(db, title=" ", text=TEXT, now=NOW, actor=OFFICER),
    "no text": lambda db: bulletins.add_bulletin(db, title="Tin", text="", now=NOW, actor=OFFICER),
    "too long": lambda db: bulletins.add_bulletin(db, title="Tin", text="a" * 20_001, now=NOW, actor=OFFICER),
    "repeat nan": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, repeat_count="x", actor=OFFICER),
    "repeat range": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, repeat_count=0, actor=OFFICER),
    "bad date": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, valid_from="1/2/2026", actor=OFFICER),
    "window": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW,
                                                valid_from="2026-12-02", valid_until="2026-12-01", actor=OFFICER),
    "priority": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, priority="gấp", actor=OFFICER),
    "unknown bulletin": lambda db: bulletins.get_bulletin(db, 42),
    "frozen": lambda db: bulletins.update_bulletin(db, _approved(db), text="Khác", actor=LEADER, now=NOW),
    "approved twice": lambda db: bulletins.approve_bulletin(db, _approved(db), by="x", now=NOW, actor=LEADER, expected_sha256=None),
    "withdrawn": lambda db: bulletins.approve_bulletin(
        db, bulletins.withdraw_bulletin(
            db, bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=OFFICER), actor=LEADER, now=NOW)["id"],
        by="x", now=NOW, actor=LEADER, expected_sha256=None),
    "not approved": lambda db: commands.request_play_now(
        db, bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=OFFICER), by="x", now=NOW, actor=LEADER),
    "time format": lambda db: slots.add_slot(db, at="sáu giờ", days="daily", now=NOW, actor=OFFICER),
    "time range": lambda db: slots.add_slot(db, at="24:10", days="daily", now=NOW, actor=OFFICER),
    "no days": lambda db: slots.add_slot(db, at="06:00", days="", now=NOW, actor=OFFICER),
    "both": lambda db: slots.add_slot(db, at="06:00", days="mon", on_date="2026-12-01", now=NOW, actor=OFFICER),
    "past": lambda db: slots.add_slot(db, at="06:00", on_date="2026-11-01", now=NOW, actor=OFFICER),
    "cap": lambda db: slots.add_slot(db, at="06:00", days="daily", cap_minutes=0, now=NOW, actor=OFFICER),
    "slot window": lambda db: slots.add_slot(db, at="06:00", days="daily", now=NOW,
                                             valid_from="2026-12-02", valid_until="2026-12-01", actor=OFFICER),
    "unknown slot": lambda db: slots.set_slot_active(db, 42, False, actor=LEADER, now=NOW),
    "month": lambda db: prooflog.entries(db, month="11/2026"),
    "setting range": lambda db: settings.save(db, "keep_programmes_days", "0", actor=ADMIN, now=NOW),
    "setting choice": lambda db: settings.save(db, "engine", "google", actor=ADMIN, now=NOW),
    "setting misspelt": lambda db: settings.save(db, "grace_minute", "5", actor=ADMIN, now=NOW),
    "setting unknown": lambda db: settings.save(db, "colour", "red", actor=ADMIN, now=NOW),
    "token name": lambda db: tokens.create_token(db, ADMIN, "tên có dấu cách", now=NOW),
    "token twice": lambda db: [tokens.create_token(db, ADMIN, "huyen", now=NOW) for _ in range(2)],
    "token unknown": lambda db: tokens.revoke_token(db, ADMIN, "tinh", now=NOW),
    "month range": lambda db: prooflog.entries(db, month="9999-12"),
    # refused by role and ownership
    "role": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=VIEWER),
    "not own draft": lambda db: bulletins.update_bulletin(
        db, bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=OFFICER), text="x",
        actor=OTHER_OFFICER, now=NOW),
    "changed since read": lambda db: bulletins.approve_bulletin(
        db, bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=OFFICER), actor=LEADER, now=NOW,
        expected_sha256="0" * 64),
    "return reason": lambda db: bulletins.return_bulletin(
        db, bulletins.add_bulletin(db, title="Tin", text=TEXT, now=NOW, actor=OFFICER), actor=LEADER,
        reason="", now=NOW),
    "return approved": lambda db: bulletins.return_bulletin(db, _approved(db), actor=LEADER, reason="x", now=NOW),
    "title long": lambda db: bulletins.add_bulletin(db, title="T" * 301, text=TEXT, now=NOW, actor=OFFICER),
    "huge slot id": lambda db: slots.get_slot(db, "1" * 23),
    "cap nan": lambda db: slots.add_slot(db, at="06:00", days="daily", cap_minutes="²", now=NOW, actor=OFFICER),
    "cap huge": lambda db: slots.add_slot(db, at="06:00", days="daily", cap_minutes="9" * 30, now=NOW,
                                          actor=OFFICER),
    "output spec": lambda db: slots.add_slot(db, at="06:00", days="daily", output="file:/tmp/x", now=NOW,
                                             actor=OFFICER),
    "output name": lambda db: outputs.add_output(db, name="Thôn 2", spec="pulse:a", actor=ADMIN, now=NOW),
    "output form": lambda db: outputs.add_output(db, name="a", spec="loa:a", actor=ADMIN, now=NOW),
    "output twice": lambda db: [outputs.add_output(db, name="a", spec="pulse:a", actor=ADMIN, now=NOW)
                                for _ in range(2)],
    "guessable password": lambda db: users.add_user(db, username="lanhdao", password="MinhDuc-2026!",
                                                    role="leader", now=NOW,
                                                    station_name="Đài truyền thanh xã Minh Đức"),
    "sequential password": lambda db: users.add_user(db, username="lanhdao", password="Aa1234567890",
                                                     role="leader", now=NOW),
    # control characters in stored fields
    "NUL topic": lambda db: bulletins.add_bulletin(db, title="Tin", text=TEXT, topic="cchc\x00", now=NOW,
                                                   actor=OFFICER),
    "control in a slot name": lambda db: slots.add_slot(db, at="06:00", days="daily", name="Sáng\x1b",
                                                        now=NOW, actor=OFFICER),
    "control in a setting": lambda db: settings.save(db, "station_name", "Xã\x00", actor=ADMIN, now=NOW),
    "long slot name": lambda db: slots.add_slot(db, at="06:00", days="daily", name="x" * 201, now=NOW,
                                                actor=OFFICER),
    "output missing": lambda db: outputs.remove_output(db, "none", actor=ADMIN, now=NOW),
    # topics of emergencies and manual entries
    "emergency topic": lambda db: emergency.broadcast(db, actor=LEADER, now=NOW, text="Bão", topic="bão"),
    "manual topic": lambda db: corrections.add_manual(db, LEADER, started_at=NOW, seconds=60, reason="micrô",
                                                      titles=["Tin"], topic="cchc\x00", now=NOW),
    "replay manual": lambda db: replay.replay(db, None, corrections.add_manual(
        db, LEADER, started_at=NOW, seconds=60, reason="micrô", titles=["Tin"], now=NOW)),
    "replay correction": lambda db: replay.replay(db, None, corrections.correct(
        db, LEADER, corrections.add_manual(db, LEADER, started_at=NOW, seconds=60, reason="micrô",
                                           titles=["Tin"], now=NOW), reason="nhầm", now=NOW)),
    "output used": lambda db: (outputs.add_output(db, name="a", spec="pulse:a", actor=ADMIN, now=NOW),
                               slots.add_slot(db, at="06:00", days="daily", output="a", now=NOW, actor=OFFICER),
                               outputs.remove_output(db, "a", actor=ADMIN, now=NOW)),
}


@pytest.mark.parametrize("case", CASES)
def test_library_errors_are_translated(db, case):
    with pytest.raises(RadioError) as info:
        CASES[case](db)
    translated = vi(info.value)
    assert translated != str(info.value), f"untranslated: {info.value}"


def test_quiet_hours_and_deferral_reasons_are_translated():
    warning = slots.quiet_hours_warning("04:30:00", "05:30", "21:00")
    assert vi(warning).startswith("Lưu ý: khung giờ 04:30 nằm ngoài khoảng 05:30–21:00")
    for reason in ("speech not rendered yet", "longer than the slot's cap",
                   "does not fit the cap; moves to the next occurrence"):
        assert vi(reason) != reason


def test_unknown_message_shown_as_is():
    assert vi("station was off") == "station was off"


@pytest.mark.parametrize("reason,expected", [
    ("station was not running from 20/11/2026 04:00:00 until 20/11/2026 18:30:00",
     "đài không chạy từ 20/11/2026 04:00 đến 20/11/2026 18:30"),
    ("no approved bulletin ready for this slot; #3: speech not rendered yet",
     "không có bản tin đã duyệt sẵn sàng cho khung giờ này; bản tin số 3: chưa tạo xong giọng đọc"),
    ("interrupted by urgent bulletin #7", "bị ngắt để phát bản tin khẩn cấp số 7"),
    ("started 45 s late", "bắt đầu muộn 45 giây"),
    ("OutputError: no sound card", "OutputError: no sound card"),
    ("approved bulletins left out; #2: speech still rendering at the cut-off",
     "có bản tin đã duyệt không được phát; bản tin số 2: giọng đọc vẫn đang được tạo lúc chốt danh sách phát"),
    ("started 3 s late; #4: left out: speech file is truncated: 1.0 s of 2.0 s, rendered again for a later slot",
     "bắt đầu muộn 3 giây; bản tin số 4: không phát: tệp giọng đọc bị cắt cụt: 1.0 giây trên 2.0 giây, "
     "đã tạo lại cho buổi phát sau"),
    ("#5: left out: recording file is missing, replace the recording",
     "bản tin số 5: không phát: không tìm thấy tệp bản ghi âm, hãy thay bản ghi âm"),
    ("no approved bulletin for this slot", "không có bản tin đã duyệt cho khung giờ này"),
    ("every approved bulletin for this slot has used up its repeats (#3, #5)",
     "mọi bản tin đã duyệt của khung giờ này đã phát đủ số lần được duyệt (bản tin số 3, bản tin số 5)"),
    ("the slot no longer airs at this time (paused, removed or edited to another time)",
     "khung giờ không còn phát vào lúc này (đã tạm dừng, bị xóa hoặc được sửa sang giờ khác)"),
    (None, ""),
    # air-path failures: stage, cause, tries; dead air; a crash-closed row
    ("could not write the programme: the disk is full (after 21 tries from 08:00:00 to 08:10:00)",
     "không ghi được chương trình ra tệp: ổ đĩa đã đầy (sau 21 lần thử từ 08:00:00 đến 08:10:00)"),
    ("started 90 s late; after 3 failed tries, the first at 08:00:00: could not claim the slot in "
     "the log: the database was locked by another program for too long",
     "bắt đầu muộn 90 giây; sau 3 lần thử không thành, lần đầu lúc 08:00:00: không ghi được lượt "
     "phát vào nhật ký: cơ sở dữ liệu bị một chương trình khác khóa quá lâu"),
    ("dead air of 20 s at 08:00:01", "mất tiếng 20 giây lúc 08:00:01"),
    ("the sound broke up once for a moment (the output ran dry)",
     "âm thanh bị ngắt quãng chốc lát 1 lần (đường phát bị cạn dữ liệu)"),
    ("started 12 s late; the sound broke up 3 times for a moment (the output ran dry)",
     "bắt đầu muộn 12 giây; âm thanh bị ngắt quãng chốc lát 3 lần (đường phát bị cạn dữ liệu)"),
    ("station process died while on air (1.9 s of 3.0 s heard, last sign of life at 08:00:02)",
     "chương trình của đài bị dừng đột ngột khi đang phát (đã phát 1,9 / 3,0 giây, "
     "lần cuối còn chạy lúc 08:00:02)"),
    ("the output stopped after 12.5 s: the sound device took no sound for 5 s",
     "đường phát dừng sau 12,5 giây: card âm thanh ngừng nhận tiếng suốt 5 giây"),
    ("could not play the programme: Cannot play to PulseAudio sink 'x' (1 try at 08:00:00)",
     "không phát được chương trình: Cannot play to PulseAudio sink 'x' (1 lần thử lúc 08:00:00)"),
])
def test_log_reasons(reason, expected):
    from radio.wording.messages import vi_reason

    assert vi_reason(reason) == expected


def test_the_device_outputs_stuck_error_is_translated():
    from audio.outputs.device import STUCK_ERROR
    from radio.wording.messages import vi_reason

    assert vi_reason(f"the output stopped after 1.0 s: {STUCK_ERROR}") == (
        "đường phát dừng sau 1,0 giây: card âm thanh ngừng nhận tiếng suốt 5 giây")


def test_expired_urgent_request_is_translated():
    message = commands.expired_message(30.0)
    assert vi(message).startswith("Phần mềm phát của đài không nhận lệnh trong 30 giây")


def test_setting_range_names_the_range_in_vietnamese():
    with pytest.raises(RadioError) as info:
        settings.check("espeak_rate", "0")
    assert vi(info.value) == "Giá trị '0' không hợp lệ cho cài đặt \"espeak_rate\"; cần: số nguyên từ 80 đến 450."


@pytest.mark.parametrize("reason,expected", [
    # what airs is checked against the approval and the recorded sha256 of each part
    ("#3: left out: its content was changed after approval (it does not match the approval hash)",
     "bản tin số 3: không phát: nội dung đã bị sửa sau khi duyệt (không khớp mã băm lúc duyệt)"),
    ("approved bulletins left out; #3: its approval record does not match the audit trail",
     "có bản tin đã duyệt không được phát; bản tin số 3: bản ghi phê duyệt không khớp nhật ký thao tác"),
    ("#4: left out: it has no approval record", "bản tin số 4: không phát: không có bản ghi phê duyệt"),
    ("#4: left out: its speech is not the approved reading",
     "bản tin số 4: không phát: giọng đọc không phải cách đọc đã duyệt"),
    ("#4: left out: its audio is not the approved audio",
     "bản tin số 4: không phát: âm thanh không phải bản đã duyệt"),
    ("ident rendered again: ident file does not match its recorded sha256 (damaged or replaced)",
     "đã tạo lại lời giới thiệu đài: tệp lời giới thiệu đài không khớp mã sha256 đã lưu (bị hỏng hoặc bị thay)"),
    ("intro jingle left out: intro jingle file does not match its recorded sha256 (damaged or replaced)",
     "bỏ nhạc hiệu mở đầu: tệp nhạc hiệu mở đầu không khớp mã sha256 đã lưu (bị hỏng hoặc bị thay)"),
    ("could not prepare the programme: bulletin #5: its content was changed after approval "
     "(it does not match the approval hash) (1 try at 08:00:00)",
     "không chuẩn bị được chương trình: bản tin số 5: nội dung đã bị sửa sau khi duyệt "
     "(không khớp mã băm lúc duyệt) (1 lần thử lúc 08:00:00)"),
])
def test_integrity_reasons(reason, expected):
    from radio.wording.messages import integrity_subject, vi_reason

    assert vi_reason(reason) == expected
    assert [integrity_subject(s) for s in ("bulletin:12", "ident", "jingle:outro")] == [
        "bản tin số 12", "lời giới thiệu đài", "nhạc hiệu kết thúc"]


def test_the_file_outputs_recording_checks_are_translated():
    # the recording is read back before a play counts as aired
    from audio.outputs.file import RECORDING_DIFFERS, RECORDING_MISSING
    from radio.wording.messages import vi_reason

    assert vi_reason(f"could not write the programme: {RECORDING_MISSING} (/srv/aired/x.wav) "
                     "(1 try at 08:00:00)") == (
        "không ghi được chương trình ra tệp: tệp ghi bị xóa trong lúc phát (thư mục phát bị xóa "
        "hoặc bị chuyển đi) (/srv/aired/x.wav) (1 lần thử lúc 08:00:00)")
    assert vi_reason(f"the output stopped after 2.0 s: {RECORDING_DIFFERS} (/srv/aired/x.wav)") == (
        "đường phát dừng sau 2,0 giây: tệp ghi không còn đúng nội dung đã ghi (bị cắt hoặc bị thay) "
        "(/srv/aired/x.wav)")


def test_a_row_closed_after_the_whole_programme_was_output_is_translated():
    # the daemon died after the output took every sample
    from radio.wording.messages import vi_reason

    assert vi_reason("station process died after the whole programme was output "
                     "(2.2 s of 2.2 s heard, last sign of life at 08:00:02)") == (
        "chương trình của đài bị dừng đột ngột sau khi đã phát hết chương trình "
        "(đã phát 2,2 / 2,2 giây, lần cuối còn chạy lúc 08:00:02)")

"""The report counts only what reached loudspeakers.

Each test is the reproduction: a storm warning sent from the emergency button
counted toward the CCHC target; airings to a ``file:`` output counted and were
reported as "trên hệ thống loa truyền thanh"; a manual entry could not have a
topic and left no audit row.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import openpyxl
import pytest
from docx import Document

from radio.accounts import audit
from radio.proof import corrections, log as prooflog
from radio.schedule import emergency, outputs
from radio.accounts.roles import PermissionDeniedError
from radio.clock import STATION_TZ
from radio.reports import csv_export, docx_export, periods, targets, xlsx_export
from radio.settings import load
from tests.support.actors import ADMIN, LEADER
from tests.support.proof import log_occurrence

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=STATION_TZ)
NOVEMBER = periods.parse("2026-11")


def day(n: int, hour: int = 7) -> datetime:
    return datetime(2026, 11, n, hour, 0, tzinfo=STATION_TZ)


def cchc(db) -> int:
    return targets.count(db, "cchc", NOVEMBER)


# -- the emergency page's bulletin has its own topic ----------------------

def test_a_storm_warning_from_the_emergency_button_does_not_move_the_cchc_target(db):
    log_occurrence(db, day(2))  # the month's one CCHC bulletin: 1/1
    assert cchc(db) == 1
    title, text = emergency.TEMPLATES["bao"]
    sent = emergency.broadcast(db, actor=LEADER, now=day(3), text=text, title=title)
    bulletin = db["bulletins"].get(sent["bulletin_id"])
    assert bulletin["topic"] == emergency.DEFAULT_TOPIC != "cchc"
    # the daemon logs the item with its bulletin's topic, as it does for every airing
    log_occurrence(db, day(3, 9), topic=bulletin["topic"], title=title, bulletin_id=bulletin["id"] - 1)
    assert cchc(db) == 1  # was 2/1
    summary_topics = {b["title"]: b["topic"] for b in docx_export.log_rows.summarise(db, NOVEMBER, NOW).bulletins}
    assert summary_topics[title] == "khan-cap"


def test_the_leader_chooses_the_emergency_topic_and_a_bad_one_is_refused(db):
    sent = emergency.broadcast(db, actor=LEADER, now=day(3), text="Lũ quét ở thôn 3.", topic="thien-tai")
    assert db["bulletins"].get(sent["bulletin_id"])["topic"] == "thien-tai"
    with pytest.raises(emergency.ValidationError):
        emergency.broadcast(db, actor=LEADER, now=day(3), text="Bão.", topic="không có")
    assert db["bulletins"].count == 1


# -- outputs that feed no loudspeakers never count --------------------------

def _mixed_month(db) -> None:
    """One CCHC airing to each kind of output, two with the daemon's own answer."""
    log_occurrence(db, day(2), title="Tin ra loa")                                   # counts
    log_occurrence(db, day(3), title="Tin ra tệp", output="file:/srv/ghi-am")         # a file: no
    # an output the admin said feeds no loudspeakers (a monitoring sink): no
    entry = prooflog.Entry(key="monitor", scheduled_at=day(4), status="aired", started_at=day(4),
                           ended_at=day(4) + timedelta(seconds=60), seconds_played=60.0, programme_seconds=60.0,
                           output="pulse:nghe-thu", programme_sha256="ab" * 32, loudspeakers=False,
                           output_name="nghe-thu",
                           items=[prooflog.LoggedItem(1, 9, "Tin nghe thử", topic="cchc", completed=True)])
    prooflog.append(db, entry, now=day(4, 8))


def test_an_airing_to_a_file_does_not_count_toward_a_loudspeaker_target(db):
    _mixed_month(db)
    assert cchc(db) == 1  # was 3
    (result,) = [r for r in targets.evaluate(db, NOW, NOVEMBER) if r.target["topic"] == "cchc"]
    assert result.count == 1


def test_every_export_labels_the_airings_that_reached_no_loudspeaker(db, home, tmp_path):
    _mixed_month(db)
    text = io.StringIO()
    csv_export.write(db, text, NOVEMBER)
    lines = [r for r in csv.reader(io.StringIO(text.getvalue().lstrip("\ufeff"))) if r and r[0].isdigit()]
    header = next(csv.reader(io.StringIO(text.getvalue().lstrip("\ufeff"))))
    note = header.index("Ghi chú đầu ra")
    assert {r[header.index("Tiêu đề")]: r[note] for r in lines} == {
        "Tin ra loa": "", "Tin ra tệp": "ra tệp (không phát ra loa)", "Tin nghe thử": "không phát ra loa"}

    xlsx = tmp_path / "log.xlsx"
    xlsx_export.write(db, xlsx, NOVEMBER, now=NOW, station_name="Đài xã")
    summary_cells = [row[0].value for row in openpyxl.load_workbook(xlsx).worksheets[0].iter_rows()]
    assert any(str(v).startswith("Có 2 buổi được phát ra đầu ra không nối với loa") for v in summary_cells)
    sheet = openpyxl.load_workbook(xlsx).worksheets[1]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    head = cells[0]
    shown = {row[head.index("Tiêu đề")]: row[head.index("Đầu ra")] for row in cells[1:]
             if row[head.index("Tiêu đề")]}
    assert shown["Tin ra loa"] == "device:default"
    assert shown["Tin ra tệp"] == "file:/srv/ghi-am – ra tệp (không phát ra loa)"
    assert shown["Tin nghe thử"] == "pulse:nghe-thu – không phát ra loa"

    docx = tmp_path / "report.docx"
    docx_export.write(db, docx, NOVEMBER, now=NOW, settings=load(home, db))
    paragraphs = [p.text for p in Document(docx).paragraphs]
    on_air = [p for p in paragraphs if "trên hệ thống loa truyền thanh," in p]
    assert on_air == ["Có 1 buổi đã phát trọn vẹn trên hệ thống loa truyền thanh, qua các đầu ra: "
                      "device:default (1 buổi); tổng cộng 1 lượt tin bài được phát trọn vẹn trên loa."]
    (silent,) = [p for p in paragraphs if "đầu ra không nối với loa (" in p and p.startswith("Có")]
    assert "2 buổi" in silent and "file:/srv/ghi-am (1 buổi)" in silent and "pulse:nghe-thu (1 buổi)" in silent
    assert "không được tính vào chỉ tiêu" in silent
    listed = [row.cells[1].text for table in Document(docx).tables for row in table.rows[1:]
              if len(row.cells) == 6]
    assert listed == ["Tin ra loa"]  # the list of what aired on the loudspeakers


def test_outputs_say_whether_they_feed_loudspeakers_and_an_override_is_audited(db):
    assert outputs.loudspeakers_of(db, "file:/srv/x") == (False, None)
    assert outputs.loudspeakers_of(db, "device") == (True, None)
    outputs.add_output(db, name="ghi-am", spec="file:/srv/x", actor=ADMIN, now=NOW)
    outputs.add_output(db, name="nghe-thu", spec="pulse:nghe", actor=ADMIN, now=NOW, loudspeakers=False)
    assert outputs.loudspeakers_of(db, "file:/srv/x") == (False, "ghi-am")
    assert outputs.loudspeakers_of(db, "pulse:nghe") == (False, "nghe-thu")
    # a file a relay plays out on the loudspeakers: the admin says so
    outputs.set_loudspeakers(db, "ghi-am", True, actor=ADMIN, now=NOW)
    assert outputs.loudspeakers_of(db, "file:/srv/x") == (True, "ghi-am")
    (row,) = audit.entries(db, target="output:ghi-am", limit=1)
    assert row["detail"] == {"op": "loudspeakers", "loudspeakers": True}
    with pytest.raises(PermissionDeniedError):
        outputs.set_loudspeakers(db, "ghi-am", None, actor=LEADER, now=NOW)


def test_a_past_entry_keeps_what_its_output_reached(db):
    outputs.add_output(db, name="ghi-am", spec="file:/srv/x", actor=ADMIN, now=NOW, loudspeakers=True)
    feeds, name = outputs.loudspeakers_of(db, "file:/srv/x")
    entry = prooflog.Entry(key="k", scheduled_at=day(2), status="aired", started_at=day(2),
                           ended_at=day(2) + timedelta(seconds=5), seconds_played=5.0, output="file:/srv/x",
                           loudspeakers=feeds, output_name=name,
                           items=[prooflog.LoggedItem(1, 1, "Tin", topic="cchc", completed=True)])
    prooflog.append(db, entry, now=day(2, 8))
    assert cchc(db) == 1
    outputs.set_loudspeakers(db, "ghi-am", False, actor=ADMIN, now=NOW)
    assert cchc(db) == 1  # the row says what it reached when it aired
    (shown,) = prooflog.entries(db)
    assert shown["loudspeakers"] is True


# -- manual entries take a topic, and leave an audit row -----------------------

def test_a_manual_entry_with_a_topic_counts_and_is_audited(db):
    assert cchc(db) == 0
    entry_id = corrections.add_manual(db, LEADER, started_at=day(5, 17), seconds=600, topic="CCHC",
                                      reason="Mất điện, đọc trực tiếp qua micrô",
                                      titles=["Thông báo dịch vụ công"], now=day(5, 18))
    assert cchc(db) == 1
    (item,) = db["occurrence_items"].rows_where("occurrence_id = ?", [entry_id])
    assert item["topic"] == "cchc"
    (row,) = audit.entries(db, target=f"log:{entry_id}")
    assert (row["username"], row["action"], row["detail"]["op"], row["detail"]["topic"]) == (
        "lanhdao", "log.manual", "add-manual", "cchc")
    correction = corrections.correct(db, LEADER, entry_id, reason="Nhập nhầm", status="void", now=day(5, 19))
    assert cchc(db) == 0
    (row,) = audit.entries(db, target=f"log:{correction}")
    assert row["detail"] == {"op": "correct", "corrects": entry_id, "previous": "aired", "status": "void",
                             "reason": "Nhập nhầm"}
    assert prooflog.verify_chain(db)[0]


def test_a_manual_entry_without_a_topic_counts_toward_none(db):
    corrections.add_manual(db, LEADER, started_at=day(5, 17), seconds=600, reason="micrô",
                           titles=["Tin"], now=day(5, 18))
    assert cchc(db) == 0


def test_the_word_report_names_manual_and_emergency_entries(db, home, tmp_path):
    log_occurrence(db, day(2))
    prooflog.append(db, prooflog.Entry(
        key="urgent:1", kind="urgent", scheduled_at=day(3), status="aired", started_at=day(3),
        ended_at=day(3) + timedelta(seconds=30), seconds_played=30.0, output="device:default",
        items=[prooflog.LoggedItem(1, 7, "Cảnh báo bão", topic="khan-cap", completed=True)]), now=day(3, 8))
    corrections.add_manual(db, LEADER, started_at=day(5, 17), seconds=600, topic="cchc", reason="micrô",
                           titles=["Đọc tay"], now=day(5, 18))
    docx = tmp_path / "report.docx"
    docx_export.write(db, docx, NOVEMBER, now=NOW, settings=load(home, db))
    document = Document(docx)
    (totals,) = [p.text for p in document.paragraphs if p.text.startswith("Trong kỳ báo cáo")]
    assert "3 buổi phát (1 buổi theo lịch, 1 buổi phát khẩn cấp, 1 buổi nhập tay" in totals
    assert "buổi phát theo lịch:" not in totals  # was "3 buổi phát theo lịch: 3 buổi đã phát"
    listed = [row.cells[1].text for table in document.tables for row in table.rows[1:] if len(row.cells) == 6]
    assert "Đọc tay (nhập tay, đọc trực tiếp)" in listed


@pytest.mark.parametrize("override, reached", [(None, 0), (True, 1)])
def test_the_daemon_records_what_the_output_reached_beside_the_row(home, db, clock, override, reached):
    from tests.radio.station.test_station_faults import KEY, built_programme, make_station, paced_file_output

    spec = f"file:{home.outputs}"
    outputs.add_output(db, name="ghi-am", spec=spec, actor=ADMIN, now=clock.now(), loudspeakers=override)
    station = make_station(home, clock)
    output = paced_file_output(home.outputs, clock)
    station._outputs[spec] = output  # what _output_for keeps for a slot's named output
    station._play(KEY, "slot", 1, clock.now(), built_programme(home), station.settings, output)
    assert db.execute("SELECT o.status, r.output_name, r.loudspeakers FROM occurrences o "
                      "JOIN occurrence_reach r ON r.occurrence_id = o.id").fetchall() == [("aired", "ghi-am", reached)]

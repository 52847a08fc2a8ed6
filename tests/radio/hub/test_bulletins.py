"""Provincial bulletins in the hub: ids, targets, the rules of a draft, approval that freezes it."""

import sqlite3
from datetime import timedelta

import pytest

from radio.errors import NotFoundError, StateError, ValidationError
from radio.hub import Targets, approve, write_bulletin
from radio.hub.bulletins import get, read_file

pytestmark = pytest.mark.timeout(30)


def draft(hub, now, **fields):
    values = dict(cls="khan-cap", title="Bão số 9", text="Bão số 9 đổ bộ.", targets=Targets(all=True), now=now)
    return write_bulletin(hub.db, **{**values, **fields})


def test_ids_are_the_local_day_and_its_number(hub, stations, hub_clock):
    assert [draft(hub, hub_clock.now()) for _ in range(2)] == ["P-20261208-0001", "P-20261208-0002"]
    hub_clock.advance(17 * 3600)  # 18:00 UTC: 01:00 the next day in Hanoi
    assert draft(hub, hub_clock.now()) == "P-20261209-0001"


@pytest.mark.parametrize("text, resolved", [
    ("all", ["XA01", "XA02", "XA03"]),
    ("XA03", ["XA03"]),
    ("xa03, XA01,XA03", ["XA01", "XA03"]),
    ("zone:bac", ["XA01", "XA02"]),
    ("zone:nam,XA01", ["XA01", "XA03"]),
])
def test_targets_are_all_codes_or_zones(hub, stations, text, resolved):
    assert Targets.parse(text).resolve(hub.db) == resolved
    assert Targets.from_json(Targets.parse(text).to_json()) == Targets.parse(text)


@pytest.mark.parametrize("text, message", [("", "--to is all"), ("all,XA01", "--to is all"), ("XA09", "Not registered"),
                                           ("zone:dong", "No station is in zone"), ("zone:", "zone's name"),
                                           ("X.1", "station code")])
def test_targets_that_name_no_station_are_refused(hub, stations, text, message):
    with pytest.raises(ValidationError, match=message):
        Targets.parse(text).resolve(hub.db)


@pytest.mark.parametrize("fields, message", [
    ({"cls": "gap"}, "class"), ({"title": " "}, "title and a text"), ({"text": "a\x00"}, "control character"),
    ({"valid_from": "2026-13-01"}, "not a date"), ({"valid_from": "2026-12-09", "valid_until": "2026-12-08"}, "before"),
    ({"repeat": 0}, "repeat"), ({"repeat": 51}, "repeat"), ({"text": "x" * 200_001}, "limit"),
])
def test_a_draft_out_of_its_rules_is_refused(hub, stations, hub_clock, fields, message):
    with pytest.raises(ValidationError, match=message):
        draft(hub, hub_clock.now(), **fields)
    assert hub.db.execute("SELECT count(*) FROM bulletins").fetchone()[0] == 0


def test_approval_names_the_leader_and_freezes_the_bulletin(hub, stations, hub_clock):
    bulletin_id = draft(hub, hub_clock.now(), valid_from="2026-12-08", valid_until="2026-12-09", repeat=3)
    hub_clock.advance(60)
    row = approve(hub.db, bulletin_id, by="Nguyễn Văn A", now=hub_clock.now())
    assert (row["status"], row["approved_by"], row["approved_at"]) == ("approved", "Nguyễn Văn A",
                                                                       "2026-12-08T01:01:00.000+00:00")
    with pytest.raises(StateError, match="approved already"):
        approve(hub.db, bulletin_id, by="Trần B", now=hub_clock.now())
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        hub.db.execute("UPDATE bulletins SET text = 'khác' WHERE id = ?", [bulletin_id])
    with pytest.raises(ValidationError, match="--by"):
        approve(hub.db, draft(hub, hub_clock.now()), by=" ", now=hub_clock.now())
    with pytest.raises(NotFoundError):
        get(hub.db, "P-19990101-0001")


def test_a_text_or_word_file_reads_as_a_stations_import_does(tmp_path):
    path = tmp_path / "thong-bao.txt"
    path.write_text("Lịch tiêm chủng\n\nTrạm y tế xã tiêm vào thứ Bảy.\n", encoding="utf-8")
    assert read_file(path) == ("Lịch tiêm chủng", "Trạm y tế xã tiêm vào thứ Bảy.", None)
    assert read_file(path, "Tiêm")[:2] == ("Tiêm", "Lịch tiêm chủng\n\nTrạm y tế xã tiêm vào thứ Bảy.")

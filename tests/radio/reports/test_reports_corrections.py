"""Corrections change what reports and targets count, and every export shows them.

Written as the finding: an officer voided a mistaken manual "aired" entry, yet the
month's target still counted it, and the XLSX and DOCX exports of that month
failed with ``KeyError: 'void'``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from radio.proof import corrections, log as prooflog
from radio import settings as radio_settings
from radio.proof.log import Entry, LoggedItem
from radio.reports import periods, rows, targets
from radio.reports.docx_export import write as write_docx
from radio.reports.xlsx_export import write as write_xlsx
from radio.store.connection import connect
from tests.support.actors import ADMIN, LEADER

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
NOVEMBER = periods.parse("2026-11")


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "radio.db")
    yield db
    db.conn.close()


def _manual(db, day: int) -> int:
    return corrections.add_manual(db, LEADER, started_at=datetime(2026, 11, day, 23, 0, tzinfo=UTC),
                                  seconds=300, reason="Mất điện, đọc qua micrô",
                                  titles=["Thông báo dịch vụ công trực tuyến"], bulletin_ids=[None], now=NOW)


def _aired_cchc(db, day: int) -> int:
    at = datetime(2026, 11, day, 10, 0, tzinfo=UTC)
    return prooflog.append(db, Entry(
        key=f"slot:1@{at.isoformat()}", scheduled_at=at, status="aired", slot_id=1, started_at=at,
        ended_at=at + timedelta(seconds=60), seconds_played=60.0, programme_seconds=60.0, output="device",
        items=[LoggedItem(position=1, bulletin_id=7, title="Dịch vụ công trực tuyến", topic="cchc",
                          completed=True)]), now=at + timedelta(seconds=61))


def test_a_voided_entry_no_longer_counts_and_its_correction_never_does(db):
    first, second = _manual(db, 10), _manual(db, 12)
    summary = rows.summarise(db, NOVEMBER, NOW)
    assert summary.by_status["aired"] == 2
    corrections.correct(db, LEADER, first, reason="Nhập nhầm ngày", status="void", now=NOW)
    corrections.correct(db, LEADER, second, reason="Chỉ đọc được một nửa", status="partial", now=NOW)
    summary = rows.summarise(db, NOVEMBER, NOW)
    assert summary.by_status["aired"] == 0
    assert summary.by_status["void"] == 1 and summary.by_status["partial"] == 1
    assert summary.total == 2  # the two corrections are not occurrences
    assert summary.items_completed == 0


def test_the_last_correction_stands(db):
    entry = _manual(db, 10)
    corrections.correct(db, LEADER, entry, reason="Nhầm", status="void", now=NOW)
    corrections.correct(db, LEADER, entry, reason="Thật ra đã đọc hết", status="aired", now=NOW + timedelta(1))
    assert rows.summarise(db, NOVEMBER, NOW + timedelta(2)).by_status["aired"] == 1


def test_targets_count_entries_as_they_stand(db):
    entry, _ = _aired_cchc(db, 10), _aired_cchc(db, 11)
    assert targets.count(db, "cchc", NOVEMBER) == 2
    corrections.correct(db, LEADER, entry, reason="Loa hỏng, không ai nghe được", status="failed", now=NOW)
    assert targets.count(db, "cchc", NOVEMBER) == 1
    assert rows.summarise(db, NOVEMBER, NOW).bulletins[0]["aired"] == 1


def test_exports_of_a_month_with_a_voided_entry_name_it(db, tmp_path):
    entry = _manual(db, 10)
    corrections.correct(db, ADMIN, entry, reason="Nhập nhầm ngày", status="void", now=NOW)
    xlsx, docx = tmp_path / "bao-cao.xlsx", tmp_path / "bao-cao.docx"
    write_xlsx(db, xlsx, NOVEMBER, now=NOW)
    write_docx(db, docx, NOVEMBER, now=NOW, settings={s.name: s.default for s in radio_settings.SETTINGS})
    cells = [c for ws in load_workbook(xlsx, read_only=True) for r in ws.iter_rows(values_only=True) for c in r]
    assert "hủy bỏ" in cells and "đính chính" in cells
    assert docx.stat().st_size > 0

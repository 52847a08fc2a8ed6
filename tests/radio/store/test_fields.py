"""Control characters in stored fields: refused by one validator at the
library layer (web, CLI and API alike), and an old database that already holds one
does not break an export."""

import csv
import io
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from radio.bulletins import lifecycle as bulletins
from radio.speech import lexicon
from radio import settings as radio_settings
from radio.schedule import slots
from radio.clock import STATION_TZ
from radio.errors import ValidationError
from radio.store.fields import clean_line, clean_text, xml_safe
from radio.reports import csv_export, docx_export, periods, targets, xlsx_export
from tests.support.actors import ADMIN, LEADER, OFFICER
from tests.support.proof import log_occurrence

NOW = datetime(2026, 12, 20, 9, 0, tzinfo=STATION_TZ)
SETTINGS = {s.name: s.default for s in radio_settings.SETTINGS}


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\ud800", "\uffff"])
def test_control_characters_are_refused_with_the_character_named(bad):
    with pytest.raises(ValidationError, match=rf"^Topic contains a control character \(U\+{ord(bad):04X}\)"):
        clean_line(f"cchc{bad}x", "Topic")
    with pytest.raises(ValidationError):
        clean_text(f"dòng một\n{bad}", "The reason")


def test_tabs_and_line_breaks_are_harmless():
    assert clean_line("  Tin\tsáng\r\nnay ", "Topic") == "Tin sáng  nay"
    assert clean_text("a\r\n\tb", "The reason") == "a\n\tb"
    assert clean_line("Cu\u0309 chi\u0301", "Topic") == "Củ chí"  # NFC


@pytest.mark.parametrize("store", [
    lambda db: bulletins.add_bulletin(db, title="Tin", text="Nội dung", topic="cchc\x00", now=NOW, actor=OFFICER),
    lambda db: bulletins.update_bulletin(
        db, bulletins.add_bulletin(db, title="Tin", text="Nội dung", now=NOW, actor=OFFICER),
        topic="thôn\x1b", actor=OFFICER, now=NOW),
    lambda db: targets.add_target(db, LEADER, topic="cchc\x0b", period="month", minimum=1, now=NOW),
    lambda db: targets.add_target(db, LEADER, topic="cchc", period="month", minimum=1, note="ghi\x00", now=NOW),
    lambda db: lexicon.set_entry(db, "UBND\x00", "ủy ban", now=NOW, actor=OFFICER),
    lambda db: lexicon.set_entry(db, "UBND", "\x00", now=NOW, actor=OFFICER),
    lambda db: slots.add_slot(db, at="06:00", days="daily", name="Sáng\x00", now=NOW, actor=OFFICER),
    lambda db: radio_settings.save(db, "station_name", "Xã\x1b Minh", actor=ADMIN, now=NOW),
    lambda db: bulletins.return_bulletin(
        db, bulletins.add_bulletin(db, title="Tin", text="Nội dung", now=NOW, actor=OFFICER),
        actor=LEADER, reason="sai\x00", now=NOW),
])
def test_every_stored_field_refuses_them_and_writes_nothing(fresh_db, store):
    before = {t: fresh_db[t].count for t in ("bulletins", "targets", "lexicon", "slots", "settings")}
    with pytest.raises(ValidationError, match="control character"):
        store(fresh_db)
    after = {t: fresh_db[t].count for t in before}
    assert after["targets"] == before["targets"] and after["lexicon"] == before["lexicon"]
    assert after["slots"] == before["slots"] and after["settings"] == before["settings"]
    assert not fresh_db.execute("SELECT 1 FROM bulletins WHERE instr(topic, char(0)) OR "
                                "instr(coalesce(return_reason, ''), char(0))").fetchone()


def test_an_old_database_holding_them_still_exports(db, tmp_path):
    """Stored before the check: a NUL and a quote in a typed topic broke every CSV
    export (labels were SQL literals), a control character in a target's topic the Word one."""
    for topic in ("thôn\x00một", "o'clock", "tổ\x1bdân"):
        db.execute("INSERT INTO bulletins (title, text, status, text_sha256, created_at, topic) "
                   "VALUES ('Tin', 'Nội dung', 'draft', ?, '2026-11-01', ?)", ["0" * 64, topic])
        log_occurrence(db, datetime(2026, 11, 3, 5, 30, tzinfo=STATION_TZ), topic=topic)
    db.execute("INSERT INTO targets (topic, period, minimum, created_at) VALUES ('cchc\x1b', 'month', 1, '2026')")
    db.execute("UPDATE settings SET value = 'Xã\x01 Minh Đức' WHERE name = 'station_name'")
    period = periods.parse("2026-11")
    out = io.StringIO()
    assert csv_export.write(db, out, period) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    # SQLite's printf() stops at a NUL: the cell is cut there, the export goes on
    assert [r["Chủ đề"] for r in rows[:3]] == ["Thôn", "O'clock", "Tổ\x1bdân"]
    docx_export.write(db, tmp_path / "r.docx", period, now=NOW,
                      settings=SETTINGS | {"station_name": "Xã\x01 Minh Đức", "report_signer": "An\x00"})
    assert "Xã Minh Đức" in "\n".join(p.text for p in Document(tmp_path / "r.docx").paragraphs)
    xlsx_export.write(db, tmp_path / "r.xlsx", period, now=NOW, station_name="Xã\x01 Minh Đức")
    assert load_workbook(tmp_path / "r.xlsx").sheetnames


def test_xml_safe_drops_only_what_xml_cannot_hold():
    assert xml_safe("a\x00b\tc\nd\x1be\ufffe") == "ab\tc\nde"
    assert xml_safe(5) == 5

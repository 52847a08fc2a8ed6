"""Long lists are cut into pages in SQL: the right rows, the right totals, bad page numbers refused."""

from datetime import UTC, datetime, timedelta

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.store import paging
from radio.proof import log as prooflog
from radio.errors import ValidationError
from tests.support.actors import LEADER, OFFICER

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _log(db, count, status="aired"):
    for i in range(count):
        when = NOW + timedelta(minutes=i)
        prooflog.append(db, prooflog.Entry(key=f"k{status}{i}", scheduled_at=when, status=status,
                                           items=[prooflog.LoggedItem(1, None, f"Tin {i}")]), now=when)


def test_bulletin_pages_are_newest_first_and_filtered(fresh_db):
    for i in range(7):
        bulletins.add_bulletin(fresh_db, title=f"Tin {i}", text="Nội dung", now=NOW, actor=OFFICER)
    bulletins.approve_bulletin(fresh_db, 2, now=NOW, actor=LEADER, expected_sha256=None)
    first = bulletins.bulletin_page(fresh_db, page=1, per_page=3)
    assert [b["id"] for b in first] == [7, 6, 5] and first.total == 7 and first.pages == 3
    assert first.has_next and not first.has_prev and first.rows[0]["render"] is None
    last = bulletins.bulletin_page(fresh_db, page=99, per_page=3)  # past the end: the last page
    assert last.number == 3 and [b["id"] for b in last] == [1]
    approved = bulletins.bulletin_page(fresh_db, status="approved", per_page=3)
    assert [b["id"] for b in approved] == [2] and approved.total == 1
    assert approved.rows[0]["render"]["state"] == "pending"


def test_log_pages_carry_their_items_and_filter_by_status(fresh_db):
    _log(fresh_db, 5)
    _log(fresh_db, 2, status="missed")
    page = prooflog.entry_page(fresh_db, page=2, per_page=3)
    assert page.total == 7 and page.pages == 3
    # newest scheduled first; a tie on the time goes to the later row
    assert [r["key"] for r in page] == ["kmissed1", "kaired1", "kmissed0"]
    assert [it["title"] for it in page.rows[1]["items"]] == ["Tin 1"]
    missed = prooflog.entry_page(fresh_db, status="missed")
    assert missed.total == 2
    with pytest.raises(ValidationError, match='Unknown log status "played"'):
        prooflog.entry_page(fresh_db, status="played")


def test_entries_of_a_long_log_are_read_in_chunks(fresh_db):
    _log(fresh_db, 1200)  # more ids than one IN (...) list holds comfortably
    rows = prooflog.entries(fresh_db)
    assert len(rows) == 1200 and all(len(r["items"]) == 1 for r in rows)


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5"])
def test_bad_page_numbers_are_refused(value):
    with pytest.raises(ValidationError, match="is not a whole number"):
        paging.page_number(value)


def test_page_size_is_bounded(fresh_db):
    with pytest.raises(ValidationError, match="from 1 to 500"):
        bulletins.bulletin_page(fresh_db, per_page=501)

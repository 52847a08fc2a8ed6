"""A station's chain checked entry by entry: what passes, and each way of breaking it named."""

import pytest

from radio.hub import chain
from radio.proof.chain.hashing import GENESIS
from tests.support.station_log import FakeLog

pytestmark = pytest.mark.timeout(30)


def check(entry, *, head=(0, GENESIS), **known):
    row, items = entry
    return chain.check("XA01", row, items, head_id=head[0], head_hash=head[1], **known)


def test_entries_chained_from_the_start_pass_and_move_the_head():
    log = FakeLog("XA01")
    first, second = log.append(), log.append()
    assert check(first) == chain.Check(chain.OK, (), advances=True)
    assert check(second, head=(1, first[0]["hash"])) == chain.Check(chain.OK, (), advances=True)


def test_an_entry_changed_after_it_was_hashed_is_an_edit_and_the_chain_goes_on():
    log = FakeLog("XA01")
    first = log.append()
    row, items = log.append()
    edited = ({**row, "status": "failed"}, items)
    found = check(edited, head=(1, first[0]["hash"]))
    assert found.verdict == chain.EDITED and found.advances
    assert [(p.kind, p.ref) for p in found.problems] == [("edit", "edit:2")]
    assert "entry 2's content does not match its hash" in found.problems[0].detail
    # an item changed is an edit too
    items_changed = (row, [{**items[0], "title": "Tin khác"}])
    assert check(items_changed, head=(1, first[0]["hash"])).verdict == chain.EDITED


def test_entries_missing_before_one_are_a_gap_naming_them():
    log = FakeLog("XA01")
    first = log.append()
    later = log.append(skip=2)  # ids 2 and 3 never sent
    found = check(later, head=(1, first[0]["hash"]))
    assert found.verdict == chain.AFTER_GAP and found.advances
    assert [(p.kind, p.detail) for p in found.problems] == [("gap", "entries 2–3 never arrived before entry 4")]
    one = FakeLog("XA02")
    one.append()
    assert check(one.append(skip=1), head=(1, one.entries[0][0]["hash"])).problems[0].detail == \
        "entry 2 never arrived before entry 3"


def test_a_first_entry_that_is_not_the_first_is_a_gap():
    log = FakeLog("XA01")
    found = check(log.append(skip=4))
    assert found.problems[0].kind == "gap" and "entries 1–4" in found.problems[0].detail


def test_an_entry_following_another_hash_is_a_fork():
    log = FakeLog("XA01")
    log.append()
    second = log.append()
    found = check(second, head=(1, "9" * 64))
    assert found.verdict == chain.FORKED and found.advances
    assert found.problems[0].kind == "fork" and "follows hash" in found.problems[0].detail
    assert check(FakeLog("XA02").append(), head=(0, GENESIS)).verdict == chain.OK


def test_the_same_entry_again_is_a_duplicate_and_another_hash_for_it_a_fork():
    log = FakeLog("XA01")
    first = log.append()
    assert check(first, head=(1, first[0]["hash"]), held_hash=first[0]["hash"]) == chain.Check(chain.DUPLICATE)
    other = FakeLog("XA01")
    rewritten = other.append(title="Lịch sử viết lại")
    found = check(rewritten, head=(1, first[0]["hash"]), held_hash=first[0]["hash"])
    assert found.verdict == chain.FORKED and not found.advances
    assert found.problems[0].kind == "fork" and "came again with another hash" in found.problems[0].detail


def test_an_entry_filling_a_gap_late_is_checked_against_its_neighbours():
    log = FakeLog("XA01")
    first, second, third = log.append(), log.append(), log.append()
    late = check(second, head=(3, third[0]["hash"]), before_hash=first[0]["hash"], after_prev=third[0]["prev_hash"])
    assert late == chain.Check(chain.LATE)
    wrong = check(second, head=(3, third[0]["hash"]), before_hash="1" * 64)
    assert wrong.problems[0].kind == "fork" and not wrong.advances
    assert check(second, head=(3, third[0]["hash"]), after_prev="2" * 64).problems[0].kind == "fork"

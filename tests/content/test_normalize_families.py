"""The seven families of the speech second pass, scored like the other
sentence tests (exact spoken form), plus what must never reach the engine
from any of them.  The sentences are in family_sentences.py."""

import re

import pytest

from content.contacts import WORD_READINGS
from content.normalize import normalize
from content.spelling import is_syllable_run, spell
from tests.content.family_sentences import ADDRESSES, FAMILIES

CASES = [(family, written, spoken) for family, pairs in FAMILIES.items() for written, spoken in pairs]
#: Consonant letter names: two of them in a row is a token spelled out.
LETTER_NAMES = r"(?:bê|xê|dê|đê|ép|giê|hát|ca|e lờ|em mờ|en nờ|pê|qui|e rờ|ét|tê|vê kép|vê|ích|dét|i dài)"
SPELLED_RUN = re.compile(rf"(?<!\w){LETTER_NAMES}(?: {LETTER_NAMES})+(?!\w)")
#: Abbreviations with no Vietnamese word, spelled on purpose in the sentences.
SPELLED_ON_PURPOSE = {"NPK"}


def test_every_family_has_twenty_sentences():
    assert len(FAMILIES) == 7
    for family, pairs in FAMILIES.items():
        assert len(pairs) >= 20, family
        assert len({w for w, _ in pairs}) == len(pairs), family


@pytest.mark.parametrize(("family", "written", "spoken"), CASES)
def test_family_sentence(family, written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize(("family", "written", "spoken"), CASES)
def test_nothing_unread_reaches_the_engine(family, written, spoken):
    out = normalize(written)
    assert not re.search(r"[0-9/%]", out), out
    caps = [t for t in re.findall(r"[^\W\d_]+", out) if len(t) > 1 and t.isupper()]
    assert not caps, caps


@pytest.mark.parametrize(("family", "written", "spoken"),
                         [c for c in CASES if c[0] != "web and e-mail"])
def test_no_word_is_spelled_letter_by_letter(family, written, spoken):
    if SPELLED_ON_PURPOSE & set(re.findall(r"\w+", written)):
        pytest.skip("spells an abbreviation that has no Vietnamese word")
    assert not SPELLED_RUN.search(normalize(written))


@pytest.mark.parametrize(("written", "spoken"), ADDRESSES)
def test_address_parts_are_words_or_spelled(written, spoken):
    """No part of an address becomes an invented Vietnamese-looking syllable."""
    out = normalize(written)
    address = re.search(r"\S+[@.]\S+", written).group(0).rstrip(".")
    for part in re.findall(r"[A-Za-z]+", re.sub(r"^https?://", "", address)):
        lower = part.lower()
        if lower in WORD_READINGS:
            assert WORD_READINGS[lower] in out
        elif is_syllable_run(lower):
            assert lower in out.split()
        else:
            assert spell(part) in out, part


def test_abbreviation_in_an_address_is_spelled_not_expanded():
    out = normalize("Hộp thư pccc@gmail.com")
    assert "phòng cháy" not in out and "pê xê xê xê" in out



@pytest.mark.parametrize(("written", "spoken"), [
    ("Xử lý lần vi phạm thứ hai.", "Xử lý lần vi phạm thứ hai."),
    ("Khu vực xi măng Tân Quang.", "Khu vực xi măng Tân Quang."),
    ("Học sinh lớp 10A nghỉ học.", "Học sinh lớp mười a nghỉ học."),
    ("Tivi 4K tặng hộ nghèo.", "Tivi bốn ca tặng hộ nghèo."),
    ("Ưu tiên nhu cầu 1/2 số hộ.", "Ưu tiên nhu cầu một phần hai số hộ."),
    ("Thông báo số 45 TB-UBND.", "Thông báo số bốn mươi lăm thông báo, Ủy ban nhân dân."),
    ("từ 15 -20/12", "từ mười lăm đến ngày hai mươi tháng mười hai"),
])
def test_family_rules_do_not_fire_where_they_do_not_belong(written, spoken):
    assert normalize(written) == spoken

"""The shipped lexicon and station overrides."""

import unicodedata

from content.lexicon import load_lexicon, parse_lexicon
from content.normalize import normalize


def test_shipped_data_loads_with_core_entries():
    lexicon = load_lexicon()
    assert len(lexicon) >= 150
    assert lexicon["UBND"] == "Ủy ban nhân dân"
    assert lexicon["CCHC"] == "cải cách hành chính"
    assert lexicon["NQ-CP"].startswith("nghị quyết")


def test_overrides_win_and_add():
    lexicon = load_lexicon({"UBND": "uỷ ban", "Thạch Hà": "Thạch Hà"})
    assert lexicon["UBND"] == "ủy ban"
    assert "Thạch Hà" in lexicon
    assert load_lexicon()["UBND"] == "Ủy ban nhân dân"  # shipped data untouched


def test_keys_are_canonical_for_nfd_and_tone_placement():
    nfd_key = unicodedata.normalize("NFD", "Hoà Bình")
    lexicon = load_lexicon({nfd_key: "hòa bình quê tôi"})
    assert "Hòa Bình" in lexicon
    assert normalize("Hoà Bình", lexicon={nfd_key: "hòa bình quê tôi"}) == "hòa bình quê tôi"
    assert normalize("Hòa Bình", lexicon={"Hoà Bình": "x y"}) == "x y"


def test_parse_skips_comments_and_malformed_lines():
    assert parse_lexicon("# c\n\nA\tá\nbroken line\n\tno key\nB\t\n") == {"A": "á"}


def test_override_beats_shipped_entry_in_normalize():
    assert normalize("UBND xã", lexicon={"UBND": "ủy ban"}) == "ủy ban xã"

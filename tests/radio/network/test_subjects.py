"""The layout's names: station codes are one spelling, every subject is built from them, and a
station's permissions name its own subjects only."""

import pytest

from radio.errors import ValidationError
from radio.network import subjects


@pytest.mark.parametrize("code", ["AB", "XA-01", "HA_NOI_1", "A" * 32, "0123"])
def test_a_code_of_upper_case_letters_digits_dash_and_underscore_is_valid(code):
    assert subjects.validate_code(code) == code


@pytest.mark.parametrize("code", ["", "A", "A" * 33, "ab", "Ab", "A.B", "A*", "A>", "A B", "XÃ", "A\n", None, 12])
def test_a_code_that_is_not_one_subject_token_in_upper_case_is_refused(code):
    with pytest.raises(ValidationError):
        subjects.validate_code(code)
    assert not subjects.is_code(code)


def test_a_typed_code_is_normalised_before_it_is_checked():
    assert subjects.normalise_code("  xa-01 ") == "XA-01"
    with pytest.raises(ValidationError):
        subjects.normalise_code("xa.01")


def test_each_name_is_built_from_the_code():
    assert subjects.down_subject("XA01", "bulletin") == "radio.down.XA01.bulletin"
    assert subjects.up_subject("XA01", "proof") == "radio.up.XA01.proof"
    assert subjects.station_down_filter("XA01") == "radio.down.XA01.>"
    assert subjects.station_up_filter("XA01") == "radio.up.XA01.>"
    assert subjects.consumer_name("XA01") == "station-XA01"
    assert subjects.inbox_prefix("XA01") == "_INBOX_XA01"
    assert (subjects.DOWN_STREAM, subjects.DOWN_SUBJECTS) == ("RADIO_DOWN", "radio.down.>")
    assert (subjects.UP_STREAM, subjects.UP_SUBJECTS) == ("RADIO_UP", "radio.up.>")
    assert subjects.UP_KINDS == ("proof", "heartbeat", "ack")


@pytest.mark.parametrize("kind", ["", "Bulletin", "a.b", "*", ">", "a b"])
def test_a_down_kind_is_one_lower_case_token(kind):
    with pytest.raises(ValidationError):
        subjects.down_subject("XA01", kind)


def test_an_up_kind_is_one_of_the_three():
    for kind in subjects.UP_KINDS:
        subjects.up_subject("XA01", kind)
    with pytest.raises(ValidationError):
        subjects.up_subject("XA01", "bulletin")
    with pytest.raises(ValidationError):
        subjects.up_subject("xa01", "proof")


def test_a_subject_is_parsed_back_and_one_outside_the_layout_is_refused():
    assert subjects.parse_subject("radio.up.XA01.proof") == ("up", "XA01", "proof")
    assert subjects.parse_subject("radio.down.XA01.bulletin") == ("down", "XA01", "bulletin")
    for subject in ["radio.up.XA01.bulletin", "radio.up.xa01.proof", "radio.up.XA01.proof.extra",
                    "radio.up.XA01", "radio.sideways.XA01.proof", "other.up.XA01.proof", "", None]:
        with pytest.raises(ValidationError):
            subjects.parse_subject(subject)


def test_a_stations_permissions_are_its_own_subjects_and_nothing_else():
    permissions = subjects.station_permissions("XA01")
    assert permissions == {
        "pub": {"allow": ["radio.up.XA01.>",
                          "$JS.API.CONSUMER.MSG.NEXT.RADIO_DOWN.station-XA01",
                          "$JS.API.CONSUMER.INFO.RADIO_DOWN.station-XA01",
                          "$JS.ACK.RADIO_DOWN.station-XA01.>"]},
        "sub": {"allow": ["_INBOX_XA01.>"]},
    }


def test_no_permission_reaches_past_the_stations_own_names():
    """Every allowed subject carries the code as a whole token, and no wildcard stands before it."""
    for code in ["XA01", "XA", "X-1"]:
        allowed = [s for side in subjects.station_permissions(code).values() for s in side["allow"]]
        for subject in allowed:
            tokens = subject.split(".")
            own = [i for i, t in enumerate(tokens) if t in (code, f"station-{code}", f"_INBOX_{code}")]
            assert own, subject
            assert not {"*", ">"} & set(tokens[:own[0]]), subject
            assert "*" not in tokens

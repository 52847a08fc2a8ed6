"""Every reason code is said in both languages, with its parameters, from the same entry."""

import string

import pytest

from radio.schedule.plan import LEFT_OUT_PREFIX
from radio.wording import reasons
from radio.wording.messages import vi_reason
from radio.wording.reasons import TEMPLATES, Reason, reason

#: codes whose words are all parameters (a failure is its stage and cause; a library's
#: message is its own text): the same in both languages once their parameters are said
PASS_THROUGH = {"failure", "failed_tries", "where", "message", "output_message"}
#: parameters that are reasons themselves
NESTED = {
    "stage": reason("stage_play"), "cause": reason("cause_disk_full", where=reason("where", path="/srv/a")),
    "failure": reason("failure", stage=reason("stage_claim"), cause=reason("cause_database_locked")),
    "span": reason("tries", count=3, first="08:00:00", last="08:01:00"),
    "heard": reason("heard_of", seconds=1.5, programme_seconds=3.0),
    "life": reason("last_life", at="08:00:02"), "where": reason("where", path="/srv/a"),
}


def fields(template: str) -> dict[str, str]:
    """The parameters of *template* and their format specs."""
    return {name: spec for _, name, spec, _ in string.Formatter().parse(template) if name}


def example(code: str) -> Reason:
    english, vietnamese = TEMPLATES[code]
    params = {}
    for name, spec in {**fields(english), **fields(vietnamese)}.items():
        if name in NESTED:
            params[name] = NESTED[name]
        elif spec.endswith("f"):
            params[name] = 12.5
        elif name in ("count", "bulletin_id"):
            params[name] = 7
        elif name in ("since", "until"):
            params[name] = "23/11/2026 08:00:00"
        else:
            params[name] = [4, 9] if name == "bulletins" else "the disk is full" if name == "text" else "08:00:00"
    return Reason(code, params)


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_code_is_said_in_both_languages(code):
    part = example(code)
    english, vietnamese = part.english(), reasons.say(part, reasons.VI)
    assert english and vietnamese
    assert "{" not in english + vietnamese and "}" not in english + vietnamese
    # the same parameters in both: neither language leaves one out
    assert set(fields(TEMPLATES[code][0])) == set(fields(TEMPLATES[code][1])), code
    if code not in PASS_THROUGH:
        assert vietnamese != english, code


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_code_comes_back_from_its_stored_form(code):
    part = example(code)
    (back,) = reasons.from_json(reasons.to_json([part]))
    assert back == part and back.english() == part.english()


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError):
        Reason("no_such_code")


def test_numbers_take_a_decimal_comma_in_vietnamese():
    part = reason("output_stopped", seconds=1.5, cause=reason("cause_unknown"))
    assert part.english() == "the output stopped after 1.5 s: unknown cause"
    assert reasons.say(part, reasons.VI) == "đường phát dừng sau 1,5 giây: không rõ nguyên nhân"


def test_a_row_is_its_parts_joined_and_its_vietnamese_comes_from_the_codes():
    parts = [reason("late_start", late_s=90.0),
             reason("after_failed_tries", count=3, at="08:00:00", failure=NESTED["failure"])]
    english = reasons.english(parts)
    assert english == ("started 90 s late; after 3 failed tries, the first at 08:00:00: could not claim "
                       "the slot in the log: the database was locked by another program for too long")
    assert reasons.shown(english, reasons.to_json(parts)) == (
        "bắt đầu muộn 90 giây; sau 3 lần thử không thành, lần đầu lúc 08:00:00: không ghi được lượt phát "
        "vào nhật ký: cơ sở dữ liệu bị một chương trình khác khóa quá lâu")


def test_a_row_written_before_codes_is_rephrased_from_its_english():
    assert reasons.shown("started 90 s late") == "bắt đầu muộn 90 giây"


def test_a_reason_the_english_rephrasing_never_knew_is_vietnamese_from_its_code():
    part = reason("suspended", late_s=900.0)
    assert reasons.shown(part.english()) == part.english()  # the old way: left in English
    assert reasons.shown(part.english(), reasons.to_json([part])).startswith("đài bị tạm ngưng")


def test_a_library_message_inside_a_reason_keeps_its_own_wording():
    part = reasons.message("no approved bulletin for this slot")
    assert reasons.say(part, reasons.VI) == "không có bản tin đã duyệt cho khung giờ này"


def test_codes_that_do_not_make_the_hashed_english_are_not_said():
    forged = reasons.to_json([reason("station_stopped")])
    assert reasons.shown("started 90 s late", forged) == "bắt đầu muộn 90 giây"  # from the English
    assert reasons.shown("started 90 s late", '[{"code": "gone", "params": {}}]') == "bắt đầu muộn 90 giây"


def test_a_cancellation_with_bulletins_left_out_begins_as_the_health_check_looks_for():
    # the alert's SQL matches this prefix
    assert reason("left_out").english() == LEFT_OUT_PREFIX


def test_bulletin_ids_are_listed_in_each_language():
    part = reason("repeats_used_up", bulletins=[4, 9])
    assert part.english() == "every approved bulletin for this slot has used up its repeats (#4, #9)"
    assert reasons.say(part, reasons.VI).endswith("(bản tin số 4, bản tin số 9)")


LOCKED_CLAIM = reason("failure", stage=reason("stage_claim"), cause=reason("cause_database_locked"))
#: whole rows the daemon writes, as the English rephrasing said them before codes
ROWS = [
    [reason("failed_tries", failure=reason("failure", stage=reason("stage_play"), cause=reason(
        "cause_read_only_output", where=reason("where", path="/srv/aired"))),
        span=reason("tries", count=5, first="08:00:00", last="08:02:00"))],
    [reason("failed_tries", failure=LOCKED_CLAIM, span=reason("one_try", at="08:00:00"))],
    [reason("late_start", late_s=90.0), reason("after_failed_tries", count=3, at="08:00:00", failure=LOCKED_CLAIM)],
    [reason("output_stopped", seconds=1.5, cause=reason("output_message",
                                                        text="the recording was deleted during the play"))],
    [reason("process_died_on_air", heard=reason("heard_of", seconds=1.9, programme_seconds=3.0),
            life=reason("last_life", at="08:00:02")), reason("sound_broke", count=2)],
    [reason("air_job_died_after_whole", heard=reason("heard_of", seconds=2.2, programme_seconds=2.2), life=None)],
    [reason("dead_air", seconds=20.0, at="08:00:01"), reason("sound_broke_once")],
    [reason("away_from", since="23/11/2026 08:00:00", until="23/11/2026 11:00:00")],
    [reason("left_out"), reason("bulletin_why", bulletin_id=5, why=reasons.message("speech not rendered yet"))],
    [reason("repeats_used_up", bulletins=[4, 9])],
    [reason("no_longer_scheduled")],
    [reason("bulletin_left_out", bulletin_id=5, why=reasons.message("speech still rendering at the cut-off")),
     reason("ident_left_out", why=reasons.message("ident file is missing"))],
    [reason("urgent_interrupted", bulletin_id=12), reason("air_job_died_before_output")],
]


@pytest.mark.parametrize("parts", ROWS, ids=lambda parts: parts[0].code)
def test_rows_read_as_before_in_vietnamese(parts):
    """The codes say a row in Vietnamese as the rephrasing of its English did."""
    english = reasons.english(parts)
    assert reasons.vietnamese(parts) == vi_reason(english)

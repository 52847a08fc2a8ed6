"""normalize() must never raise and must keep the line contract on any str.

Line contract: ``len(normalize(t).split("\\n")) == len(t.split("\\n"))``;
"\\r" (as in "\\r\\n") and other line-break characters are spaces inside a
line, so they never add or remove lines.
"""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from content.normalize import analyse, normalize
from content.unsure import KINDS

ADMIN_ALPHABET = st.sampled_from(
    list("0123456789./,-–:;%()[]*&@+hđ°²\n\r\t ")
    + ["UBND", "KH", "Quý ", "IV", "thứ ", "mức độ ", "ngày ", "tháng ", "số ", "gọi ",
       "Ủy", "Uỷ", "hoà", "\u0301", "\u2028", "\x0c", "www.", ".gov.vn", "m2", "km/h", "VNĐ"]
)
admin_like_text = st.lists(ADMIN_ALPHABET, max_size=40).map("".join)


def _check(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    assert len(out.split("\n")) == len(text.split("\n"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
@example("1/2/3/4/5")
@example("99999999999999999999")
@example("--")
@example("...")
@example("\r\n\r\n")
@example("a\u2028b\x0bc\x85d")
@example("")
@example("\n")
@example("1.2.3.4.5.6.7.8.9,1,2,3")
@example("０１２３ ٣٤")
def test_any_unicode_text(text):
    _check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(admin_like_text)
def test_admin_like_punctuation_mixes(text):
    _check(text)


def test_crlf_lines_are_kept():
    assert normalize("UBND\r\nxã\r\n") == "Ủy ban nhân dân\nxã\n"


#: Pieces the second-pass families look for: units, Roman numerals, clock
#: times with seconds, durations, ranges, money, signs, addresses, slips.
FAMILY_ALPHABET = st.sampled_from(
    list("0123456789./,-–−:;%$€£¥₫°@ \n")
    + ["kV", "kWh", "Hz", "mA", "GB", "Mbps", "mg", "ml", "IU", "tạ/ha", "kg/ha", "m³/s", "V", "W",
       "thế kỷ ", "XXI", "xvii", "phần ", "lần thứ ", "17:30:00", "3p20s", "2h30p", "45s", "5p",
       "50.000đ-", "3kg-6kg", "12/6-15/6/2024", "-2°C", "1.200.000 tỷ", "50k", "1tr5", " triệu rưỡi",
       "USD", "VND", "ubnd", "gmail.com", "www.", ".gov.vn", "UBNDxã", "BHYTtự", "đường 30/4",
       "Quảng trường ", "THCS 19/5", "xã,thôn", "gian:", ".Đề", "XKLĐ", "F0", "paracetamol",
       "ho\u0300a", "U\u0309y"]
)
family_text = st.lists(FAMILY_ALPHABET, max_size=40).map("".join)


def _check_analyse(text: str) -> None:
    analysis = analyse(text)
    assert analysis.spoken == normalize(text)
    assert len(analysis.spoken.split("\n")) == len(text.split("\n"))
    for span in analysis.unsure:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end] == span.original
        assert span.kind in KINDS


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family_text)
def test_family_passes_never_raise_and_keep_lines(text):
    _check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family_text)
@example("Ban XKLĐ\n\u2028F0 ho\u0300a")
@example("\u0301\u0301XKLĐ")
def test_analyse_offsets_lie_inside_the_text(text):
    _check_analyse(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_analyse_on_any_unicode(text):
    _check_analyse(text)

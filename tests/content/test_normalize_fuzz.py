"""normalize() must never raise and must keep the line contract on any str.

Line contract: ``len(normalize(t).split("\\n")) == len(t.split("\\n"))``;
"\\r" (as in "\\r\\n") and other line-break characters are spaces inside a
line, so they never add or remove lines.
"""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from content.normalize import normalize

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

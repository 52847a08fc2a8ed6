"""content.normalize.analyse: the spoken form plus the spans read by a guess."""

import json
import unicodedata

import pytest

from content.normalize import analyse, normalize
from tests.content.family_sentences import FAMILIES


def kinds(text, lexicon=None):
    return [(u.original, u.kind) for u in analyse(text, lexicon).unsure]


def test_spoken_is_what_normalize_says():
    text = "UBND xã thông báo\nUống 500mg paracetamol"
    assert analyse(text).spoken == normalize(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("Ban XKLĐ xã họp", [("XKLĐ", "unknown_abbreviation")]),
    ("Uống 500mg paracetamol", [("paracetamol", "foreign")]),
    ("Cách ly ca F0 tại nhà", [("F0", "code")]),
    ("Gửi về ubnd.xa@gmail.com", [("ubnd", "spelled")]),
    ("Tham gia livestream tối nay", [("livestream", "foreign")]),
])
def test_each_kind_is_reported(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "UBND xã thông báo lịch tiêm chủng ngày 26/01/2022.",
    "Kế hoạch số 26/KH-UBND, thế kỷ XXI, Quý IV/2024.",
    "KẾ HOẠCH PHÒNG CHỐNG DỊCH COVID-19",
    "Điện áp 220V, 5kWh, 50Hz, video 3p20s, vé 50k, lương 1tr5, UBNDxã, QH13, QL1A.",
    "Tra cứu tại dichvucong.gov.vn",
    "Bà con Nguyễn Văn A, thôn Nà Phặc.",
    "II. Nội dung tuyên truyền",
    "Căn cứ Kế hoạch số 99KH-UBND ngày 24/3/2023",
    "Làm việc cả T7, CN",
    "Xếp loại: Hoàn thành tốt nhiệm vụ (HTTNV).",
    "#ChuyểnĐổiSố #CCHC",
    "Xem https://dichvucong.gov.vn/p/home/dvc-trang-chu.html?id=1",
    "- Quý II/2022: Thực hiện tuyên truyền",
])
def test_confident_readings_are_not_reported(text):
    assert analyse(text).unsure == []


def test_what_it_became_is_reported():
    (span,) = analyse("Ban XKLĐ xã họp").unsure
    assert span.spoken == "ích ca e lờ đê"
    (code,) = analyse("Hộ chiếu B1234567").unsure
    assert code.spoken == "bê một hai ba bốn năm sáu bảy"


def test_a_station_entry_resolves_the_span():
    text = "Uống 500mg paracetamol. Ban XKLĐ xã họp."
    assert [k for _, k in kinds(text)] == ["foreign", "unknown_abbreviation"]
    lexicon = {"paracetamol": "pa ra xê ta môn", "XKLĐ": "xuất khẩu lao động"}
    assert analyse(text, lexicon).unsure == []
    assert "xuất khẩu lao động" in analyse(text, lexicon).spoken


def test_offsets_point_into_the_original_text_across_lines():
    text = "Dòng một\nBan XKLĐ và ca F0\n\nlivestream"
    spans = analyse(text).unsure
    assert [text[u.start:u.end] for u in spans] == ["XKLĐ", "F0", "livestream"]
    assert all(u.original == text[u.start:u.end] for u in spans)


def test_offsets_survive_decomposed_text():
    text = unicodedata.normalize("NFD", "Hòa Bình, Ủy ban xã mời ông XKLĐ")
    (span,) = analyse(text).unsure
    assert unicodedata.normalize("NFC", text[span.start:span.end]) == "XKLĐ"


def test_json_for_the_admin_editor():
    data = json.loads(json.dumps(analyse("Ban XKLĐ xã họp").to_dict()))
    assert data["spoken"] == "Ban ích ca e lờ đê xã họp"
    assert data["unsure"] == [{"start": 4, "end": 8, "original": "XKLĐ",
                               "spoken": "ích ca e lờ đê", "kind": "unknown_abbreviation"}]


def test_no_family_sentence_hides_a_guess_outside_addresses():
    """The family sentences are read with confidence, except what is
    spelled or foreign on purpose, and every such span is reported."""
    reported = {u.original for family, pairs in FAMILIES.items() for w, _ in pairs for u in analyse(w).unsure}
    assert reported == {"NPK", "paracetamol", "clip", "ubnd", "moh", "csgt", "snnptnt", "hcm", "vnpt",
                        "pccc", "vneid", "hdnd", "bch", "nchmf", "gdt", "evn", "evnnpc", "mard"}


def test_never_raises_on_odd_input():
    assert analyse(None).spoken == "None"
    assert analyse("").unsure == []

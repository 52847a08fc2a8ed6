"""Spoken forms produced by content.normalize (the problem: reading administrative
Vietnamese aloud).  Expected strings are what an announcer would say."""

import re
import unicodedata
from pathlib import Path

import pytest

from content.normalize import normalize, normalize_lines
from content.numbers import read_int

SEEDS = sorted(Path("/work/shared/seeds").glob("*.txt"))
Y2022 = "hai nghìn không trăm hai mươi hai"


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "không"), (10, "mười"), (11, "mười một"), (14, "mười bốn"), (15, "mười lăm"),
        (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"), (101, "một trăm linh một"),
        (105, "một trăm linh năm"), (110, "một trăm mười"), (1000, "một nghìn"),
        (1001, "một nghìn không trăm linh một"), (10000, "mười nghìn"), (2022, Y2022),
        (1_500_000, "một triệu năm trăm nghìn"), (1_000_000_000, "một tỷ"),
        (1_000_005, "một triệu không trăm linh năm"),
    ],
)
def test_read_int(number, spoken):
    assert read_int(number) == spoken
    assert normalize(str(number)) == spoken


CASES = [
    # numerals
    ("1.500.000", "một triệu năm trăm nghìn"),
    ("1.000.000.000", "một tỷ"),
    ("12,5 tấn", "mười hai phẩy năm tấn"),
    ("02 cuộc", "hai cuộc"),
    ("12,5%", "mười hai phẩy năm phần trăm"),
    ("tăng 5 %", "tăng năm phần trăm"),
    ("99999999999999999999", " ".join(["chín"] * 20)),
    # money and units
    ("1.500.000 đồng", "một triệu năm trăm nghìn đồng"),
    ("1.500.000đ", "một triệu năm trăm nghìn đồng"),
    ("500.000 VNĐ", "năm trăm nghìn đồng"),
    ("120 m2 và 30m²", "một trăm hai mươi mét vuông và ba mươi mét vuông"),
    ("dài 12 km, 5 ha", "dài mười hai ki lô mét, năm héc ta"),
    ("mưa 150 mm, 2 cm, 3 kg", "mưa một trăm năm mươi mi li mét, hai xen ti mét, ba ki lô gam"),
    ("nhiệt độ 35°C", "nhiệt độ ba mươi lăm độ xê"),
    ("tốc độ 60 km/h", "tốc độ sáu mươi ki lô mét trên giờ"),
    # dates
    ("ngày 26/01/2022", f"ngày hai mươi sáu tháng một năm {Y2022}"),
    ("26/01/2022", f"ngày hai mươi sáu tháng một năm {Y2022}"),
    ("ngày 5/4/2022", f"ngày năm tháng tư năm {Y2022}"),
    ("ngày 26-01-2022", f"ngày hai mươi sáu tháng một năm {Y2022}"),
    ("ngày 15/7", "ngày mười lăm tháng bảy"),
    ("tháng 01/2021", "tháng một năm hai nghìn không trăm hai mươi mốt"),
    ("tháng 4/2022", f"tháng tư năm {Y2022}"),
    ("ngày 06 tháng 04 năm 2021", "ngày sáu tháng tư năm hai nghìn không trăm hai mươi mốt"),
    ("từ 15/12/2021 đến 14/3/2022",
     "từ ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi mốt "
     f"đến ngày mười bốn tháng ba năm {Y2022}"),
    # times
    ("lúc 17h30", "lúc mười bảy giờ ba mươi"),
    ("lúc 17:30", "lúc mười bảy giờ ba mươi"),
    ("7h", "bảy giờ"),
    ("7h00 sáng", "bảy giờ sáng"),
    ("05h30", "năm giờ ba mươi"),
    ("17 giờ 30", "mười bảy giờ ba mươi"),
    ("từ 7h-11h", "từ bảy giờ đến mười một giờ"),
    # ranges and non-ranges
    ("2021 - 2030", "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm ba mươi"),
    ("2021–2030", "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm ba mươi"),
    ("5-7 người", "năm đến bảy người"),
    ("cấp 10-11", "cấp mười đến mười một"),
    ("kinh tế - xã hội", "kinh tế, xã hội"),
    ("quốc phòng – an ninh", "quốc phòng, an ninh"),
    # level lists vs decimals
    ("mức độ 3, 4", "mức độ ba, bốn"),
    ("dịch vụ công mức độ 3,4;", "dịch vụ công mức độ ba, bốn"),
    ("khoản 1,2 Điều 5", "khoản một, hai Điều năm"),
    ("mức 1,5 triệu đồng", "mức một phẩy năm triệu đồng"),
    # ordinals and weekdays
    ("thứ 2", "thứ hai"), ("thứ 4", "thứ tư"), ("lần thứ 4", "lần thứ tư"),
    ("thứ 1", "thứ nhất"), ("thứ 7, Chủ nhật", "thứ bảy, Chủ nhật"), ("hạng 1", "hạng một"),
    # Roman numerals
    ("I. MỤC ĐÍCH", "Một. Mục đích"),
    ("IV. TỔ CHỨC THỰC HIỆN", "Bốn. Tổ chức thực hiện"),
    ("Quý IV", "Quý bốn"), ("quý I", "quý một"), ("giai đoạn II", "giai đoạn hai"),
    ("Quý I/2022: Thực hiện", f"Quý một năm {Y2022}: Thực hiện"),
    ("Quý 3/2022", f"Quý ba năm {Y2022}"),
    ("uống vitamin C", "uống vitamin xê"),
    # numbered items and bullets
    ("3.1. Ban Văn hóa", "Ba chấm một. Ban Văn hóa"),
    ("1.Tuyên truyền", "Một. Tuyên truyền"),
    ("a) Nội dung", "a, Nội dung"),
    ("b. Tổ chức", "bê, Tổ chức"),
    ("- Nâng cao vai trò", "Nâng cao vai trò"),
    ("+ Tuyên truyền", "Tuyên truyền"),
    ("• Treo băng rôn", "Treo băng rôn"),
    # document numbers
    ("số 26/KH-UBND", "số hai mươi sáu, kế hoạch, Ủy ban nhân dân"),
    ("2398/QĐ-UBND", "hai nghìn ba trăm chín mươi tám, quyết định, Ủy ban nhân dân"),
    ("30/2020/NĐ-CP", "ba mươi, năm hai nghìn không trăm hai mươi, nghị định, Chính phủ"),
    ("23/CT-TTg", "hai mươi ba, chỉ thị, Thủ tướng Chính phủ"),
    ("76/NQ-CP", "bảy mươi sáu, nghị quyết, Chính phủ"),
    ("581/BNV-CCHC", "năm trăm tám mươi mốt, Bộ Nội vụ, cải cách hành chính"),
    ("05-CT/TU", "năm, chỉ thị, Tỉnh ủy"),
    ("Kế hoạch số 99KH-UBND", "Kế hoạch số chín mươi chín, kế hoạch, Ủy ban nhân dân"),
    ("Số:       /KH-UBND", "Số: kế hoạch, Ủy ban nhân dân"),
    ("Thông tư số 01/2018/TT-VPCP",
     "Thông tư số một, năm hai nghìn không trăm mười tám, thông tư, Văn phòng Chính phủ"),
    ("Hướng dẫn 25-HD/BTGTW", "Hướng dẫn hai mươi lăm, hướng dẫn, Ban Tuyên giáo Trung ương"),
    ("Luật số 15/2012/QH13", "Luật số mười lăm, năm hai nghìn không trăm mười hai, Quốc hội mười ba"),
    # ratios are not dates unless a date word precedes
    ("Có 3/5 thôn đạt chuẩn", "Có ba trên năm thôn đạt chuẩn"),
    ("từ ngày 01/3 đến 15/3", "từ ngày một tháng ba đến ngày mười lăm tháng ba"),
    # caps headings and acronyms
    ("MỤC ĐÍCH, YÊU CẦU", "Mục đích, yêu cầu"),
    ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hòa xã hội chủ nghĩa việt nam"),
    ("chỉ số ABC", "chỉ số a bê xê"),
    ("bộ phận XYZ", "bộ phận ích i dài dét"),
    ("các chỉ số PAR INDEX, PCI, PAPI", "các chỉ số pa in đéc, pê xê i, pa pi"),
    # abbreviations
    ("UBND xã", "Ủy ban nhân dân xã"),
    ("HĐND, MTTQ, CNTT", "Hội đồng nhân dân, Mặt trận Tổ quốc, công nghệ thông tin"),
    ("BHYT, BHXH, PCCC", "bảo hiểm y tế, bảo hiểm xã hội, phòng cháy chữa cháy"),
    ("Đ/c Trưởng thôn", "đồng chí Trưởng thôn"),
    ("Phòng VH&TT huyện", "Phòng Văn hóa và Thông tin huyện"),
    ("phát triển KT-XH", "phát triển kinh tế, xã hội"),
    ("TM. UBND", "thay mặt Ủy ban nhân dân"),
    ("TP. HCM", "Thành phố Hồ Chí Minh"),
    ("CBCCVC", "cán bộ, công chức, viên chức"),
    ("Văn phòng HĐND&UBND", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"),
    ("phòng chống COVID-19", "phòng chống cô vít mười chín"),
    ("cải cách hành chính (CCHC) năm", "cải cách hành chính năm"),
    # phones, URLs, e-mails
    ("gọi 0912 345 678", "gọi không chín một hai, ba bốn năm, sáu bảy tám"),
    ("SĐT 0912.345.678", "số điện thoại không chín một hai, ba bốn năm, sáu bảy tám"),
    ("số 02093.870.123", "số không hai không chín ba, tám bảy không, một hai ba"),
    ("gọi 113", "gọi một một ba"),
    ("đường dây nóng 115", "đường dây nóng một một năm"),
    ("https://dichvucong.gov.vn", "dichvucong chấm gốp chấm vê en"),
    ("www.thainguyen.gov.vn/tin", "vê kép vê kép vê kép chấm thainguyen chấm gốp chấm vê en gạch chéo tin"),
    ("ubnd@bacson.gov.vn.", "u bê en nờ dê a còng bacson chấm gốp chấm vê en."),
    # symbols and footnotes
    ("văn hóa & thể thao", "văn hóa và thể thao"),
    ("pháp luật[1] và (*) ghi chú", "pháp luật và ghi chú"),
    ("ít nhất 02 cuộc/năm", "ít nhất hai cuộc mỗi năm"),
    ("thực hiện./.", "thực hiện."),
    ("Độc lập - Tự do - Hạnh phúc", "Độc lập, Tự do, Hạnh phúc"),
]


@pytest.mark.parametrize(("written", "spoken"), CASES)
def test_spoken_form(written, spoken):
    assert normalize(written) == spoken


SEED_SENTENCES = [
    ("Căn cứ Kế hoạch số 05/KH-UBND, ngày 05/01/2022 của UBND huyện Định Hóa",
     "Căn cứ Kế hoạch số năm, kế hoạch, Ủy ban nhân dân, ngày năm tháng một năm "
     f"{Y2022} của Ủy ban nhân dân huyện Định Hóa"),
    ("Thực hiện Kế hoạch số 26/KH-UBND ngày 26 tháng 01 năm 2022 của UBND huyện Bắc Sơn",
     "Thực hiện Kế hoạch số hai mươi sáu, kế hoạch, Ủy ban nhân dân ngày hai mươi sáu tháng một năm "
     f"{Y2022} của Ủy ban nhân dân huyện Bắc Sơn"),
    ("theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ",
     "theo Nghị quyết số bảy mươi sáu, nghị quyết, Chính phủ ngày mười lăm tháng bảy năm "
     "hai nghìn không trăm hai mươi mốt của Chính phủ"),
    ("- Quý II/2022: Thực hiện tuyên truyền",
     f"Quý hai năm {Y2022}: Thực hiện tuyên truyền"),
    ("giải quyết TTHC mức độ 3,4", "giải quyết thủ tục hành chính mức độ ba, bốn"),
    ("Thời gian thực hiện: Từ tháng 01/2021 đến tháng 12/2021.",
     "Thời gian thực hiện: Từ tháng một năm hai nghìn không trăm hai mươi mốt đến tháng mười hai "
     "năm hai nghìn không trăm hai mươi mốt."),
    ("- TT Đảng ủy-TT HĐND xã;", "thường trực Đảng ủy, thường trực Hội đồng nhân dân xã"),
    ("Thống kê: 122.397", "Thống kê: một trăm hai mươi hai nghìn ba trăm chín mươi bảy"),
]


@pytest.mark.parametrize(("written", "spoken"), SEED_SENTENCES)
def test_seed_sentences(written, spoken):
    assert normalize(written) == spoken


def test_nfd_input_is_read_like_nfc():
    text = "Ủy ban nhân dân xã Định Hóa ngày 26/01/2022"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text)


@pytest.mark.parametrize(("old", "new"), [("Ủy", "Uỷ"), ("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ")])
def test_both_tone_placements_give_one_spelling(old, new):
    assert normalize(new) == normalize(old) == old


def test_line_count_is_preserved_and_empty_lines_stay_empty():
    text = "I. MỤC ĐÍCH\n\n- Ngày 26/01/2022\n\n\n2\r\nx"
    out = normalize(text)
    assert len(out.split("\n")) == len(text.split("\n"))
    assert out.split("\n")[1] == "" and out.split("\n")[4] == ""
    assert list(normalize_lines(["UBND", "", "5"])) == ["Ủy ban nhân dân", "", "năm"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_whole_seed_is_fully_spoken(seed):
    text = seed.read_text(encoding="utf-8")
    out = normalize(text)
    assert len(out.split("\n")) == len(text.split("\n"))
    assert not re.search(r"[0-9]", out)
    assert "/" not in out
    leftover_caps = [w for w in re.findall(r"[^\W\d_]{2,}", out) if w.isupper()]
    assert leftover_caps == []


def test_normaliser_modules_stay_pure():
    """content/ must not import radio, audio or web, nor touch a database."""
    modules = ["normalize", "numbers", "dates", "document_numbers", "quantities", "contacts",
               "structure", "cleanup", "spelling", "unicode_forms", "lexicon"]
    root = Path(__file__).resolve().parents[2] / "content"
    for name in modules:
        source = (root / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(radio|audio|web|sqlite)", source, re.M), name

"""Each export read back by an independent reader: csv (with the BOM), openpyxl, python-docx."""

import csv
import hashlib
import io
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from radio import settings as radio_settings
from radio.clock import STATION_TZ
from radio.reports import csv_export, docx_export, periods, xlsx_export
from radio.reports.rows import head
from tests.support.proof import log_occurrence

NOW = datetime(2026, 12, 20, 9, 0, tzinfo=STATION_TZ)
SETTINGS = {s.name: s.default for s in radio_settings.SETTINGS} | {
    "report_number": "27", "report_signer": "Nguyễn Văn An", "report_place": "Minh Đức"}


def local(y, m, d, hh=5, mm=30):
    return datetime(y, m, d, hh, mm, tzinfo=STATION_TZ)


@pytest.fixture
def logged(db):
    log_occurrence(db, local(2026, 10, 1), title="=HYPERLINK(\"http://x\")")
    log_occurrence(db, local(2026, 11, 3), title="Dịch vụ công trực tuyến mức độ 4", items=2)
    log_occurrence(db, local(2026, 11, 14, 23, 59), status="partial")
    log_occurrence(db, local(2026, 11, 15, 0, 0), status="missed")
    log_occurrence(db, local(2026, 12, 1, 0, 5), topic="nongnghiep", title="+Lịch tiêm phòng")
    return db


def test_csv_vietnamese_with_bom_neutralised_and_chain_head(logged, tmp_path):
    path = tmp_path / "q4.csv"
    assert csv_export.write(logged, path, periods.parse("2026-Q4")) == 6
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:5] == ["Mã buổi phát", "Khóa", "Loại", "Khung giờ", "Giờ theo lịch (giờ Việt Nam)"]
    by = [dict(zip(header, r)) for r in data]
    assert by[0]["Tiêu đề"] == "'=HYPERLINK(\"http://x\")" and by[-1]["Tiêu đề"] == "'+Lịch tiêm phòng"
    assert [r["Trạng thái"] for r in by] == ["đã phát", "đã phát", "đã phát", "phát dở", "bị lỡ", "đã phát"]
    assert by[0]["Giờ theo lịch (giờ Việt Nam)"] == "01/10/2026 05:30:00" and by[0]["Phát hết tin"] == "có"
    assert by[0]["Độ lớn (LUFS)"] == "-16.0"  # numbers are not text: left as they are
    # the station's reasons in Vietnamese, as on the log page (the log itself keeps English)
    assert [r["Lý do"] for r in by][3:5] == ["đài dừng hoạt động", "không phát được gì"]
    # the head is not a CSV row (it broke CSV readers): it is in the companion file
    count, last = head(logged).count, head(logged).hash
    assert all(len(r) == len(header) for r in data)
    companion = (tmp_path / "q4.csv.head").read_text().splitlines()
    assert companion == [f"chain_head {count}:{last}",
                         f"sha256 {hashlib.sha256(raw).hexdigest()}  q4.csv"]


def test_csv_english_keeps_the_old_columns(logged):
    out = io.StringIO()
    csv_export.write(logged, out, periods.parse("2026-11"), english=True)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[:3] == ["occurrence_id", "key", "kind"]
    assert [r["status"] for r in rows] == ["aired", "aired", "partial", "missed"]
    assert [r["reason"] for r in rows[2:4]] == ["station stopped", "nothing played"]
    assert "chain_head" not in out.getvalue()


def test_cutoff_moves_rows_between_months(logged):
    calendar = io.StringIO()
    csv_export.write(logged, calendar, periods.parse("2026-11"), english=True)
    cut = io.StringIO()
    csv_export.write(logged, cut, periods.parse("2026-11", cutoff=True), english=True)
    assert len(list(csv.DictReader(io.StringIO(calendar.getvalue())))) == 4
    # 15/10–14/11: the two items of 3/11 and the partial of 14/11 23:59
    assert len(list(csv.DictReader(io.StringIO(cut.getvalue())))) == 3


def test_xlsx_summary_detail_frozen_header_real_dates(logged, tmp_path):
    path = tmp_path / "q4.xlsx"
    progress = []
    assert xlsx_export.write(logged, path, periods.parse("2026-Q4"), now=NOW, progress=progress.append) == 6
    assert sum(progress) == 6
    wb = load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết"]
    summary = [[c for c in row] for row in wb["Tổng hợp"].iter_rows(values_only=True)]
    assert summary[0][0].startswith("Nhật ký phát") and "quý IV/2026" in summary[0][0]
    assert any(r[0] and str(r[0]).startswith("Đầu chuỗi nhật ký: 5 mục") for r in summary)
    months = [r for r in summary if isinstance(r[0], datetime)]
    assert [(r[0].month, r[2], r[3], r[4]) for r in months] == [
        (10, 1, 1, "đạt"), (11, 1, 1, "đạt"), (12, 0, 1, "có nguy cơ không đạt")]
    detail = wb["Chi tiết"]
    assert detail.freeze_panes == "A2"
    assert detail.column_dimensions["N"].width == 40
    header = [c.value for c in detail[1]]
    assert header[1] == "Giờ theo lịch (giờ Việt Nam)" and header[13] == "Tiêu đề"
    first = [c.value for c in detail[2]]
    assert first[1] == datetime(2026, 10, 1, 5, 30) and detail.cell(2, 2).number_format == "dd/mm/yyyy hh:mm:ss"
    assert first[13] == "'=HYPERLINK(\"http://x\")"
    # every row keeps its own date (the styled date cells are reused while streaming)
    assert [detail.cell(r, 2).value for r in range(2, 8)] == [
        datetime(2026, 10, 1, 5, 30), datetime(2026, 11, 3, 5, 30), datetime(2026, 11, 3, 5, 30),
        datetime(2026, 11, 14, 23, 59), datetime(2026, 11, 15, 0, 0), datetime(2026, 12, 1, 0, 5)]
    assert detail.cell(6, 3).value is None  # the missed one never started
    assert [detail.cell(r, 9).value for r in (5, 6)] == ["đài dừng hoạt động", "không phát được gì"]


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_layout_of_nghi_dinh_30(logged, tmp_path):
    path = docx_export.write(logged, tmp_path / "q4.docx", periods.parse("2026-Q4", cutoff=True),
                             now=NOW, settings=SETTINGS)
    doc = Document(path)
    section = doc.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731  (stored in twips)
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(x) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                            section.right_margin)] == [20, 20, 30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14
    header = doc.tables[0]
    assert header.cell(0, 0).text.startswith("UBND XÃ MINH ĐỨC")
    assert header.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.cell(0, 1).paragraphs[0].runs[0].bold
    assert header.cell(0, 1).paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert header.cell(1, 0).text == "Số: 27/BC-UBND"
    date_line = header.cell(1, 1).paragraphs[0]
    assert date_line.text == "Minh Đức, ngày 20 tháng 12 năm 2026" and date_line.runs[0].italic
    text = _all_text(doc)
    assert "BÁO CÁO" in text
    assert ("Kết quả công tác tuyên truyền cải cách hành chính trên hệ thống loa truyền thanh quý IV/2026 "
            "(từ ngày 15/09/2026 đến ngày 14/12/2026)") in text
    assert "buổi phát dở không được tính" in text
    assert f"{head(logged).count} mục, mã băm cuối {head(logged).hash}" in text
    # it claims only what holds: detection needs the head kept outside the station
    assert "mỗi dòng không thể sửa hoặc xóa mà không bị phát hiện" not in text
    assert "cần lưu giữ báo cáo này ngoài đài" in text
    assert "người nắm cả cơ sở dữ liệu và khóa ký có thể sửa nhật ký mà không bị phát hiện" in text
    body_end = [p.text for p in doc.paragraphs if p.text.strip()][-1]
    assert body_end.endswith("./")
    assert "Nơi nhận:" in text and "TM. ỦY BAN NHÂN DÂN" in text and "Nguyễn Văn An" in text
    assert len(doc.inline_shapes) == 1  # the chart
    months = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert months[0] == ["Tháng", "Chủ đề", "Số buổi phát", "Chỉ tiêu", "Kết quả"]
    # cut-off months: 3/11 is in November (15/10–14/11); nothing CCHC aired 15/11–14/12, over on 20/12
    assert months[1:] == [["10/2026", "CCHC", "1", "1", "Đạt"], ["11/2026", "CCHC", "1", "1", "Đạt"],
                          ["12/2026", "CCHC", "0", "1", "Không đạt"]]
    bulletins = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert bulletins[1][1] == "=HYPERLINK(\"http://x\")" and bulletins[1][3] == "1"
    justified = [p for p in doc.paragraphs if p.text.startswith("Đài truyền thanh")]
    assert justified and justified[0].alignment == 3  # WD_ALIGN_PARAGRAPH.JUSTIFY


# -- one export function for both faces: format dispatch and the whole-or-nothing write ----
from radio.errors import ValidationError  # noqa: E402
from radio.reports import exports  # noqa: E402


@pytest.mark.parametrize("fmt, reader", [
    ("csv", lambda p: p.read_bytes().startswith(b"\xef\xbb\xbf")),
    ("xlsx", lambda p: load_workbook(p, read_only=True).sheetnames[0] == "Tổng hợp"),
    ("docx", lambda p: any("BÁO CÁO" in par.text.upper() for par in Document(p).paragraphs)),
])
def test_export_dispatches_each_format_and_counts_its_rows(logged, tmp_path, fmt, reader):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    path = tmp_path / f"q4.{fmt}"
    done = []
    assert exports.export(logged, path, fmt, periods.parse("2026-Q4"), now=NOW, settings=SETTINGS,
                          progress=done.append) == 6
    assert reader(path) and sum(done) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name] + ([path.name + ".head"]
                                                                               if fmt == "csv" else []))


@pytest.mark.parametrize("fmt, english, message", [("pdf", False, 'Unknown export format "pdf"'),
                                                   ("xlsx", True, "CSV export only")])
def test_export_refuses_bad_requests_and_writes_nothing(logged, tmp_path, fmt, english, message):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ValidationError, match=message):
        exports.export(logged, tmp_path / "out", fmt, None, now=NOW, settings=SETTINGS, english=english)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_export_keeps_the_older_copy_whole(logged, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    path = tmp_path / "q4.xlsx"
    path.write_bytes(b"the good copy of last month")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(xlsx_export, "write", full_disk)
    with pytest.raises(OSError):
        exports.export(logged, path, "xlsx", None, now=NOW, settings=SETTINGS)
    assert path.read_bytes() == b"the good copy of last month"
    assert [p.name for p in tmp_path.iterdir()] == ["q4.xlsx"]

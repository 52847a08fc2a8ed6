"""The streaming XLSX writer, read back by openpyxl: values, real dates, styles, layout."""

from datetime import date, datetime

import openpyxl
import pytest

from radio.reports.sheet_writer import Styled, Workbook, serial, typed_row


def test_cells_read_back_with_their_types_and_styles(tmp_path):
    path = tmp_path / "out.xlsx"
    with Workbook(path) as wb:
        summary = wb.sheet("Tổng hợp", widths=[14, 40])
        summary.append([Styled("Nhật ký phát & <báo cáo>", "bold")])
        summary.append([Styled(date(2026, 11, 1), "month"), "cchc", 12, 2.5, None, True])
        summary.append(["=1+1", "a\x00b\x1fc\ttab", date(2026, 11, 30)])
        detail = wb.sheet("Chi tiết", widths=[10, 20, 30], freeze_header=True)
        detail.append([Styled("Mã", "bold"), Styled("Giờ", "bold"), Styled("Tiêu đề", "bold")])
        row = typed_row("nds")
        detail.append_typed([7, datetime(2026, 11, 22, 5, 30, 15), 'Tin "mới" <1>'], row)
        detail.append_typed([None, None, None], row)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết"]
    s = wb["Tổng hợp"]
    assert s["A1"].value == "Nhật ký phát & <báo cáo>" and s["A1"].font.b
    assert s["A2"].value == datetime(2026, 11, 1) and s["A2"].number_format == "mm/yyyy"
    assert [s["B2"].value, s["C2"].value, s["D2"].value, s["E2"].value, s["F2"].value] == ["cchc", 12, 2.5, None, True]
    assert s["A3"].value == "=1+1" and s["A3"].data_type == "s"  # text, never a formula
    assert s["B3"].value == "abc\ttab"  # characters XML cannot carry are dropped
    assert s["C3"].value == datetime(2026, 11, 30) and s["C3"].number_format == "dd/mm/yyyy"
    assert s.column_dimensions["B"].width == 40
    d = wb["Chi tiết"]
    assert d.freeze_panes == "A2" and d.column_dimensions["C"].width == 30
    assert [c.value for c in d[2]] == [7, datetime(2026, 11, 22, 5, 30, 15), 'Tin "mới" <1>']
    assert d["B2"].is_date and d["B2"].number_format == "dd/mm/yyyy hh:mm:ss"
    assert d.max_row == 3 and all(c.value is None for c in d[3])


def test_serial_is_excels_day_number():
    assert serial(date(1900, 3, 1)) == 61
    assert serial(datetime(2026, 1, 1, 12, 0)) == pytest.approx(46023.5)


def test_a_failed_export_leaves_no_half_written_claim_of_success(tmp_path):
    path = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError):
        with Workbook(path) as wb:
            wb.sheet("A").append([1])
            raise RuntimeError("disk full")
    with pytest.raises(Exception):  # noqa: B017 - any reader error: the file is not a workbook
        openpyxl.load_workbook(path)


def test_the_exports_local_times_read_back_to_the_millisecond():
    from openpyxl.utils.datetime import from_excel

    from radio.reports.xlsx_export import _local_serial
    assert _local_serial(None) is None
    # 05:31:12.345 UTC is 12:31:12.345 in Hà Nội
    assert from_excel(_local_serial("2026-11-22T05:31:12.345+00:00")) == datetime(2026, 11, 22, 12, 31, 12, 345000)
    assert from_excel(_local_serial("2026-12-31T17:00:00.000+00:00")) == datetime(2027, 1, 1, 0, 0)

"""Importing .txt and .docx bulletins."""

import docx
import pytest

from content.importers import DocumentError, read_document

TEXT = "Thông báo lịch tiêm chủng\n\nNgày 26/01/2022, Trạm Y tế xã tổ chức tiêm chủng.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom"])
def test_txt_in_every_encoding_the_office_saves(tmp_path, encoding):
    path = tmp_path / "tin.txt"
    if encoding == "utf-16-le-bom":
        path.write_bytes(b"\xff\xfe" + TEXT.encode("utf-16-le"))
    else:
        path.write_bytes(TEXT.encode(encoding))
    title, text = read_document(path)
    assert title == "Thông báo lịch tiêm chủng"
    assert text == ("Thông báo lịch tiêm chủng\n\n"
                    "Ngày 26/01/2022, Trạm Y tế xã tổ chức tiêm chủng.")


def test_windows_line_endings_and_blank_lines(tmp_path):
    path = tmp_path / "tin.txt"
    path.write_bytes("\r\n\r\n  Tiêu đề  \r\n\r\nDòng một\r\nDòng hai\r\n".encode())
    assert read_document(path) == ("Tiêu đề", "Tiêu đề\n\nDòng một\n\nDòng hai")


def test_undecodable_txt_is_a_clear_document_error(tmp_path):
    path = tmp_path / "cp1258.txt"
    path.write_bytes("Thông báo".encode("utf-8") + b"\xff\xfe\xfa")
    with pytest.raises(DocumentError, match="not UTF-8, UTF-16, Windows-1258 or TCVN3 text; save it as UTF-8"):
        read_document(path)
    assert issubclass(DocumentError, ValueError)


def test_empty_documents_are_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n \t\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no text"):
        read_document(path)
    empty_docx = tmp_path / "empty.docx"
    docx.Document().save(empty_docx)
    with pytest.raises(DocumentError, match="no text"):
        read_document(empty_docx)


def test_unknown_extension_lists_supported_ones(tmp_path):
    path = tmp_path / "tin.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(DocumentError, match=r"supported: \.txt, \.docx"):
        read_document(path)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("Kế hoạch tuyên truyền CCHC")
    document.add_paragraph("Nội dung chính như sau:")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Quý I"
    table.cell(0, 1).text = "Một cửa"
    table.cell(1, 0).text = "Quý II"
    table.cell(1, 1).text = "Dịch vụ công trực tuyến"
    document.add_paragraph("Đề nghị bà con thực hiện.")
    path = tmp_path / "ke-hoach.docx"
    document.save(path)
    title, text = read_document(path)
    assert title == "Kế hoạch tuyên truyền CCHC"
    assert text.split("\n\n") == [
        "Kế hoạch tuyên truyền CCHC", "Nội dung chính như sau:",
        "Quý I", "Một cửa", "Quý II", "Dịch vụ công trực tuyến",
        "Đề nghị bà con thực hiện."]


def test_merged_table_cells_are_read_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Gộp"
    table.cell(0, 2).text = "Riêng"
    path = tmp_path / "merged.docx"
    document.save(path)
    assert read_document(path) == ("Gộp", "Gộp\n\nRiêng")


def test_broken_docx_is_a_document_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(DocumentError, match="not a readable Word"):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nope.txt")

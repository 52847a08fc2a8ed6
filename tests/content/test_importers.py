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


# -- input that cannot crash or clog ----------------------------------------
import tracemalloc  # noqa: E402
import zipfile  # noqa: E402

from content.importers import MAX_INFLATED_BYTES, import_document  # noqa: E402

VIET = ("Thông báo: Ủy ban nhân dân xã tổ chức tiêm chủng ngày 26/01, đề nghị bà con đến đúng giờ. "
        "Người dân nghiêng ngả khuya khoắt quyết định.")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(tmp_path, encoding):
    path = tmp_path / "tin.txt"
    path.write_bytes(VIET.encode(encoding))
    document = import_document(path)
    assert document.text == VIET and document.encoding_note is None


def test_windows_1258_is_read_with_a_note(tmp_path):
    # Windows-1258 writes tones as combining marks; encode from the decomposed form, as Word does
    path = tmp_path / "tin.txt"
    path.write_bytes(_cp1258(VIET))
    document = import_document(path)
    assert document.text == VIET and "Windows-1258" in document.encoding_note


def _cp1258(text):
    """Encode as Windows-1258 does: letters with their hats precomposed, tones as combining marks."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out, cluster = bytearray(), ""
    for ch in unicodedata.normalize("NFD", text) + "\x00":
        if cluster and not unicodedata.combining(ch):
            base = unicodedata.normalize("NFC", "".join(c for c in cluster if c not in tones))
            out += base.encode("cp1258") + "".join(c for c in cluster if c in tones).encode("cp1258")
            cluster = ""
        cluster += ch
    return bytes(out)


def test_tcvn3_is_read_with_a_note(tmp_path):
    from content.decoding import _TCVN3_TABLE

    reverse = {c: n for n, c in enumerate(_TCVN3_TABLE)}
    lower = VIET.lower()
    path = tmp_path / "tin.txt"
    path.write_bytes(bytes(reverse[c] for c in lower))
    document = import_document(path)
    assert document.text == lower and "TCVN3" in document.encoding_note


def _zip_bomb(path, inflated_bytes):
    """A real .docx (Word opens it) whose document.xml inflates to *inflated_bytes* of empty paragraphs."""
    import io

    template = io.BytesIO()
    docx.Document().save(template)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(template) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>'.encode())
            block = b"<w:p/>" * (1 << 16)
            for _ in range(inflated_bytes // len(block)):
                member.write(block)
            member.write(b"<w:p><w:r><w:t>Tin</w:t></w:r></w:p></w:body></w:document>")


def test_exploit_docx_zip_bomb_is_refused_without_inflating_it(tmp_path):
    """A zip bomb is refused in little memory: 214 KB of .docx holding 51 MB of XML took 36 s and ~550 MB.

    The time is measured in benchmarks/docx_bomb.py (a few ms); here, the memory.
    """
    path = tmp_path / "bom.docx"
    _zip_bomb(path, 51 * 1024 * 1024)
    assert path.stat().st_size < 300 * 1024
    tracemalloc.start()
    with pytest.raises(DocumentError, match="inflates past 5 MB"):
        import_document(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, peak


def test_a_zip_that_lies_about_its_sizes_is_still_counted(tmp_path, monkeypatch):
    path = tmp_path / "lies.docx"
    _zip_bomb(path, 2 * MAX_INFLATED_BYTES)
    real_infolist = zipfile.ZipFile.infolist

    def lying_infolist(self):
        infos = real_infolist(self)
        for info in infos:
            info.file_size = 1  # as a crafted central directory would claim
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    # zipfile stops inflating at the declared size and then finds the CRC wrong: refused either way
    with pytest.raises(DocumentError, match="inflates past|not a readable Word"):
        import_document(path)


def test_a_long_extension_is_refused_in_one_line(tmp_path):
    path = tmp_path / ("tin." + "x" * 200)
    path.write_bytes(b"x")
    with pytest.raises(DocumentError, match=r"cannot import '\.x{9}…' files") as info:
        import_document(path)
    assert len(str(info.value)) < 200


def test_a_file_past_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    with pytest.raises(DocumentError, match="the limit is 5120 KB"):
        import_document(path)

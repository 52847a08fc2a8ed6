"""Hypothesis over the importers: any bytes as .txt, broken and odd .docx files.

Whatever the file: ``(title, text)`` with some text, or one :class:`DocumentError`
line naming the file; never another exception (which the admin would show as a 500).
"""

from __future__ import annotations

import io
import zipfile

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.importers import DocumentError, read_document

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(path):
    try:
        title, text = read_document(path)
    except DocumentError as exc:
        message = str(exc)
        assert message.startswith(path.name + ":") and "\n" not in message
        return
    assert title.strip() and text.strip() and text.startswith(title)


@FUZZ
@given(raw=st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.text(max_size=200).map(lambda t: "\ufeff".encode() + t.encode("utf-8", "surrogatepass")
                              if "\ud800" not in t else b""),
))
def test_any_bytes_as_txt(tmp_path, raw):
    path = tmp_path / "ban-tin.txt"
    path.write_bytes(raw)
    _check(path)


def _docx_bytes(paragraphs: list[str], table: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=1, cols=len(table))
        for cell, text in zip(t.rows[0].cells, table):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


XML_SAFE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@FUZZ
@given(paragraphs=st.lists(XML_SAFE, max_size=6), table=st.lists(XML_SAFE, max_size=3),
       cut=st.none() | st.integers(0, 20000), flip=st.none() | st.tuples(st.integers(0, 20000), st.integers(0, 255)))
def test_word_files_whole_truncated_or_damaged(tmp_path, paragraphs, table, cut, flip):
    raw = bytearray(_docx_bytes(paragraphs, table))
    if flip:
        raw[flip[0] % len(raw)] = flip[1]
    if cut is not None:
        raw = raw[:cut]
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(bytes(raw))
    _check(path)


@FUZZ
@given(body=st.binary(max_size=400) | XML_SAFE.map(lambda t: f"<w:document>{t}</w:document>".encode()))
def test_a_zip_with_a_strange_document_part(tmp_path, body):
    good = zipfile.ZipFile(io.BytesIO(_docx_bytes(["Thông báo"], [])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for item in good.infolist():
            z.writestr(item, body if item.filename == "word/document.xml" else good.read(item))
    path = tmp_path / "la.docx"
    path.write_bytes(buffer.getvalue())
    _check(path)

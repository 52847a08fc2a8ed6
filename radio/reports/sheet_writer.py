"""A small streaming XLSX writer: rows go straight into the zipped sheet XML.

openpyxl's write-only mode spends most of a year's export (100,000 rows, about
two million cells) building a cell object per value: some 18 s here against a
3 s target. This writer keeps only what the exports use: inline strings (no
shared-strings table, so memory stays flat however many rows), numbers, real
date and time cells with a date style, bold cells, column widths, a frozen
header row and an autofilter on it. Each sheet is written once, in order, as its
rows arrive; the workbook parts that must list the sheets are written at
:meth:`close`.

Read back by openpyxl, LibreOffice and Excel (SpreadsheetML, ECMA-376 part 1).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any

_EPOCH = datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.toordinal()
#: number formats by name; the index is the style's position in styles.xml (0 is plain)
_STYLES = ("plain", "bold", "datetime", "date", "month")
_NUM_FORMATS = {"datetime": (164, "dd/mm/yyyy hh:mm:ss"), "date": (165, "dd/mm/yyyy"), "month": (166, "mm/yyyy")}
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
#: characters XML 1.0 cannot carry at all (control characters but tab, LF, CR)
_ILLEGAL = {c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)}
_TRANSLATE = {**_ILLEGAL, **_ESCAPE}
_ROWS_PER_CHUNK = 500


@dataclass(frozen=True)
class Styled:
    """A value with a style: ``"bold"``, ``"datetime"``, ``"date"`` or ``"month"``."""

    value: Any
    style: str


def _text(value: str) -> str:
    # most cells need nothing: four substring tests are cheaper than one translate
    if "&" in value or "<" in value or ">" in value or '"' in value or not value.isprintable():
        return value.translate(_TRANSLATE)
    return value


def serial(value: datetime | date) -> float:
    """Excel's day number (1900 date system) of a naive local date or datetime."""
    if isinstance(value, datetime):
        return (value.toordinal() - _EPOCH_DAY) + (value.hour * 3600 + value.minute * 60 + value.second
                                                    + value.microsecond / 1e6) / 86400
    return float(value.toordinal() - _EPOCH_DAY)


def _cell(value: Any, style: str | None = None) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, Styled):
        return _cell(value.value, value.style)
    s = f' s="{_STYLES.index(style)}"' if style else ""
    if isinstance(value, bool):
        return f'<c t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c{s}><v>{value!r}</v></c>"
    if isinstance(value, datetime):
        return f'<c s="{_STYLES.index(style or "datetime")}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c s="{_STYLES.index(style or "date")}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, time):
        value = value.isoformat()
    return f'<c t="inlineStr"{s}><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


_TYPED_CELLS = {
    "s": "f'<c t=\"inlineStr\"><is><t xml:space=\"preserve\">{_text(v[%d])}</t></is></c>'",
    "n": "f'<c><v>{v[%d]!r}</v></c>'",
    "d": "f'<c s=\"2\"><v>{serial(v[%d])!r}</v></c>'",
    "t": "f'<c s=\"2\"><v>{v[%d]!r}</v></c>'",
}


def typed_row(kinds: str) -> Callable[[list[Any]], str]:
    """A formatter of rows whose columns have fixed types, one letter each: ``s`` text,
    ``n`` number, ``d`` datetime, ``t`` a datetime given as its :func:`serial` already;
    any value may be None (an empty cell).

    It is compiled to one expression for the row, because the per-cell dispatch of
    :meth:`SheetWriter.append` costs half the time of a two-million-cell export.
    """
    cells = [f'("<c/>" if v[{n}] is None else {_TYPED_CELLS[kind] % n})' for n, kind in enumerate(kinds)]
    code = f"lambda v: '<row>' + {' + '.join(cells) or repr('')} + '</row>'"
    return eval(code, {"_text": _text, "serial": serial})  # noqa: S307 - built from the fixed table above


def column_letter(n: int) -> str:
    """The letters of column *n* (1 is A, 27 is AA)."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class SheetWriter:
    """Rows of one sheet; get one from :meth:`Workbook.sheet`."""

    def __init__(self, stream, cell=_cell, *, autofilter: bool = False):
        self._stream = stream
        self._buffer: list[str] = []
        self._cell = cell
        self._autofilter = autofilter
        self._rows = self._columns = 0

    def append(self, values: Iterable[Any]) -> None:
        cell = self._cell
        values = list(values)
        self._rows += 1
        self._columns = max(self._columns, len(values))
        self._buffer.append("<row>" + "".join([cell(v) for v in values]) + "</row>")
        if len(self._buffer) >= _ROWS_PER_CHUNK:
            self._flush()

    def append_typed(self, values: list[Any], row: Callable[[list[Any]], str]) -> None:
        """A row of a sheet whose column types are fixed, formatted by *row* from :func:`typed_row`."""
        self._rows += 1
        self._columns = max(self._columns, len(values))
        self._buffer.append(row(values))
        if len(self._buffer) >= _ROWS_PER_CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._stream.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()

    def close(self) -> None:
        self._flush()
        end = b"</sheetData>"
        if self._autofilter and self._rows and self._columns:
            end += f'<autoFilter ref="A1:{column_letter(self._columns)}{self._rows}"/>'.encode()
        self._stream.write(end + b"</worksheet>")
        self._stream.close()


class Workbook:
    """Write ``.xlsx`` to *path*, one sheet after another::

        with Workbook(path) as wb:
            sheet = wb.sheet("Chi tiết", widths=[10, 20], freeze_header=True)
            sheet.append(["Mã", Styled(datetime.now(), "datetime")])

    :param compresslevel: zlib level of the parts (1: fast; the XML still shrinks tenfold)
    """

    def __init__(self, path: str | Path, *, compresslevel: int = 1):
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._names: list[str] = []
        self._open: SheetWriter | None = None

    def sheet(self, name: str, *, widths: list[float] = (), freeze_header: bool = False,
              autofilter: bool = False) -> SheetWriter:
        """The next sheet; *freeze_header* keeps row 1 in view, *autofilter* puts filter
        buttons on row 1 over every row and column the sheet gets."""
        if self._open:
            self._open.close()
        self._names.append(name)
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._names)}.xml", "w", force_zip64=True)
        head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
        if freeze_header:
            head.append('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
                        'sqref="A2"/></sheetView></sheetViews>')
        if widths:
            head.append("<cols>" + "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
                                           for n, w in enumerate(widths, 1)) + "</cols>")
        head.append("<sheetData>")
        stream.write("".join(head).encode("utf-8"))
        self._open = SheetWriter(stream, autofilter=autofilter)
        return self._open

    def close(self) -> None:
        if self._open:
            self._open.close()
            self._open = None
        z, names = self._zip, self._names
        sheets = range(1, len(names) + 1)
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for n in sheets) + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{_text(name[:31])}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in zip(sheets, names)) + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                      for n in sheets)
            + f'<Relationship Id="rId{len(names) + 1}" Target="styles.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
            "</Relationships>"))
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{code}"/>' for i, code in _NUM_FORMATS.values())
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
               *(f'<xf numFmtId="{_NUM_FORMATS[k][0]}" fontId="0" fillId="0" borderId="0" xfId="0" '
                 'applyNumberFormat="1"/>' for k in ("datetime", "date", "month"))]
        z.writestr("xl/styles.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<numFmts count="{len(_NUM_FORMATS)}">{formats}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"))
        z.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
            return
        # no workbook part is written: what is left is not a workbook (callers write to a
        # temporary name and rename on success)
        if self._open:
            self._open._stream.close()
        self._zip.close()

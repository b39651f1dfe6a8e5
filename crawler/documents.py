"""The text of an attachment: bytes in, text (or why there is none) out.

Notices on union sites are often a title and a file: the words a journalist looks for are in the
PDF, the Word document or the spreadsheet. These functions read them with the field's libraries
(pdfminer.six, python-docx, openpyxl, xlrd for old binary Excel files) and a small RTF reader
(CMSs serve many `.doc` files that are RTF), never touching a file or the network: the archive
runs them in a child process bounded in time and memory (archive/attachments.py), so a hostile
file costs that child, not a crawl. Old binary Word files are read by Debian's antiword there.
(catdoc's xls2csv was tried for XLS and garbled Chinese cells that xlrd reads right.)

Every outcome is an `Extracted` with a status: ok, no_text_layer (a PDF of scans), encrypted,
failed (a broken file, with the reader's reason), unsupported (a format without a reader),
too_large (over a size, page or unpacked-size cap), timeout (set by the runner).
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

OK, NO_TEXT_LAYER, ENCRYPTED, FAILED = "ok", "no_text_layer", "encrypted", "failed"
UNSUPPORTED, TOO_LARGE, TIMEOUT = "unsupported", "too_large", "timeout"
STATUSES = (OK, NO_TEXT_LAYER, ENCRYPTED, FAILED, UNSUPPORTED, TOO_LARGE, TIMEOUT)

#: Default bounds: pages (PDF) or sheets read, characters kept, bytes unpacked from a DOCX/XLSX.
MAX_PAGES = 300
MAX_CHARS = 1_000_000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_CELLS = 200_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".doc": "doc", ".xls": "xls", ".rtf": "rtf",
              ".wps": "doc", ".et": "xls"}
_BY_TYPE = {"application/pdf": "pdf", "application/msword": "doc", "application/vnd.ms-excel": "xls",
            "application/rtf": "rtf", "text/rtf": "rtf"}


@dataclass
class Extracted:
    """What reading one file gave: `text` (possibly empty) with its status and, when it is not
    ok, the reason in words; `pages` for PDFs (pages in the file) and spreadsheets (sheets)."""

    status: str
    text: str = ""
    reason: str = ""
    pages: int | None = None
    format: str | None = None


def file_name(url: str) -> str:
    """A file's name for people: the last segment of its URL's path (or of a query value naming
    a file, as download scripts do), percent-decoded."""
    parts = urlsplit(url)
    name = unquote(PurePosixPath(parts.path).name)
    if PurePosixPath(name).suffix.lower() not in _BY_SUFFIX:
        for value in re.findall(r"=([^&]+)", parts.query):
            value = unquote(value)
            if PurePosixPath(value).suffix.lower() in _BY_SUFFIX:
                return PurePosixPath(value).name
    return name or url


def sniff(data: bytes, name: str = "", content_type: str = "") -> str | None:
    """The format of a file, from its first bytes first (a server's type and a URL's extension
    are often wrong), else from the type and the name: pdf, docx, xlsx, rtf, doc, xls or None."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    by_name = _BY_SUFFIX.get(PurePosixPath(name.lower()).suffix)
    by_type = _BY_TYPE.get(content_type.split(";")[0].strip().lower())
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return by_name if by_name in ("docx", "xlsx") else None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if data.startswith(_OLE2):
        if by_name in ("doc", "xls"):
            return by_name
        if by_type in ("doc", "xls"):
            return by_type
        return "xls" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data else "doc"
    return by_name if by_name in ("pdf", "docx", "xlsx") and not data.strip() == b"" else None


def extract(data: bytes, name: str = "", content_type: str = "", *, max_pages: int = MAX_PAGES,
            max_chars: int = MAX_CHARS) -> Extracted:
    """The text of a PDF, DOCX, XLSX, XLS or RTF file (see the module docstring for the statuses).
    Never raises for a bad file: whatever the reader raises becomes status `failed` with its
    reason. DOC comes back `unsupported` here (the archive reads it with Debian's antiword)."""
    kind = sniff(data, name, content_type)
    reader = _READERS.get(kind or "")
    if reader is None:
        what = kind.upper() if kind else "not a document format the archive reads"
        return Extracted(UNSUPPORTED, reason=f"{what}: no reader here" if kind else what, format=kind)
    try:
        result = reader(data, max_pages)
    except ImportError as exc:
        return Extracted(UNSUPPORTED, reason=f"{kind.upper()}: its reader cannot be loaded ({exc})"[:300], format=kind)
    except MemoryError:
        return Extracted(TOO_LARGE, reason="needs more memory than allowed", format=kind)
    except RecursionError:
        return Extracted(FAILED, reason="broken: nested too deeply", format=kind)
    except Exception as exc:  # a broken or hostile file: any reader error is the file's
        return Extracted(FAILED, reason=f"broken: {type(exc).__name__}: {exc}"[:300], format=kind)
    result.format = kind
    return cut(result, max_chars)


_LIBRARIES = ("docx", "openpyxl", "xlrd", "pdfminer.converter", "pdfminer.layout", "pdfminer.pdfdocument",
              "pdfminer.pdfinterp", "pdfminer.pdfpage", "pdfminer.pdfparser")


def load_readers() -> None:
    """Import the readers' libraries now (a process that reads many files loads them once,
    before it limits its own memory)."""
    for name in _LIBRARIES:
        importlib.import_module(name)


def cut(result: Extracted, max_chars: int) -> Extracted:
    """Tidy the text (no trailing spaces, at most one blank line in a row) and keep at most
    `max_chars` characters of it, saying so in the reason."""
    lines = [line.rstrip() for line in result.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip().replace("\x00", "")
    if len(text) > max_chars:
        text = text[:max_chars]
        result.reason = (result.reason + "; " if result.reason else "") + f"text cut at {max_chars} characters"
    result.text = text
    return result


# ---------------------------------------------------------------------------------------------
# The readers


def pdf_text(data: bytes, max_pages: int) -> Extracted:
    """A PDF's text layer through pdfminer.six, page by page (at most `max_pages`)."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.converter import TextConverter
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        return Extracted(ENCRYPTED, reason="encrypted: needs a password to open")
    total = _page_count(document)
    out = io.StringIO()
    manager = PDFResourceManager(caching=True)
    device = TextConverter(manager, out, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    read = 0
    for page in PDFPage.create_pages(document):
        if read >= max_pages:
            break
        interpreter.process_page(page)
        read += 1
    device.close()
    text = out.getvalue().replace("\x0c", "\n")
    reason = f"read the first {max_pages} of {total} pages" if total and total > max_pages else ""
    if not text.strip():
        return Extracted(NO_TEXT_LAYER, reason="no text layer (scanned pages or images only)", pages=total or read)
    if not _CID.sub("", text).strip():
        return Extracted(NO_TEXT_LAYER, reason="text layer without a character map (glyph codes only)",
                         pages=total or read)
    return Extracted(OK, _CID.sub("", text), reason, pages=total or read)


# What pdfminer writes for a glyph its font does not map to a character (common in Chinese PDFs
# made by old tools): no use to a search, so dropped, and a PDF of nothing else has no text.
_CID = re.compile(r"\(cid:\d+\)")


def _page_count(document: object) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        return int(resolve1(resolve1(document.catalog["Pages"])["Count"]))  # type: ignore[attr-defined]
    except Exception:
        return None


def _zip_guard(data: bytes) -> None:
    """Refuse an Office file that unpacks to more than MAX_UNPACKED bytes (a zip bomb)."""
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    if unpacked > MAX_UNPACKED:
        raise _TooLarge(f"unpacks to {unpacked} bytes (at most {MAX_UNPACKED})")


class _TooLarge(Exception):
    pass


def docx_text(data: bytes, max_pages: int) -> Extracted:
    """A Word document's paragraphs and tables, in document order (python-docx)."""
    import docx

    try:
        _zip_guard(data)
    except _TooLarge as exc:
        return Extracted(TOO_LARGE, reason=str(exc))
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                lines.append("\t".join(cell.text for cell in row.cells))
        else:
            lines.append(block.text)
    return Extracted(OK, "\n".join(lines))


def xlsx_text(data: bytes, max_pages: int) -> Extracted:
    """An Excel workbook's cell values, a sheet's name then its rows (tab-separated), at most
    `max_pages` sheets and MAX_CELLS cells (openpyxl, read-only, computed values)."""
    import openpyxl

    try:
        _zip_guard(data)
    except _TooLarge as exc:
        return Extracted(TOO_LARGE, reason=str(exc))
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    cells, reason = 0, ""
    for number, sheet in enumerate(book.worksheets):
        if number >= max_pages:
            reason = f"read the first {max_pages} of {len(book.worksheets)} sheets"
            break
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > MAX_CELLS:
                reason = f"read the first {MAX_CELLS} cells"
                break
            values = ["" if value is None else str(value) for value in row]
            if any(values):
                lines.append("\t".join(values).rstrip("\t"))
        if cells > MAX_CELLS:
            break
        lines.append("")
    book.close()
    return Extracted(OK, "\n".join(lines), reason, pages=len(book.worksheets))


def xls_text(data: bytes, max_pages: int) -> Extracted:
    """An old binary Excel workbook's cell values, as `xlsx_text` gives them (xlrd)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            return Extracted(ENCRYPTED, reason=f"encrypted: {exc}")
        raise
    lines: list[str] = []
    cells, reason, count = 0, "", book.nsheets
    for number in range(count):
        if number >= max_pages:
            reason = f"read the first {max_pages} of {count} sheets"
            break
        sheet = book.sheet_by_index(number)
        lines.append(sheet.name)
        for row in range(sheet.nrows):
            values = [_cell(value) for value in sheet.row_values(row)]
            cells += len(values)
            if cells > MAX_CELLS:
                reason = f"read the first {MAX_CELLS} cells"
                break
            if any(values):
                lines.append("\t".join(values).rstrip("\t"))
        book.unload_sheet(number)
        if cells > MAX_CELLS:
            break
        lines.append("")
    book.release_resources()
    return Extracted(OK, "\n".join(lines), reason, pages=count)


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


# RTF: groups whose text is not the document's (fonts, colours, styles, metadata, pictures).
_RTF_SKIP = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "footer", "headerl", "headerr",
             "footerl", "footerr", "object", "themedata", "colorschememapping", "latentstyles",
             "datastore", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator", "filetbl"}
_RTF_BREAKS = {"par": "\n", "line": "\n", "row": "\n", "sect": "\n", "page": "\n", "tab": "\t", "cell": "\t"}
_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+",
                        re.DOTALL)


def rtf_text(data: bytes, max_pages: int) -> Extracted:
    """An RTF document's text: \\uN characters, \\'hh bytes in the document's code page
    (\\ansicpg, GBK when it names 936 or none), paragraphs as lines; fonts, styles, pictures and
    other destinations left out."""
    codepage = re.search(rb"\\ansicpg(\d+)", data[:4096])
    encoding = {"936": "gbk", "950": "big5", "65001": "utf-8"}.get(
        codepage.group(1).decode() if codepage else "936", f"cp{codepage.group(1).decode()}" if codepage else "gbk")
    out: list[str] = []
    pending = bytearray()
    stack: list[tuple[bool, int]] = []
    skip, uc, drop = False, 1, 0

    def flush() -> None:
        if pending:
            out.append(pending.decode(encoding, "replace"))
            pending.clear()

    for match in _RTF_TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, plain = match.groups()
        if brace == b"{":
            stack.append((skip, uc))
            continue
        if brace == b"}":
            flush()
            skip, uc = stack.pop() if stack else (False, 1)
            continue
        if drop and (hexbyte or plain):
            if plain:
                plain, drop = plain[drop:], max(0, drop - len(plain))
                if not plain:
                    continue
            else:
                drop -= 1
                continue
        if skip:
            continue
        if word is not None:
            name = word.decode()
            if name in _RTF_SKIP:
                skip = True
            elif name == "uc" and arg is not None:
                uc = int(arg)
            elif name == "u" and arg is not None:
                flush()
                out.append(chr(int(arg) % 65536))
                drop = uc
            elif name in _RTF_BREAKS:
                flush()
                out.append(_RTF_BREAKS[name])
        elif symbol is not None:
            if symbol == b"*":
                skip = True
            elif symbol in b"\\{}":
                pending.extend(symbol)
            elif symbol == b"~":
                pending.extend(b" ")
        elif hexbyte is not None:
            pending.append(int(hexbyte, 16))
        elif plain is not None:
            flush()
            out.append(plain.decode("latin-1"))
    flush()
    return Extracted(OK, "".join(out))


_READERS = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text, "xls": xls_text, "rtf": rtf_text}

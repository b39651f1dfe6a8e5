"""Documents made by the tests, with Chinese text: a PDF with a text layer (reportlab's built-in
CID font STSong-Light, no font file needed), a PDF of a drawing only (like a scan: no text
layer), a DOCX (python-docx), an XLSX (openpyxl), a password-protected PDF, a broken PDF."""

from __future__ import annotations

import io

from replica import assets


def pdf(lines: list[str], pages: int = 1) -> bytes:
    """A PDF whose pages carry `lines` as text."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for _ in range(pages):
        page.setFont("STSong-Light", 14)
        for number, line in enumerate(lines):
            page.drawString(72, 780 - 22 * number, line)
        page.showPage()
    page.save()
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose one page is a picture (filled shapes), with no text layer."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(72, 500, 300, 200, fill=1)
    page.circle(300, 300, 50, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def encrypted_pdf(line: str) -> bytes:
    """A PDF that opens only with a password."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    page.drawString(72, 700, line)
    page.showPage()
    page.save()
    return out.getvalue()


def broken_pdf() -> bytes:
    """The first part of a real PDF, cut off mid-file (a download that stopped)."""
    return pdf(["这个文件被截断了"])[:400]


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(sheet: str, rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def glyph_codes_pdf() -> bytes:
    """A PDF whose text is glyph codes of a font with no character map (Identity-H, no
    ToUnicode), as old Chinese office tools write: there are glyphs but no characters."""
    stream = b"BT /F1 14 Tf 72 720 Td <0C1A0D2B0E3C> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
    ]
    return assets.pdf_of(objects)


def xls(sheet: str, rows: list[list[object]]) -> bytes:
    """An old binary Excel workbook (BIFF8, as Excel 97-2003 saves it), made with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    grid = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            grid.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Small binary files the replica serves as article images and attachments."""

from __future__ import annotations

import base64

# A tiny JPEG byte stream (SOI ... EOI) standing in for a news photo: the crawler only stores it.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/"
    "yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k="
)


def pdf(title: str) -> bytes:
    """A one-page PDF whose text layer holds the title, Chinese included, as Chinese office tools
    write it: a Type0 font with Identity-H glyph codes and a ToUnicode map of the glyphs used
    (here code = code point), no font file embedded. Its xref offsets are computed, so PDF
    readers open it.

    The map lists each code the page uses, as office tools map their font subset; one range over
    all 65,536 codes made pdfminer build 65,536 entries per file (52 ms a PDF, bench/crawl.py)."""
    used = sorted({ord(ch) for ch in title if ord(ch) <= 0xFFFF})
    codes = "".join(f"{ord(ch):04X}" for ch in title if ord(ch) <= 0xFFFF)
    stream = f"BT /F1 12 Tf 72 720 Td <{codes}> Tj ET".encode("ascii")
    blocks = "".join(f"{len(part)} beginbfchar " + "".join(f"<{c:04X}> <{c:04X}> " for c in part) + "endbfchar "
                     for part in (used[i:i + 100] for i in range(0, len(used), 100)))  # 100 a block at most
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            + blocks.encode("ascii") +
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
        b"/FontDescriptor 8 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] "
        b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>",
    ]
    return pdf_of(objects)


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (the first the catalog), with its xref offsets computed."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def doc(title: str) -> bytes:
    """A Word-readable document (RTF, as many CMSs serve under .doc) with the title in it."""
    escaped = "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in title)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0\\fs24 " + escaped + "\\par}").encode("ascii")


CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".jpg": "image/jpeg",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}

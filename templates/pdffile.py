"""Writing a PDF file: numbered objects, a page tree, and the fonts as Type 0 / CIDFontType2.

Pages come from templates/typeset.py as finished content streams; text in them
is shown as two-byte glyph ids of the embedded subsets (Identity-H), and each
font carries a ToUnicode map so that the text can be searched, copied and read
back (pdftotext).  Nothing in the file depends on the time or the machine.
"""
from __future__ import annotations

import io
import zlib
from functools import lru_cache
from typing import BinaryIO

from templates.fonts import Embedded, FontSet

PAGE_WIDTH, PAGE_HEIGHT = 595.276, 841.89     # A4 in points


def pdf_string(text: str) -> str:
    """A text string object: UTF-16 with a byte-order mark, as hex (any character, no escaping)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class PdfFile:
    """Objects written as they are added, to a file or to memory; the cross-reference table at the end."""

    def __init__(self, out: BinaryIO | None = None) -> None:
        self.out = out if out is not None else io.BytesIO()
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.count = 0
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.position += len(data)

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def put(self, number: int, body: str | bytes) -> int:
        self.offsets[number] = self.position
        data = body.encode("latin-1") if isinstance(body, str) else body
        self._write(f"{number} 0 obj\n".encode() + data + b"\nendobj\n")
        return number

    def add(self, body: str | bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, data: bytes, extra: str = "", compressed: bytes | None = None) -> int:
        packed = zlib.compress(data) if compressed is None else compressed
        head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode("latin-1")
        return self.add(head + packed + b"\nendstream")

    def finish(self, root: int, info: int) -> bytes:
        """Write the cross-reference table and trailer; the file's bytes when it was written to memory."""
        missing = [n for n in range(1, self.count + 1) if n not in self.offsets]
        if missing:
            raise ValueError(f"PDF objects reserved and never written: {missing[:5]}")
        xref = self.position
        self._write(f"xref\n0 {self.count + 1}\n0000000000 65535 f \n".encode()
                    + "".join(f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, self.count + 1)).encode()
                    + (f"trailer\n<< /Size {self.count + 1} /Root {root} 0 R /Info {info} 0 R >>\n"
                       f"startxref\n{xref}\n%%EOF\n").encode())
        return self.out.getvalue() if isinstance(self.out, io.BytesIO) else b""


@lru_cache(maxsize=16)
def _packed(program: bytes) -> bytes:
    return zlib.compress(program)


def _to_unicode(font: Embedded) -> bytes:
    pairs = sorted((gid, char) for char, gid in font.glyphs.items())
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for start in range(0, len(pairs), 100):
        block = pairs[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _font_objects(pdf: PdfFile, tag: str, font: Embedded) -> int:
    base = f"{tag}+{font.face.label or 'DejaVu-' + font.face.name}"
    program = pdf.stream(b"", f"/Length1 {len(font.program)} ", compressed=_packed(font.program))
    descriptor = pdf.add(
        f"<< /Type /FontDescriptor /FontName /{base} /Flags {4 if font.face.name != 'mono' else 5}"
        f" /FontBBox [-1000 -500 2000 1200] /ItalicAngle {-11 if font.face.name == 'italic' and not font.face.slant else 0}"
        f" /Ascent {font.face.ascent:.0f} /Descent {-font.face.descent:.0f} /CapHeight 729 /StemV 80"
        f" /FontFile2 {program} 0 R >>")
    widths = " ".join(f"{gid} [{w:.0f}]" for gid, w in sorted(font.widths.items()))
    cid = pdf.add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base}"
                  f" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                  f" /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /W [{widths}] >>")
    unicode_map = pdf.stream(_to_unicode(font))
    return pdf.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H"
                   f" /DescendantFonts [{cid} 0 R] /ToUnicode {unicode_map} 0 R >>")


class Document:
    """A PDF being written: fonts first, then pages as they come, the page tree and outline at the end.

    Pages are typeset elsewhere (templates.typeset.Page: a compressed content stream and
    the faces it draws with); every face of the class is declared once, so that pages
    from any worker can follow each other in one file.
    """

    def __init__(self, fonts: FontSet, title: str, out: BinaryIO | None = None, faces: list[str] | None = None):
        self.pdf = PdfFile(out)
        self.title = title
        self.catalog, self.tree = self.pdf.reserve(), self.pdf.reserve()
        names = faces if faces is not None else list(fonts.embedded)
        refs = {name: _font_objects(self.pdf, "HW" + chr(65 + i) + "AAA", fonts.embedded[name])
                for i, name in enumerate(names)}
        self.resources = self.pdf.add("<< /Font << " + " ".join(f"/{n} {r} 0 R" for n, r in refs.items()) + " >> >>")
        self.kids: list[int] = []
        self.marks: list[tuple[str, int]] = []

    def add_pages(self, pages: list, mark: str | None = None) -> None:
        """Pages in order; `mark` names the first of them in the outline (a student, in the print files)."""
        for index, page in enumerate(pages):
            stream = self.pdf.stream(b"", compressed=page.content)
            ref = self.pdf.add(f"<< /Type /Page /Parent {self.tree} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
                               f" /Resources {self.resources} 0 R /Contents {stream} 0 R >>")
            self.kids.append(ref)
            if mark is not None and index == 0:
                self.marks.append((mark, ref))

    def finish(self) -> bytes:
        pdf = self.pdf
        pdf.put(self.tree, f"<< /Type /Pages /Count {len(self.kids)} /Kids [{' '.join(f'{k} 0 R' for k in self.kids)}] >>")
        outline = ""
        if self.marks:
            root = pdf.reserve()
            items = [pdf.reserve() for _ in self.marks]
            for i, ((name, page), ref) in enumerate(zip(self.marks, items)):
                links = (f" /Prev {items[i - 1]} 0 R" if i else "") + (f" /Next {items[i + 1]} 0 R" if i + 1 < len(items) else "")
                pdf.put(ref, f"<< /Title {pdf_string(name)} /Parent {root} 0 R /Dest [{page} 0 R /Fit]{links} >>")
            pdf.put(root, f"<< /Type /Outlines /First {items[0]} 0 R /Last {items[-1]} 0 R /Count {len(items)} >>")
            outline = f" /Outlines {root} 0 R /PageMode /UseOutlines"
        pdf.put(self.catalog, f"<< /Type /Catalog /Pages {self.tree} 0 R{outline} >>")
        info = pdf.add(f"<< /Title {pdf_string(self.title)} /Producer (hw) >>")
        return pdf.finish(self.catalog, info)


def write_pdf(pages: list, fonts: FontSet, title: str) -> bytes:
    """A whole PDF of typeset pages, in memory, with the faces those pages use."""
    used = sorted(set().union(*(page.faces for page in pages))) if pages else []
    document = Document(fonts, title, faces=used)
    document.add_pages(pages)
    return document.finish()

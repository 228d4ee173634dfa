"""The PDF step: WeasyPrint lays out many pages in one pass, then splits them per variant.

One layout for the whole class is much faster than one WeasyPrint document per
student, and the merged file is the print file.  The output has no dates and no
paths, so the same HTML gives the same bytes: WeasyPrint writes no date unless
the HTML asks for one, and the font subsetter (fontTools) stamps fonts with
SOURCE_DATE_EPOCH when it is set, which hw fixes while it writes PDFs.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from weasyprint import HTML

FONT_TIMESTAMP = "0"


@contextmanager
def _fixed_font_dates() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FONT_TIMESTAMP
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def render_pdfs(html: str, anchors: list[str], base_url: Path | None = None) -> tuple[bytes, list[bytes]]:
    """The whole document as one PDF, and one PDF per anchor (each from its page to the next anchor's)."""
    document = HTML(string=html, base_url=str(base_url) if base_url else None).render()
    starts = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, index)
    bounds = [starts[a] for a in anchors] + [len(document.pages)]
    with _fixed_font_dates():
        parts = [document.copy(document.pages[bounds[i]:bounds[i + 1]]).write_pdf() for i in range(len(anchors))]
        return document.write_pdf(), parts

"""The PDF step: every sheet and key typeset by hw, one file each, and the print files.

The fonts of a class are cut once, to the characters its pages use, before the
workers start; each worker typesets its students' pages (templates/typeset.py)
and writes their files, and sends the pages back so that the print files are
streamed in roster order without another layout.  Nothing in a file depends on
the time, the machine or the number of workers.
"""
from __future__ import annotations

from templates.fonts import FontSet
from templates.pdffile import write_pdf
from templates.typeset import Page, typeset


def page_pdf(section: str, fonts: FontSet, title: str) -> tuple[bytes, list[Page]]:
    """One sheet or key: the PDF file's bytes, and its pages for the print file."""
    pages = typeset(section, fonts)
    return write_pdf(pages, fonts, title), pages

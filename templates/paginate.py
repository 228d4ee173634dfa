"""Typeset units dealt onto A4 pages, and each page written as a PDF content stream.

A statement, an answer box or a solution (a group) moves whole to the next page when
it does not fit on this one but fits on a page; a heading stays with what follows;
blank space is dropped at the top of a page.  Coordinates inside hw run down from
the top-left corner of the text area; PDF's run up from the bottom-left of the page.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from templates.fonts import FontSet
from templates.inline import GREY_66, GREY_DD
from templates.pdffile import PAGE_HEIGHT, PAGE_WIDTH

MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = 18 * MM, 18 * MM, 16 * MM, 16 * MM
WIDTH = PAGE_WIDTH - LEFT - RIGHT
HEIGHT = PAGE_HEIGHT - TOP - BOTTOM


@dataclass
class Unit:
    """A line, a table row or a gap: its height, and drawing operations below its top edge."""
    height: float
    ops: list = field(default_factory=list)
    group: int | None = None        # units of one group stay on one page if they can
    keep: bool = False              # stays on the page of what comes next
    bars: tuple = ()                # x of the bars drawn along the unit's left (a solution's border)
    gap: bool = False               # blank space, dropped at the top of a page


@dataclass
class Page:
    content: bytes              # the content stream, compressed
    faces: set[str]


def paginate(units: list[Unit]) -> list[list[tuple[Unit, float]]]:
    """Units onto pages: a group, or a heading with what follows, moves whole to the next page if it fits there."""
    chunks: list[list[Unit]] = []
    for unit in units:
        last = chunks[-1][-1] if chunks else None
        if last is not None and (last.keep or unit.group is not None and unit.group == last.group):
            chunks[-1].append(unit)
        else:
            chunks.append([unit])
    pages: list[list[tuple[Unit, float]]] = [[]]
    y = 0.0

    def put(unit: Unit) -> None:
        nonlocal y
        if unit.gap and not pages[-1]:
            return
        if pages[-1] and y + unit.height > HEIGHT + 0.01:
            pages.append([])
            y = 0.0
            if unit.gap:
                return
        pages[-1].append((unit, y))
        y += unit.height

    for chunk in chunks:
        height = sum(u.height for u in chunk)
        if pages[-1] and y + height > HEIGHT + 0.01 and height - (chunk[0].height if chunk[0].gap else 0) <= HEIGHT:
            pages.append([])
            y = 0.0
        for unit in chunk:
            put(unit)
    return [p for p in pages if p]


def content_stream(placed: list[tuple[Unit, float]], number: int, fonts: FontSet) -> Page:
    out: list[str] = []
    faces: set[str] = set()
    for unit, y in placed:
        for x in unit.bars:
            out.append(_line(x, y, x, y + unit.height, 2.0, GREY_DD))
        for op in unit.ops:
            kind = op[0]
            if kind == "text":
                _, x, baseline, face, size, color, text, spacing = op
                faces.add(face)
                out.append(_text(fonts, x, y + baseline, face, size, color, text, spacing))
            elif kind == "line":
                _, x1, y1, x2, y2, width, color = op
                out.append(_line(x1, y + y1, x2, y + y2, width, color))
            else:
                _, x, y1, w, h, width, color = op
                out.append(f"{width:.2f} w {_rgb(color, 'RG')} {LEFT + x:.2f} {PAGE_HEIGHT - TOP - y - y1 - h:.2f}"
                           f" {w:.2f} {h:.2f} re S")
    label = str(number)
    label_width = sum(fonts.faces["serif"].widths.get(c, 500) for c in label) * 9 / 1000
    out.append(_text(fonts, WIDTH - label_width, HEIGHT + BOTTOM / 2 + 3, "serif", 9, GREY_66, label, 0.0))
    faces.add("serif")
    return Page(zlib.compress("\n".join(out).encode("latin-1")), faces)


def _rgb(color: tuple, operator: str) -> str:
    return f"{color[0]:.3g} {color[1]:.3g} {color[2]:.3g} {operator}"


def _line(x1: float, y1: float, x2: float, y2: float, width: float, color: tuple) -> str:
    return (f"{width:.2f} w {_rgb(color, 'RG')} {LEFT + x1:.2f} {PAGE_HEIGHT - TOP - y1:.2f} m"
            f" {LEFT + x2:.2f} {PAGE_HEIGHT - TOP - y2:.2f} l S")


def _text(fonts: FontSet, x: float, y: float, face: str, size: float, color: tuple, text: str,
          spacing: float) -> str:
    codes = fonts.codes[face]
    glyphs = "".join(codes.get(c, "0000") for c in text)
    tc = f"{spacing:.2f} Tc " if spacing else ""
    reset = " 0 Tc" if spacing else ""
    slant = fonts.faces[face].slant
    where = (f"1 0 {slant} 1 {LEFT + x:.2f} {PAGE_HEIGHT - TOP - y:.2f} Tm" if slant
             else f"{LEFT + x:.2f} {PAGE_HEIGHT - TOP - y:.2f} Td")
    return f"BT /{face} {size:.2f} Tf {tc}{_rgb(color, 'rg')} {where} <{glyphs}> Tj{reset} ET"

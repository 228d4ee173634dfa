"""Inline content of hw's pages for the PDF: words, spaces and boxes (matrices, maps), broken into lines.

style.css's rules for inline elements are mirrored in `inline_style`; a matrix is a
bracketed grid of monospace cells, a feature map a matrix under its label, both
centred on the line as `vertical-align: middle` centres them.  Lines break at
spaces, greedily, as a browser breaks left-aligned text.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from templates.bidi import visual
from templates.fonts import FontSet
from templates.htmltree import Node

LINE_HEIGHT = 1.4
X_HEIGHT = 0.26         # half DejaVu Serif's x-height, in em: where vertical-align: middle aims

INK, GREY_44, GREY_55, GREY_66, GREY_88, GREY_BB, GREY_DD, RED = (
    (0.067,) * 3, (0.267,) * 3, (0.333,) * 3, (0.4,) * 3, (0.533,) * 3, (0.733,) * 3, (0.867,) * 3, (0.7, 0, 0))

@dataclass(frozen=True)
class Style:
    face: str = "serif"
    size: float = 10.5
    color: tuple = INK
    rise: float = 0.0
    upper: bool = False
    spacing: float = 0.0        # letter spacing, in em


def inline_style(node: Node, style: Style) -> Style:
    """style.css's rules for inline elements."""
    tag = node.tag
    if tag in ("i", "em"):
        return replace(style, face="italic" if style.face == "serif" else style.face)
    if tag in ("strong", "b", "th") or tag in ("h1", "h2", "h3"):
        return replace(style, face="mono-bold" if style.face.startswith("mono") else "bold")
    if tag == "code":
        return replace(style, face=_mono(style), size=style.size * 0.9)
    if tag == "sub":
        return replace(style, size=style.size * 0.8, rise=style.rise - style.size * 0.2)
    if tag == "sup":
        return replace(style, size=style.size * 0.8, rise=style.rise + style.size * 0.35)
    if node.has("upright"):
        return replace(style, face="serif")
    if node.has("points"):
        return replace(style, face="serif", size=9.5, color=GREY_55)
    if node.has("column"):
        return replace(style, face=_mono(style), size=9.5)
    if node.has("submit"):
        return replace(style, size=9, color=GREY_55)
    if node.has("code"):
        return replace(style, face=_mono(style), spacing=0.1)
    return style


def _mono(style: Style) -> str:
    return "mono-bold" if style.face == "bold" else "mono"


class Item:
    """A piece of a line: its width, how far it reaches above and below the baseline, how it draws."""

    width: float = 0.0
    above: float = 0.0          # extent above the baseline, with half the leading
    below: float = 0.0
    breaks = False              # a line may end here (the item is then dropped)

    def draw(self, ops: list, x: float, baseline: float) -> None:
        pass


class Space(Item):
    breaks = True

    def __init__(self, width: float):
        self.width = width


class Join(Space):
    """Between two maps of one volume: the volume is an inline block, broken between its
    maps only when it is wider than the whole line (see `_volumes_whole_where_they_fit`)."""

    def __init__(self):
        super().__init__(0.0)


class LineBreak(Item):
    breaks = True


class Gap(Item):
    """Fixed space where a line may not break (an inline element's left margin)."""

    def __init__(self, width: float):
        self.width = width


class Word(Item):
    """Characters of one style in one face."""

    def __init__(self, text: str, style: Style, face: str, fonts: FontSet):
        self.text, self.style, self.face, self.fonts = text, style, face, fonts
        widths = fonts.faces[face].widths
        size, spacing = style.size, style.spacing * style.size
        self.width = sum(widths.get(c, 500) for c in text) * size / 1000 + spacing * len(text)
        self.above, self.below = text_extent(fonts, face, size)
        self.above += style.rise
        self.below -= style.rise

    def characters(self) -> list["Word"]:
        return [Word(c, self.style, self.face, self.fonts) for c in self.text]

    def draw(self, ops: list, x: float, baseline: float) -> None:
        ops.append(("text", x, baseline - self.style.rise, self.face, self.style.size, self.style.color,
                    self.text, self.style.spacing * self.style.size))


def text_extent(fonts: FontSet, face: str, size: float) -> tuple[float, float]:
    """CSS's line box of a text: the font's ascent and descent, with half the leading each side."""
    f = fonts.faces[face]
    ascent, descent = f.ascent * size / 1000, f.descent * size / 1000
    half_leading = (LINE_HEIGHT * size - ascent - descent) / 2
    return ascent + half_leading, descent + half_leading


class Box(Item):
    """An inline block (a matrix, a feature map, a tag, a blank): drawn below its own top edge."""

    def __init__(self, width: float, height: float, ops: list, parent_size: float, margin: float = 0.0,
                 is_map: bool = False):
        self.width, self.height, self.ops, self.margin, self.is_map = width, height, ops, margin, is_map
        middle = X_HEIGHT * parent_size
        self.above = height / 2 + middle + margin
        self.below = height / 2 - middle + margin

    def draw(self, ops: list, x: float, baseline: float) -> None:
        top = baseline - self.above + self.margin
        for op in self.ops:
            ops.append(shift(op, x, top))


def shift(op: tuple, dx: float, dy: float) -> tuple:
    kind = op[0]
    if kind == "text":
        return (kind, op[1] + dx, op[2] + dy) + op[3:]
    if kind == "line":
        return (kind, op[1] + dx, op[2] + dy, op[3] + dx, op[4] + dy) + op[5:]
    return (kind, op[1] + dx, op[2] + dy) + op[3:]      # rect


class Inline:
    """Turns inline HTML into items, collapsing white space as HTML does."""

    def __init__(self, fonts: FontSet):
        self.fonts = fonts

    def items(self, nodes: list, style: Style) -> list[Item]:
        out: list[Item] = []
        for node in nodes:
            self._add(node, style, out)
        return out

    def _add(self, node: Node | str, style: Style, out: list[Item]) -> None:
        if isinstance(node, str):
            self._text(node, style, out)
            return
        if node.tag == "br":
            out.append(LineBreak())
        elif node.has("matrix"):
            out.append(self.matrix(node, style))
        elif node.has("volume"):
            start = len(out)
            for child in node.children:
                self._add(child, style, out)
            out[start + 1:] = [Join() if type(item) is Space and item.width == 0.0 else item
                               for item in out[start + 1:]]
        elif node.has("map"):
            if out and isinstance(out[-1], Box) and out[-1].is_map:
                out.append(Space(0.0))      # a line may break between two maps, as between inline blocks
            out.append(self.feature_map(node, style))
        elif node.has("tag"):
            out.append(self.tag(node, style))
        elif node.has("blank"):
            out.append(Box(16 * style.size, style.size, [("line", 0, style.size, 16 * style.size,
                                                            style.size, 0.6, INK)], style.size))
        else:
            inner = inline_style(node, style)
            if node.has("submit"):
                out.append(Gap(0.6 * inner.size))
            for child in node.children:
                self._add(child, inner, out)

    def _text(self, text: str, style: Style, out: list[Item]) -> None:
        if style.upper:
            text = text.upper()
        text = visual(text)             # right-to-left names in the order and forms they are read
        space = self.fonts.faces[style.face].widths.get(" ", 300) * style.size / 1000
        words = text.split()
        if text[:1].isspace():
            out.append(Space(space))
        for i, word in enumerate(words):
            if i:
                out.append(Space(space))
            for face, run in self._runs(word, style.face):
                out.append(Word(run, style, face, self.fonts))
        if words and text[-1:].isspace():
            out.append(Space(space))

    def _runs(self, word: str, face: str) -> Iterator[tuple[str, str]]:
        """The word cut where a character must come from the fallback face."""
        start, current = 0, None
        for i, char in enumerate(word):
            f = self.fonts.face_for(face, char)
            if current is not None and f != current:
                yield current, word[start:i]
                start = i
            current = f
        if current is not None:
            yield current, word[start:]

    def one_line(self, nodes: list, style: Style) -> tuple[list[Item], float, float, float]:
        """Inline content that is not broken into lines (a table cell, a matrix cell): items, width, above, below."""
        items = trim(self.items(nodes, style))
        above, below = text_extent(self.fonts, style.face, style.size)
        for item in items:
            above, below = max(above, item.above), max(below, item.below)
        return items, sum(i.width for i in items), above, below

    def matrix(self, node: Node, style: Style) -> Box:
        """A bracketed grid: right-aligned monospace cells, a bracket each side."""
        cell_style = replace(style, face="mono", size=9.5, rise=0.0, spacing=0.0)
        rows = [[self.one_line(cell.children, cell_style) for cell in row.children if isinstance(cell, Node)]
                for row in node.children if isinstance(row, Node)]
        rows = [r for r in rows if r]
        if not rows:
            return Box(0, 0, [], style.size)
        pad_x, pad_y, rule = 0.45 * 9.5, 0.1 * 9.5, 1.0
        columns = max(len(r) for r in rows)
        widths = [max((r[c][1] for r in rows if c < len(r)), default=0) + 2 * pad_x for c in range(columns)]
        heights = [max(cell[2] + cell[3] for cell in r) + 2 * pad_y for r in rows]
        width, height = sum(widths) + 2 * rule, sum(heights) + 2 * rule
        ops: list = []
        y = rule
        for row, h in zip(rows, heights):
            x = rule
            for (items, w, above, below), cw in zip(row, widths):
                place(ops, items, x + cw - pad_x - w, y + pad_y + above)
                x += cw
            y += h
        arm = min(widths[0], widths[-1], 0.45 * 9.5 + 3)
        for x, direction in ((rule / 2, 1), (width - rule / 2, -1)):
            ops.append(("line", x, 0, x, height, rule, INK))
            ops.append(("line", x, rule / 2, x + direction * arm, rule / 2, rule, INK))
            ops.append(("line", x, height - rule / 2, x + direction * arm, height - rule / 2, rule, INK))
        margin_x = 0.3 * style.size
        return Box(width + 2 * margin_x, height, [shift(op, margin_x, 0) for op in ops], style.size,
                   margin=0.25 * style.size)

    def feature_map(self, node: Node, style: Style) -> Box:
        """One map of a volume (a label above it, centred) or one filter ("filter 1:" and its matrix)."""
        label = next((c for c in node.children if isinstance(c, Node) and c.has("map-label")), None)
        rest = [c for c in node.children if c is not label]
        items, width, above, below = self.one_line(rest, style)
        ops: list = []
        top = 0.0
        if label is not None:
            label_style = replace(style, size=8, color=GREY_55, face="serif")
            l_items, l_width, l_above, l_below = self.one_line(label.children, label_style)
            total = max(width, l_width)
            place(ops, l_items, (total - l_width) / 2, l_above)
            top = l_above + l_below
            place(ops, items, (total - width) / 2, top + above)
            width = total
        else:
            place(ops, items, 0, above)
        margin_right = 0.6 * style.size
        return Box(width + margin_right, top + above + below, ops, style.size, is_map=True)

    def tag(self, node: Node, style: Style) -> Box:
        """The red 'answer key' tag beside the title."""
        tag_style = replace(style, face="serif", size=10, color=RED)
        items, width, above, below = self.one_line(node.children, tag_style)
        pad = 0.4 * 10
        ops: list = []
        place(ops, items, pad + 1, above + 1)
        w, h = width + 2 * pad + 2, above + below + 2
        ops.append(("rect", 0.5, 0.5, w - 1, h - 1, 1.0, RED))
        return Box(w + 0.25 * style.size, h, [shift(op, 0.25 * style.size, 0) for op in ops], style.size)


def trim(items: list[Item]) -> list[Item]:
    """Without the spaces at either end, and without doubled spaces."""
    out: list[Item] = []
    for item in items:
        if isinstance(item, Space) and (not out or isinstance(out[-1], (Space, LineBreak))):
            continue
        out.append(item)
    while out and isinstance(out[-1], Space):
        out.pop()
    return out


def place(ops: list, items: list[Item], x: float, baseline: float) -> float:
    for item in items:
        item.draw(ops, x, baseline)
        x += item.width
    return x


def _breakable_where_too_long(items: list[Item], width: float) -> list[Item]:
    """A word wider than the whole line may break between any two characters (CSS's
    overflow-wrap: anywhere); on paper, text past the edge is lost."""
    out: list[Item] = []
    start = 0
    for end in range(len(items) + 1):
        if end < len(items) and not items[end].breaks:
            continue
        stretch = items[start:end]
        if sum(i.width for i in stretch) > width and all(isinstance(i, Word) for i in stretch):
            pieces = [c for word in stretch for c in word.characters()]
            for k, piece in enumerate(pieces):
                out.extend([Space(0.0), piece] if k else [piece])
        else:
            out.extend(stretch)
        if end < len(items):
            out.append(items[end])
        start = end + 1
    return out


def _volumes_whole_where_they_fit(items: list[Item], width: float) -> list[Item]:
    """A volume that fits on a line moves to the next line whole, as an inline block does
    in the browser; one wider than the line may break between its maps."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        j = i + 1
        while j + 1 < len(items) and isinstance(items[j], Join):
            j += 2
        if j > i + 1 and sum(item.width for item in items[i:j]) <= width + 0.01:
            out.extend(Gap(0.0) if isinstance(item, Join) else item for item in items[i:j])
        else:
            out.extend(items[i:j])
        i = j
    return out


def break_lines(items: list[Item], width: float) -> list[list[Item]]:
    """Greedy line breaking at spaces (and <br>), as a browser does for left-aligned text."""
    lines: list[list[Item]] = []
    line: list[Item] = []
    used = 0.0
    i, items = 0, _volumes_whole_where_they_fit(_breakable_where_too_long(trim(items), width), width)
    while i < len(items):
        # the next unbreakable stretch: the items up to the next space or break
        j = i
        while j < len(items) and not items[j].breaks:
            j += 1
        word = items[i:j]
        word_width = sum(w.width for w in word)
        if line and used + word_width > width + 0.01:
            if isinstance(line[-1], Space):
                line.pop()
            lines.append(line)
            line, used = [], 0.0
        line.extend(word)
        used += word_width
        if j < len(items):
            if isinstance(items[j], LineBreak):
                lines.append(line)
                line, used = [], 0.0
            elif line:
                line.append(items[j])
                used += items[j].width
        i = j + 1
    if line:
        while line and isinstance(line[-1], Space):
            line.pop()
        lines.append(line)
    return lines

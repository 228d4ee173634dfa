"""hw's sheets and keys typeset straight into PDF pages.

The PDF shows the same page as the HTML file: it reads the same <section> that
section.html.j2 writes, and style.css's rules for it are mirrored below.  The
markup is hw's own and closed (headings, paragraphs, lists, formulas with
italics, sub- and superscripts, bracketed matrices, feature maps side by side,
two kinds of tables, answer boxes, solutions with a bar at their left), so a
small typesetter does what a general HTML engine would, at a small fraction of
its cost: it is what lets a class's PDFs be written in seconds.

Three steps: the HTML becomes a tree; blocks and lines become `Unit`s (a line,
a table row, a gap), each a list of drawing operations below its top edge;
units are dealt onto pages, keeping together what CSS says to keep together
(a statement, an answer box, a solution; a heading with what follows).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Iterator

from templates.fonts import FontSet
from templates.pdffile import PAGE_HEIGHT, PAGE_WIDTH

MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = 18 * MM, 18 * MM, 16 * MM, 16 * MM
WIDTH = PAGE_WIDTH - LEFT - RIGHT
HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
LINE_HEIGHT = 1.4
X_HEIGHT = 0.26         # half DejaVu Serif's x-height, in em: where vertical-align: middle aims

INK, GREY_44, GREY_55, GREY_66, GREY_88, GREY_BB, GREY_DD, RED = (
    (0.067,) * 3, (0.267,) * 3, (0.333,) * 3, (0.4,) * 3, (0.533,) * 3, (0.733,) * 3, (0.867,) * 3, (0.7, 0, 0))
VOID = {"br", "meta", "img", "hr", "input", "link"}


# -- the HTML tree -------------------------------------------------------------------------------

@dataclass
class Node:
    tag: str
    classes: tuple[str, ...] = ()
    children: list = field(default_factory=list)     # Node or str

    def has(self, name: str) -> bool:
        return name in self.classes


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = tuple((dict(attrs).get("class") or "").split()) if attrs else ()
        node = Node(tag, classes)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# -- inline content: words, spaces and boxes ----------------------------------------------------

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


class LineBreak(Item):
    breaks = True


class Gap(Item):
    """Fixed space where a line may not break (an inline element's left margin)."""

    def __init__(self, width: float):
        self.width = width


class Word(Item):
    """Characters of one style in one face."""

    def __init__(self, text: str, style: Style, face: str, fonts: FontSet):
        self.text, self.style, self.face = text, style, face
        widths = fonts.faces[face].widths
        size, spacing = style.size, style.spacing * style.size
        self.width = sum(widths.get(c, 500) for c in text) * size / 1000 + spacing * len(text)
        self.above, self.below = text_extent(fonts, face, size)
        self.above += style.rise
        self.below -= style.rise

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

    def __init__(self, width: float, height: float, ops: list, parent_size: float, margin: float = 0.0):
        self.width, self.height, self.ops, self.margin = width, height, ops, margin
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
        elif node.has("map"):
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
        return Box(width + margin_right, top + above + below, ops, style.size)

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


def break_lines(items: list[Item], width: float) -> list[list[Item]]:
    """Greedy line breaking at spaces (and <br>), as a browser does for left-aligned text."""
    lines: list[list[Item]] = []
    line: list[Item] = []
    used = 0.0
    i, items = 0, trim(items)
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


# -- blocks: units of a page --------------------------------------------------------------------

@dataclass
class Unit:
    height: float
    ops: list = field(default_factory=list)
    group: int | None = None        # units of one group stay on one page if they can
    keep: bool = False              # stays on the page of what comes next
    bars: tuple = ()                # x of the bars drawn along the unit's left (a solution's border)
    gap: bool = False               # blank space, dropped at the top of a page


@dataclass
class Context:
    x: float = 0.0
    width: float = WIDTH
    style: Style = Style()
    group: int | None = None
    bars: tuple = ()
    keep: bool = False


BLOCK_TAGS = {"section", "header", "article", "div", "p", "h1", "h2", "h3", "ol", "ul", "li", "table"}
# style.css's vertical margins of blocks, in em of the block's font: (before, after)
MARGINS = {"h1": (0.2, 0.5), "h2": (0, 0.4), "h3": (0, 0.2), "p": (0.35, 0.35), "ol": (0.3, 0.3),
           "ul": (0.3, 0.3), "article.question": (0, 1.2), "div.answers": (0.5, 0), "div.answer": (0.4, 0.4),
           "div.solution": (0.5, 0.8), "div.instructions": (0.6, 0), "table.trace": (0.4, 0.6),
           "p.in-solution": (0.25, 0.25), "p.in-instructions": (0.2, 0.2)}


class Typesetter:
    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        self.inline = Inline(fonts)
        self.units: list[Unit] = []
        self.pending = 0.0
        self.groups = 0

    # the flow of units, with CSS's collapsing of adjacent margins
    def space(self, height: float) -> None:
        self.pending = max(self.pending, height)

    def add(self, unit: Unit, ctx: Context) -> None:
        if self.pending:
            previous_keep = bool(self.units) and self.units[-1].keep
            self.units.append(Unit(self.pending, group=ctx.group, bars=ctx.bars, gap=True, keep=previous_keep))
            self.pending = 0.0
        self.units.append(unit)

    # blocks
    def block(self, node: Node, ctx: Context, parent: str = "") -> None:
        tag, cls = node.tag, node.classes
        key = f"{tag}.{cls[0]}" if cls else tag
        style = ctx.style
        if tag in ("h1", "h2", "h3"):
            style = replace(style, face="bold", size={"h1": 16, "h2": 12, "h3": 10.5}[tag])
        elif key == "div.course":
            style = replace(style, size=9.5, color=GREY_44, upper=True, spacing=0.05)
        elif key == "div.instructions":
            style = replace(style, size=9.5)
        elif key == "table.trace":
            style = replace(style, size=9.5)
        margin_key = f"p.in-{parent}" if tag == "p" and parent in ("solution", "instructions") else key
        before, after = MARGINS.get(margin_key, MARGINS.get(tag, (0, 0)))
        inner = replace(ctx, style=style)
        if key in ("div.statement", "div.answer", "div.solution"):
            self.groups += 1
            inner = replace(inner, group=self.groups)
        if key == "div.solution":
            inner = replace(inner, x=ctx.x + 2 + 0.8 * style.size, width=ctx.width - 2 - 0.8 * style.size,
                            bars=ctx.bars + (ctx.x + 1,))
        if tag in ("h1", "h2", "h3"):
            inner = replace(inner, keep=True)
        self.space(before * style.size)
        if tag == "header":
            self.children(node, inner, "header")
            self.add(Unit(0.6 * style.size), inner)
            self.add(Unit(1.5, [("line", 0, 0.75, WIDTH, 0.75, 1.5, INK)]), inner)
            self.space(1.0 * style.size)
            return
        if tag == "table":
            self.table(node, inner)
        elif key == "div.box":
            h = 2.4 * style.size
            self.space(0.2 * style.size)
            self.add(Unit(h, [("rect", inner.x + 0.3, 0.3, inner.width - 0.6, h - 0.6, 0.6, GREY_88)],
                          group=inner.group, bars=inner.bars), inner)
        elif tag in ("ol", "ul"):
            self.list(node, inner)
        else:
            self.children(node, inner, cls[0] if cls else tag)
        self.space(after * style.size)

    def children(self, node: Node, ctx: Context, name: str) -> None:
        """Block children as blocks; runs of inline children as anonymous paragraphs."""
        run: list = []
        for child in node.children:
            if isinstance(child, Node) and child.tag in BLOCK_TAGS and not child.has("matrix"):
                self.paragraph(run, ctx)
                run = []
                self.block(child, ctx, name)
            else:
                run.append(child)
        self.paragraph(run, ctx)

    def paragraph(self, nodes: list, ctx: Context, marker: str = "") -> None:
        items = self.inline.items(nodes, ctx.style)
        if not trim(items):
            return
        strut_above, strut_below = text_extent(self.fonts, ctx.style.face, ctx.style.size)
        for index, line in enumerate(break_lines(items, ctx.width)):
            above = max([strut_above] + [i.above for i in line])
            below = max([strut_below] + [i.below for i in line])
            ops: list = []
            if marker and index == 0:
                marker_item = Word(marker, ctx.style, "serif", self.fonts)
                marker_item.draw(ops, ctx.x - 0.4 * ctx.style.size - marker_item.width, above)
            place(ops, line, ctx.x, above)
            self.add(Unit(above + below, ops, ctx.group, ctx.keep, ctx.bars), ctx)

    def list(self, node: Node, ctx: Context) -> None:
        indent = 1.6 * ctx.style.size
        inner = replace(ctx, x=ctx.x + indent, width=ctx.width - indent)
        items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
        for number, item in enumerate(items, start=1):
            marker = f"{number}." if node.tag == "ol" else "•"
            blocks = any(isinstance(c, Node) and c.tag in BLOCK_TAGS for c in item.children)
            if blocks:
                self.children(item, inner, "li")
            else:
                self.paragraph(item.children, inner, marker)

    def table(self, node: Node, ctx: Context) -> None:
        """Rows of one-line cells; columns as wide as their widest cell."""
        trace = node.has("trace")
        rows = [tr for tr in walk(node) if tr.tag == "tr"]
        cells = [[c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")] for tr in rows]
        laid = []
        for row in cells:
            out = []
            for cell in row:
                style = inline_style(cell, ctx.style)
                if cell.tag == "th" and not trace:
                    style = replace(style, face="serif", color=GREY_44)
                out.append(self.inline.one_line(cell.children, style))
            laid.append(out)
        pad_y = 0.15 * ctx.style.size
        pad_right = (0.8 if trace else 1.0) * ctx.style.size
        columns = max((len(r) for r in laid), default=0)
        widths = [max((r[c][1] for r in laid if c < len(r)), default=0) + pad_right for c in range(columns)]
        if not trace and columns > 1:
            widths[1] = max(widths[1], 16 * ctx.style.size)
        for row in laid:
            above = max((c[2] for c in row), default=0)
            below = max((c[3] for c in row), default=0)
            height = above + below + 2 * pad_y
            ops: list = []
            x = ctx.x
            for (items, _, _, _), w in zip(row, widths):
                place(ops, items, x, pad_y + above)
                x += w
            if trace:
                ops.append(("line", ctx.x, height - 0.25, ctx.x + sum(widths), height - 0.25, 0.5, GREY_BB))
            self.add(Unit(height, ops, ctx.group, False, ctx.bars), ctx)


def walk(node: Node) -> Iterator[Node]:
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from walk(child)


# -- pages ----------------------------------------------------------------------------------------

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


def typeset(section_html: str, fonts: FontSet) -> list[Page]:
    """One sheet or key (a <section> as section.html.j2 writes it) as PDF pages, numbered from 1."""
    setter = Typesetter(fonts)
    root = parse(section_html)
    section = next((n for n in walk(root) if n.tag == "section"), root)
    setter.children(section, Context(), "section")
    return [content_stream(placed, number, fonts) for number, placed in enumerate(paginate(setter.units), start=1)]

"""hw's sheets and keys typeset straight into PDF pages.

The PDF shows the same page as the HTML file: it reads the same <section> that
section.html.j2 writes, and style.css's rules for it are mirrored below.  The
markup is hw's own and closed (headings, paragraphs, lists, formulas with
italics, sub- and superscripts, bracketed matrices, feature maps side by side,
two kinds of tables, answer boxes, solutions with a bar at their left), so a
small typesetter does what a general HTML engine would, at a small fraction of
its cost: it is what lets a class's PDFs be written in seconds.

Three steps: the HTML becomes a tree (templates/htmltree.py); blocks become
`Unit`s (a line, a table row, a gap), each a list of drawing operations below
its top edge, here, with their lines from templates/inline.py; units are dealt
onto pages, keeping together what CSS says to keep together, and written as
content streams (templates/paginate.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from templates.fonts import FontSet
from templates.htmltree import Node, parse, walk
from templates.inline import (GREY_44, GREY_88, GREY_BB, INK, Inline, Style, Word, break_lines, inline_style, place,
                              text_extent, trim)
from templates.paginate import WIDTH, Page, Unit, content_stream, paginate


@dataclass
class Context:
    """Where a block's content goes: its left edge and width, its style, its group and bars."""
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
    """Walks a page's blocks in order and lays them out as a flat list of units."""

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
            h = (7.5 if "tall" in cls else 2.4) * style.size      # style.css: .answer .box, .box.tall
            self.space(0.2 * style.size)
            self.add(Unit(h, [("rect", inner.x + 0.3, 0.3, inner.width - 0.6, h - 0.6, 0.6, GREY_88)],
                          group=inner.group, bars=inner.bars), inner)
        elif tag in ("ol", "ul"):
            self.list(node, inner)
        else:
            self.children(node, inner, cls[0] if cls else tag)
        self.space(after * style.size)

    def children(self, node: Node, ctx: Context, name: str) -> None:
        """Block children as blocks; runs of inline children as anonymous paragraphs.

        A statement followed by answer boxes keeps to the page of the first box (style.css:
        `.statement:has(+ .answers)`): a question at the foot of a page, its boxes overleaf, is
        answered on the wrong page."""
        run: list = []
        for index, child in enumerate(node.children):
            if isinstance(child, Node) and child.tag in BLOCK_TAGS and not child.has("matrix"):
                self.paragraph(run, ctx)
                run = []
                self.block(child, ctx, name)
                if child.has("statement") and self.units:
                    after = next((c for c in node.children[index + 1:] if isinstance(c, Node)), None)
                    if after is not None and after.has("answers"):
                        self.units[-1] = replace(self.units[-1], keep=True)
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


def typeset(section_html: str, fonts: FontSet) -> list[Page]:
    """One sheet or key (a <section> as section.html.j2 writes it) as PDF pages, numbered from 1."""
    setter = Typesetter(fonts)
    root = parse(section_html)
    section = next((n for n in walk(root) if n.tag == "section"), root)
    setter.children(section, Context(), "section")
    return [content_stream(placed, number, fonts) for number, placed in enumerate(paginate(setter.units), start=1)]

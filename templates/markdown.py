"""The Markdown of statements and keys as HTML: paragraphs, lists, `code`, **bold**, $math$.

Everything is escaped; the only markup that reaches the page is what this module
and the notation filters write.  Filters hand their HTML over as fragments,
marked in the text by \\x00<index>\\x00, so a statement's own text can never
smuggle markup in.
"""
from __future__ import annotations

import re
from html import escape

from templates.texhtml import tex_to_html

INLINE = re.compile(r"`([^`]+)`|\$\$(.+?)\$\$|\$([^$]+)\$|\*\*(.+?)\*\*|\x00(\d+)\x00", re.S)
LIST_ITEM = re.compile(r"^\s*(\d+[.)]|[-*])\s+")
_MARKUP = re.compile(r"([\\`*_\[\]<>|$~&])")


def md_text(text: str) -> str:
    """Text that is data (a student's name or id, an answer quoted) for a Markdown page, shown as
    it is: the characters Markdown and its math would read as markup (emphasis, links, raw HTML,
    tables, formulas, entities) escaped with a backslash, as CommonMark allows for any punctuation."""
    return _MARKUP.sub(r"\\\1", text)


def inline(text: str, fragments: list[str] | None = None) -> str:
    out, last = [], 0
    for m in INLINE.finditer(text):
        out.append(escape(text[last:m.start()]))
        code, display, math, bold, fragment = m.groups()
        if code is not None:
            out.append(f"<code>{escape(code)}</code>")
        elif display is not None:
            out.append(f'<span class="display">{_math(display, fragments)}</span>')
        elif math is not None:
            out.append(_math(math, fragments))
        elif bold is not None:
            out.append(f"<strong>{inline(bold, fragments)}</strong>")
        else:
            out.append(fragments[int(fragment)] if fragments and int(fragment) < len(fragments) else "")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _math(tex: str, fragments: list[str] | None) -> str:
    if "\x00" in tex:   # a filter's output inside math: show it as it is
        return inline(tex, fragments)
    return tex_to_html(tex)


def to_html(text: str, fragments: list[str] | None = None) -> str:
    """Blocks separated by blank lines become paragraphs or lists."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n".join(_block(b, fragments) for b in blocks if b.strip())


def _block(block: str, fragments: list[str] | None) -> str:
    lines = block.split("\n")
    if LIST_ITEM.match(lines[0]):
        items: list[str] = []
        for line in lines:
            if LIST_ITEM.match(line):
                items.append(LIST_ITEM.sub("", line, count=1))
            elif items:
                items[-1] += " " + line.strip()
        tag = "ol" if lines[0].strip()[0].isdigit() else "ul"
        body = "".join(f"<li>{inline(i, fragments)}</li>" for i in items)
        return f"<{tag}>{body}</{tag}>"
    return f"<p>{inline(' '.join(line.strip() for line in lines), fragments)}</p>"

"""The small TeX subset of statements and keys, as HTML (PDFs cannot run MathJax).

Covers what the lecture's formulas use: sub- and superscripts, \\times \\cdot
\\max \\sum \\alpha \\lceil..., \\frac, \\text, \\mathrm, \\mathbb{R}, spacing, and
bmatrix environments (drawn as bracketed grids).  Unknown commands are shown
as their name, escaped: nothing in the input reaches the page as markup.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from html import escape

SYMBOLS = {
    "times": "×", "cdot": "·", "alpha": "α", "beta": "β", "sum": "∑", "lceil": "⌈", "rceil": "⌉",
    "lfloor": "⌊", "rfloor": "⌋", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "in": "∈", "Rightarrow": "⇒", "to": "→", "rightarrow": "→", "dots": "…", "ldots": "…", "cdots": "⋯",
    "odot": "⊙", "infty": "∞", "approx": "≈", "pm": "±", "{": "{", "}": "}", "sigma": "σ", "lambda": "λ",
    "max": "max", "min": "min", "sim": "∼", "star": "⋆", "circ": "∘", "mid": "|",
}
SPACES = {"qquad": "\u2003\u2003", "quad": "\u2003", ",": "\u2009", ";": "\u2005", " ": " ", "!": ""}
DROPPED = {"left", "right", "big", "Big", "displaystyle"}
TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}_^&])|(\s+)|([A-Za-z])|(.)", re.S)


class _Parser:
    def __init__(self, text: str):
        self.tokens = [m for m in TOKEN.finditer(text)]
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def group(self) -> str:
        """One argument: {...} or a single token."""
        token = self.peek()
        if token is None:
            return ""
        if token.group(2) == "{":
            self.i += 1
            return self.sequence(stop="}")
        return self.atom()

    def raw_group(self) -> str:
        token = self.peek()
        if token is None or token.group(2) != "{":
            return ""
        depth, out = 0, []
        while self.peek() is not None:
            t = self.tokens[self.i]
            self.i += 1
            if t.group(2) == "{":
                depth += 1
                if depth == 1:
                    continue
            elif t.group(2) == "}":
                depth -= 1
                if depth == 0:
                    break
            out.append(t.group(0))
        return "".join(out)

    def sequence(self, stop: str | None = None) -> str:
        out = []
        while self.peek() is not None:
            token = self.peek()
            if stop and token.group(2) == stop:
                self.i += 1
                break
            if token.group(0) == "\\end":
                break
            out.append(self.atom())
        return "".join(out)

    def atom(self) -> str:
        token = self.tokens[self.i]
        self.i += 1
        command, special, space, letter, other = token.groups()
        if letter:
            return f"<i>{letter}</i>"
        if space:
            return " "
        if other:
            return "\u2212" if other == "-" else escape(other)
        if special == "{":
            return self.sequence(stop="}")
        if special in ("_", "^"):
            tag = "sub" if special == "_" else "sup"
            return f"<{tag}>{self.group()}</{tag}>"
        if special == "&":
            return " "
        if special == "}":
            return ""
        return self.command(command)

    def command(self, name: str) -> str:
        if name in SYMBOLS:
            return escape(SYMBOLS[name])
        if name in SPACES:
            return SPACES[name]
        if name in DROPPED:
            return ""
        if name == "\\":
            return "<br>"
        if name in ("text", "mathrm", "operatorname"):
            text = self.raw_group().replace("{", "").replace("}", "")
            return f'<span class="upright">{escape(text)}</span>'
        if name == "mathbb":
            letter = self.raw_group()
            return {"R": "ℝ", "N": "ℕ", "Z": "ℤ"}.get(letter, escape(letter))
        if name == "frac":
            top, bottom = self.group(), self.group()
            return f"({top})/({bottom})"
        if name == "sqrt":
            return f"√({self.group()})"
        if name == "begin":
            return self.environment(self.raw_group())
        return escape(name)

    def environment(self, name: str) -> str:
        rows: list[list[str]] = [[]]
        cell: list[str] = []
        while self.peek() is not None:
            token = self.peek()
            if token.group(0) == "\\end":
                self.i += 1
                self.raw_group()
                break
            if token.group(2) == "&":
                self.i += 1
                rows[-1].append("".join(cell).strip())
                cell = []
            elif token.group(1) == "\\":
                self.i += 1
                rows[-1].append("".join(cell).strip())
                rows.append([])
                cell = []
            else:
                cell.append(self.atom())
        rows[-1].append("".join(cell).strip())
        rows = [r for r in rows if any(r)]
        body = "".join('<span class="row">' + "".join(f'<span class="cell">{c}</span>' for c in r) + "</span>"
                       for r in rows)
        return f'<span class="matrix">{body}</span>'


@lru_cache(maxsize=1 << 14)
def tex_to_html(tex: str) -> str:
    """HTML for the inside of $...$ (without the dollars).

    Kept: a class's feedback pages hold some 50,000 formulas, fewer than one in ten of them
    different (the students who drew a question alike, and made the same slip, get the same one)."""
    flat = _flat(tex)
    return f'<span class="math">{flat if flat is not None else _Parser(tex).sequence()}</span>'


# A formula with no group, environment or alignment, and scripts of one letter or digit at most: a
# sum of products written out, a size worked out. Its tokens stand alone (a script with the one it
# takes), so each maps to its HTML by itself, as _Parser.atom maps it, and a run of digits and plain
# operators is copied as it is (it needs neither escaping nor italics).
_STRUCTURE = re.compile(r"[{}&]|[_^](?![0-9A-Za-z])"
                        r"|\\(?:begin|end|text|mathrm|operatorname|mathbb|frac|sqrt)(?![A-Za-z])|\\\\")
_FLAT_TOKEN = re.compile(r"[_^][0-9A-Za-z]|[0-9+=().,/]+|\\(?:[A-Za-z]+|.)|\s+|.", re.S)
_PLAIN = frozenset("0123456789+=().,/")
_LETTERS = frozenset(string.ascii_letters)


def _flat_token(token: str) -> str:
    """A token of a formula without structure as HTML (kept by _flat: few differ)."""
    first = token[0]
    if first in "_^" and len(token) == 2:
        tag = "sub" if first == "_" else "sup"
        scripted = token[1]
        return f"<{tag}>{scripted if scripted.isdigit() else f'<i>{scripted}</i>'}</{tag}>"
    if first == "\\" and len(token) > 1:
        command = token[1:]
        if command in SYMBOLS:
            return escape(SYMBOLS[command])
        if command in SPACES:
            return SPACES[command]
        return "" if command in DROPPED else escape(command)
    if first in _PLAIN:
        return token
    if first.isspace():
        return " "
    if first in _LETTERS:
        return f"<i>{first}</i>"
    return "\u2212" if token == "-" else escape(token)


_FLAT_HTML: dict[str, str] = {}
_FLAT_KEPT = 1 << 15        # tokens kept at most (numbers differ; the rest are few)


_ARITHMETIC = "0123456789+=().,/- "


def _flat(tex: str) -> str | None:
    """The HTML of a formula without structure (see above), or None for one that has some."""
    if "  " not in tex and not tex.replace("\\cdot", "").replace("\\times", "").strip(_ARITHMETIC):
        # Arithmetic written out (a wrong entry's window, summed in the feedback: a hundred tokens):
        # digits, operators, products and single spaces, where every token is its own HTML but three.
        return tex.replace("\\cdot", "·").replace("\\times", "×").replace("-", "\u2212")
    if _STRUCTURE.search(tex):
        return None
    kept, out = _FLAT_HTML, []
    for token in _FLAT_TOKEN.findall(tex):
        html = kept.get(token)
        if html is None:
            html = _flat_token(token)
            if len(kept) < _FLAT_KEPT:
                kept[token] = html
        out.append(html)
    return "".join(out)

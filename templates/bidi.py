"""Right-to-left text (Arabic and Hebrew names) in the order and the forms a reader expects on a PDF page.

A browser lays out the HTML pages with the Unicode bidirectional algorithm and
shapes Arabic itself; hw's PDF typesetter draws characters as they are stored,
left to right.  For the short texts of these scripts that hw's pages hold (a
student's name, a title) two steps do it, on each piece of text before it is
cut into words:

- Arabic letters take their contextual forms (isolated, initial, medial,
  final), as Unicode's Presentation Forms-B, which DejaVu Sans has; lam before
  alef becomes their ligature.  The table comes from Unicode's own
  decompositions of those forms (`<initial> 0628`), not from a list kept here.
- The text is put in visual order: each run of right-to-left letters reversed,
  numbers and left-to-right words inside it kept as they read, the spaces and
  punctuation between two right-to-left letters taken into the run, and
  brackets inside it mirrored (the resolution of neutrals and the reordering
  of the bidirectional algorithm, rules N1 and L2).

Not done: explicit embeddings and isolates (U+202A...), and reordering across a
line break or across markup (each piece of text is ordered by itself).  Text
without a right-to-left letter is returned as it is.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

RTL = ("R", "AL")
NUMBER = ("EN", "AN")
TATWEEL = "\u0640"                          # the joining stroke: joins on both sides, has no forms
LAM, ALEFS = "\u0644", "\u0622\u0623\u0625\u0627"
MIRRORED = dict(zip("()[]{}<>«»", ")(][}{><»«"))
# the blocks that hold right-to-left letters (Hebrew to Arabic Extended, their presentation forms,
# the historic scripts of the supplementary planes): a first look, at the speed of re, for the
# many pages of plain text
RTL_BLOCKS = re.compile("[\u200f\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Letter -> form -> presentation form, and alef -> form -> lam-alef ligature."""
    forms: dict[str, dict[str, str]] = {}
    ligatures: dict[str, dict[str, str]] = {}
    for code in range(0xFE70, 0xFEFD):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) < 2 or parts[0] not in ("<isolated>", "<final>", "<initial>", "<medial>"):
            continue
        form, bases = parts[0][1:-1], "".join(chr(int(p, 16)) for p in parts[1:])
        if len(bases) == 1 and unicodedata.category(bases) == "Lo":
            forms.setdefault(bases, {})[form] = chr(code)
        elif len(bases) == 2 and bases[0] == LAM and bases[1] in ALEFS:
            ligatures.setdefault(bases[1], {})[form] = chr(code)
    return forms, ligatures


def presentation_forms(chars: set[str]) -> set[str]:
    """Every form that shaping may draw for these characters (the fonts must hold them)."""
    forms, ligatures = _tables()
    out = {f for c in chars if c in forms for f in forms[c].values()}
    if LAM in chars:
        out |= {f for c in chars if c in ligatures for f in ligatures[c].values()}
    return out


def _joins_next(c: str | None) -> bool:
    return c == TATWEEL or c is not None and "initial" in _tables()[0].get(c, {})


def _joins_previous(c: str | None) -> bool:
    return c == TATWEEL or c is not None and "final" in _tables()[0].get(c, {})


def shape(text: str) -> str:
    """Arabic letters in their contextual forms; combining marks (harakat) are passed over for
    joining, as the letters on either side of them join."""
    forms, ligatures = _tables()
    letters = [i for i, c in enumerate(text) if unicodedata.category(c) != "Mn"]
    neighbours = {i: (text[letters[k - 1]] if k else None, text[letters[k + 1]] if k + 1 < len(letters) else None)
                  for k, i in enumerate(letters)}
    out, skip = [], False
    for i, c in enumerate(text):
        if skip:
            skip = False
            continue
        if c not in forms:
            out.append(c)
            continue
        before, after = neighbours[i]
        joined_before = _joins_next(before) and _joins_previous(c)
        if c == LAM and after in ligatures and text[i + 1:i + 2] == after:
            out.append(ligatures[after]["final" if joined_before else "isolated"])
            skip = True
            continue
        joined_after = _joins_next(c) and _joins_previous(after)
        form = {(True, True): "medial", (True, False): "final", (False, True): "initial"}.get(
            (joined_before, joined_after), "isolated")
        out.append(forms[c].get(form) or forms[c].get("isolated", c))
    return "".join(out)


def visual(text: str) -> str:
    """`text` in the order its characters are drawn left to right, Arabic shaped; unchanged when
    it holds no right-to-left letter."""
    if RTL_BLOCKS.search(text) is None or not any(unicodedata.bidirectional(c) in RTL for c in text):
        return text
    text = shape(text)
    kinds = [unicodedata.bidirectional(c) for c in text]
    paragraph = next(("R" if k in RTL else "L" for k in kinds if k in RTL or k == "L"), "L")
    # letters have their own direction; a number after a left-to-right letter is left to right
    # (W7), any other is "N": drawn left to right inside right-to-left text; neutrals are None
    direction: list[str | None] = []
    last = paragraph
    for k in kinds:
        if k in RTL or k == "L":
            last = "R" if k in RTL else "L"
            direction.append(last)
        elif k in NUMBER:
            direction.append("L" if last == "L" and k == "EN" else "N")
        else:
            direction.append(None)
    # a run of neutrals takes the direction on both its sides when they agree, a number counting
    # as right-to-left, else the paragraph's (N1, N2)
    resolved = list(direction)
    i, n = 0, len(text)
    while i < n:
        if direction[i] is not None:
            i += 1
            continue
        j = i
        while j < n and direction[j] is None:
            j += 1
        left = _side(direction[i - 1]) if i else paragraph
        right = _side(direction[j]) if j < n else paragraph
        resolved[i:j] = [left if left == right else paragraph] * (j - i)
        i = j
    ltr = 0 if paragraph == "L" else 2
    levels = [2 if d == "N" else 1 if d == "R" else ltr for d in resolved]          # I1, I2
    chars = [MIRRORED.get(c, c) if level % 2 else c for c, level in zip(text, levels)]
    for level in range(max(levels), 0, -1):              # L2: reverse every run at this level or above
        i = 0
        while i < n:
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < n and levels[j] >= level:
                j += 1
            chars[i:j] = chars[i:j][::-1]
            i = j
    return "".join(chars)


def _side(direction: str | None) -> str:
    return "L" if direction == "L" else "R"

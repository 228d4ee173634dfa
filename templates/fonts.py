"""The fonts of hw's PDFs: DejaVu Serif (regular, italic, bold) and DejaVu Sans Mono (regular, bold).

The PDF pages are typeset by hw itself (templates/typeset.py), so it needs two
things from a font: the advance width of each character, to break lines, and
the font program to embed, cut down to the glyphs the class uses.  fontTools
reads the TrueType files and cuts them (one subset per face for the whole class,
made once and embedded in every file, so a file never depends on which other
students were in the same batch).  DejaVu Sans stands in for a character a face
lacks.  DejaVu has not changed since 2016, so the same class gives the same
bytes on every machine that has it.  Debian ships the faces in fonts-dejavu-core,
except the italic (fonts-dejavu-extra); without it, italics are the regular face
slanted, as browsers do.

A character no DejaVu face has (a student's name in Chinese, say) comes from
another TrueType font of the machine: $HW_EXTRA_FONT, or the one fontconfig
lists that has the most of them, cut down to those characters.  Its PDFs then
depend on that font; a character no font has prints as an empty box, and
`missing` lists it for a note.
"""
from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from problems.errors import HwError
from templates.bidi import presentation_forms

FACES = {
    "serif": ("DejaVuSerif.ttf", "DejaVu Serif:style=Book"),
    "italic": ("DejaVuSerif-Italic.ttf", "DejaVu Serif:style=Italic"),
    "bold": ("DejaVuSerif-Bold.ttf", "DejaVu Serif:style=Bold"),
    "mono": ("DejaVuSansMono.ttf", "DejaVu Sans Mono:style=Book"),
    "mono-bold": ("DejaVuSansMono-Bold.ttf", "DejaVu Sans Mono:style=Bold"),
    "sans": ("DejaVuSans.ttf", "DejaVu Sans:style=Book"),
}
FALLBACK = "sans"
EXTRA = "extra"          # a font of the machine's for what DejaVu lacks
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/truetype", "/usr/local/share/fonts", "/opt/homebrew/share/fonts",
             "/Library/Fonts", str(Path.home() / "Library/Fonts"), "C:/Windows/Fonts")
# what hw's own markup draws besides the text of the pages: page numbers, bullets, brackets
ALWAYS = "".join(chr(c) for c in range(32, 127)) + "•–—×−·…"


class FontError(HwError):
    pass


SLANTED = {"italic": "serif"}      # a face that may be drawn as another one, slanted
SLANT = 0.2                          # the slant (horizontal shift per unit of height)


def find_font(file_name: str, pattern: str) -> Path:
    """A DejaVu file: $HW_FONT_DIR first, then the usual font folders, then fontconfig."""
    folders = [os.environ["HW_FONT_DIR"]] if os.environ.get("HW_FONT_DIR") else []
    for folder in folders + list(FONT_DIRS):
        candidate = Path(folder) / file_name
        if candidate.is_file():
            return candidate
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True).stdout
        if found.endswith(file_name) and Path(found).is_file():
            return Path(found)
    raise FontError(f"PDF output needs the font {file_name} (DejaVu; on Debian and Ubuntu: "
                    f"apt install fonts-dejavu-core), or HW_FONT_DIR set to a folder that holds it")


@dataclass
class Face:
    """One font file's metrics, in thousandths of the font size (PDF's glyph space)."""
    name: str
    path: Path
    widths: dict[str, float]        # character -> advance
    ascent: float
    descent: float                  # positive, below the baseline
    slant: float = 0.0              # drawn slanted: a stand-in for a missing italic
    number: int = 0                 # the font's place in a collection (.ttc)
    label: str = ""                 # its name in the PDF; DejaVu-<name> when empty

    def has(self, char: str) -> bool:
        return char in self.widths


@lru_cache(maxsize=None)
def load_face(name: str) -> Face:
    file_name, pattern = FACES[name]
    return _read_face(name, find_font(file_name, pattern))


def _read_face(name: str, path: Path, number: int = 0, named: bool = False) -> Face:
    """A font file's metrics; `named`: called by its own PostScript name in the PDF (else DejaVu-<name>)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True, fontNumber=number)
    if "glyf" not in font:          # PostScript outlines (.otf) are not what FontFile2 embeds
        raise FontError("not a TrueType font (PostScript outlines, as most .otf files have)", file=str(path))
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {chr(code): metrics[glyph][0] * scale for code, glyph in font.getBestCmap().items()}
    hhea = font["hhea"]
    label = ""
    if named:
        own = font["name"].getDebugName(6) or ""
        label = "".join(c for c in own if c.isascii() and (c.isalnum() or c == "-"))[:60] or "Extra"
    return Face(name, path, widths, hhea.ascent * scale, -hhea.descent * scale, number=number, label=label)


def extra_face(missing: set[str]) -> Face | None:
    """The TrueType font that has the most of `missing` (characters no DejaVu face has):
    $HW_EXTRA_FONT, then the fonts fontconfig lists for them; None when no font has any."""
    chosen: list[Face] = []
    if os.environ.get("HW_EXTRA_FONT"):          # the user's own choice: a file hw cannot use is an error
        path = Path(os.environ["HW_EXTRA_FONT"])
        if not path.is_file():
            raise FontError("no such file (HW_EXTRA_FONT)", file=str(path))
        try:
            chosen.append(_read_face(EXTRA, path, named=True))
        except Exception as e:  # noqa: BLE001 - fontTools' errors for a file that is no font are of many kinds
            why = e.message if isinstance(e, FontError) else f"not a font file hw can read ({type(e).__name__})"
            raise FontError(f"{why} (HW_EXTRA_FONT)", file=str(path)) from None
    best, covered = None, 0
    for face in itertools.chain(chosen, _readable(_fontconfig_fonts(missing))):
        count = sum(1 for c in missing if face.has(c))
        if count > covered:
            best, covered = face, count
        if count == len(missing):
            break
    return best


def _readable(fonts: list[tuple[Path, int]]) -> Iterator[Face]:
    for path, number in fonts:
        try:
            yield _read_face(EXTRA, path, number, named=True)
        except Exception:  # noqa: BLE001 - a font fontconfig lists but fontTools cannot read: another one
            continue


CANDIDATES = 12          # fonts read at most when looking for an extra one


def _fontconfig_fonts(missing: set[str]) -> list[tuple[Path, int]]:
    """The fonts fontconfig lists as having all of `missing`, else those that have one of its first
    few characters; in name order, DejaVu left out."""
    if not missing or not shutil.which("fc-list"):
        return []
    chars = sorted(missing)

    def listed(some: list[str]) -> set[tuple[Path, int]]:
        pattern = ":charset=" + " ".join(f"{ord(c):x}" for c in some)
        try:
            out = subprocess.run(["fc-list", "-f", "%{file}\t%{index}\n", pattern], capture_output=True,
                                 text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            return set()
        fonts = set()
        for line in out.splitlines():
            file, _, index = line.partition("\t")
            if file.lower().endswith((".ttf", ".ttc")) and "dejavu" not in file.lower():
                fonts.add((Path(file), int(index) if index.isdigit() else 0))
        return fonts

    found = listed(chars[:200])
    if not found:
        found = set().union(*(listed([c]) for c in chars[:4]))
    return sorted(found)[:CANDIDATES]


def _face_or_stand_in(name: str) -> Face:
    try:
        return load_face(name)
    except FontError:
        if name not in SLANTED:
            raise
        return replace(load_face(SLANTED[name]), name=name, slant=SLANT)


@dataclass
class Embedded:
    """A face cut down to some characters: the font program, and where each character went."""
    face: Face
    program: bytes                  # the TrueType subset, as FontFile2 wants it
    glyphs: dict[str, int]          # character -> glyph id in the subset
    widths: dict[int, float]        # glyph id -> advance


def embed(face: Face, chars: set[str]) -> Embedded:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = sorted(c for c in chars if face.has(c))
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = []
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG"]
    # What later fontTools versions added, turned off as the earlier ones had it, so that a class's
    # PDFs are the same bytes whichever version (4.38 on) cut their fonts: the mirror of each
    # character asked for (a glyph hw's own typesetting never draws) and code page bits recomputed.
    for added in ("bidi_closure", "prune_codepage_ranges"):
        if hasattr(options, added):
            setattr(options, added, False)
    font = TTFont(str(face.path), recalcTimestamp=False, fontNumber=face.number)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    cmap = font.getBestCmap()
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    glyphs = {chr(code): order[name] for code, name in cmap.items()}
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {gid: metrics[name][0] * scale for name, gid in order.items()}
    out = io.BytesIO()
    font.save(out)
    return Embedded(face, out.getvalue(), glyphs, widths)


class FontSet:
    """The faces of one class's PDFs, each cut down to the characters the class's pages use."""

    def __init__(self, chars: set[str]):
        chars = set(chars) | {u for c in chars for u in c.upper()} | set(ALWAYS)
        chars |= presentation_forms(chars)          # the forms Arabic letters are drawn in (templates.bidi)
        chars = {c for c in chars if c.isprintable() or c == " "}
        self.faces = {name: _face_or_stand_in(name) for name in FACES}
        missing = {c for c in chars if c != " " and not any(face.has(c) for face in self.faces.values())}
        extra = extra_face(missing) if missing else None
        self.embedded = {name: embed(face, chars) for name, face in self.faces.items()}
        if extra is not None:
            self.faces[EXTRA], self.embedded[EXTRA] = extra, embed(extra, missing)
        self.missing = sorted(c for c in missing if extra is None or not extra.has(c))    # empty boxes
        self.codes = {name: {c: f"{gid:04X}" for c, gid in e.glyphs.items()} for name, e in self.embedded.items()}

    def face_for(self, name: str, char: str) -> str:
        """The face that draws `char` in face `name`'s place: itself, the fallback, or the extra font."""
        if char in self.embedded[name].glyphs:
            return name
        if EXTRA in self.embedded and char in self.embedded[EXTRA].glyphs \
                and char not in self.embedded[FALLBACK].glyphs:
            return EXTRA
        return FALLBACK

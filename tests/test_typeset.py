"""hw's own PDF typesetting, read back with poppler (pdftotext, pdfinfo): an independent PDF reader.

What must hold for a sheet or key: every word inside the text column, the same
text as the HTML page (nothing lost, nothing invented, characters mapped back
to Unicode), a solution never torn across pages, the print file made of every
student's pages in roster order, and clear messages when fonts are missing.
"""
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from templates import fonts as font_module

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                reason="poppler-utils (pdftotext, pdfinfo) is not installed")

PAGE_WIDTH, PAGE_HEIGHT, MM = 595.276, 841.89, 72 / 25.4      # A4; margins 16 mm at the sides, 18 mm top and bottom
ROSTER = "student_id,name\n" + "".join(f"s{i:02d},Student {i}\n" for i in range(1, 4))


def pdftotext(path: Path, *args: str, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


class _Text(HTMLParser):
    """The text of an HTML page's <section>, as a reader sees it: with list numbers and bullets."""

    def __init__(self):
        super().__init__()
        self.inside, self.text, self.lists = False, [], []

    def handle_starttag(self, tag, attrs):
        self.inside = self.inside or tag == "section"
        if tag in ("ol", "ul"):
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            self.text.append(f"{self.lists[-1][1]}." if self.lists[-1][0] == "ol" else "•")

    def handle_endtag(self, tag):
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.text)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from click.testing import CliRunner
    from cli import main

    root = tmp_path_factory.mktemp("typeset")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", "--roster", str(root / "roster.csv"), "--seed", "5",
                                       "--format", "html,pdf", "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_every_word_stays_inside_the_text_column(run):
    words = 0
    for path in sorted(run.glob("*/s0*.pdf")):
        box = pdftotext(path, "-bbox")
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', box):
            words += 1
            assert float(x0) >= 16 * MM - 0.5 and float(x1) <= PAGE_WIDTH - 16 * MM + 0.5, (path.name, word)
            if not word.isdigit():        # the page number sits in the bottom margin
                assert float(y0) >= 18 * MM - 6 and float(y1) <= PAGE_HEIGHT - 18 * MM + 6, (path.name, word)
    assert words > 3000


def test_the_pdf_reads_back_as_the_html_page_does(run):
    """All the text of the HTML page, in the same order, and nothing else but page numbers."""
    for folder in ("sheets", "keys"):
        for student in ("s01", "s03"):
            pages = pdftotext(run / folder / f"{student}.pdf", "-raw").split("\f")[:-1]
            for number, page in enumerate(pages, start=1):    # each page ends with its number
                assert page.rstrip("\n").endswith(f"\n{number}"), (folder, student, number)
            pdf = "".join(page.rstrip("\n")[:-len(str(n))] for n, page in enumerate(pages, start=1))
            html = html_text(run / folder / f"{student}.html")
            assert squeezed(pdf) == squeezed(html), (folder, student)


def test_a_solution_is_never_torn_across_pages(run):
    key = run / "keys" / "s02.pdf"
    pages = page_count(key)
    assert pages >= 5
    seen = 0
    for page in range(1, pages + 1):
        text = pdftotext(key, page=page)
        headings = re.findall(r"^q\d+\.\w+ \(\d+(?:\.\d+)? pts?\)", text, re.M)
        answers = re.findall(r"^Answer:", text, re.M)
        assert len(headings) == len(answers), (page, headings)
        seen += len(headings)
    manifest = json.loads((run / "manifest.json").read_text())
    assert seen == sum(len(q["parts"]) for q in manifest["variants"]["s02"]["questions"].values())


def test_the_print_files_hold_every_students_pages_in_roster_order(run):
    for folder in ("sheets", "keys"):
        merged = run / "print" / f"{folder}.pdf"
        singles = [run / folder / f"s{i:02d}.pdf" for i in range(1, 4)]
        counts = [page_count(p) for p in singles]
        assert page_count(merged) == sum(counts)
        page = 1
        for single, count in zip(singles, counts):
            for own in range(1, count + 1):
                assert pdftotext(merged, page=page) == pdftotext(single, page=own)
                page += 1


def test_names_in_any_script_reach_the_pdf(hw, write, tmp_path):
    write("r.csv", "student_id,name\nx1,Иванов Пётр\nx2,Ελένη Παπαδοπούλου\nx3,Łukasz Żółć\n")
    assert hw("generate", "--roster", "r.csv", "--format", "pdf", "--assignment", "lecture5-exam").exit_code == 0
    text = pdftotext(tmp_path / "out" / "print" / "sheets.pdf")
    for name in ("Иванов Пётр", "Ελένη Παπαδοπούλου", "Łukasz Żółć"):
        assert name in text


def test_arabic_and_hebrew_names_read_back_as_written(hw, write, tmp_path):
    """pdftotext reorders right-to-left text itself: a name drawn in visual order, Arabic in its
    joined forms, reads back as the roster wrote it (the forms folded back to letters by NFKC)."""
    import unicodedata

    write("r.csv", "student_id,name\nx1,محمد علي\nx2,דוד לוי\n")
    assert hw("generate", "--roster", "r.csv", "--format", "pdf", "--assignment", "lecture5-exam").exit_code == 0
    for sid, name in (("x1", "محمد علي"), ("x2", "דוד לוי")):
        text = unicodedata.normalize("NFKC", pdftotext(tmp_path / "out" / "sheets" / f"{sid}.pdf"))
        text = "".join(c for c in text if c not in "\u202a\u202b\u202c\u200e\u200f")   # pdftotext's direction marks
        assert name in text, (sid, text[:300])


def _han_font(path: Path) -> None:
    """A TrueType font made here with one glyph, a square for 王: a stand-in for a font of the
    machine's that has what DejaVu lacks."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)); pen.lineTo((100, 800)); pen.lineTo((900, 800)); pen.lineTo((900, 0)); pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "wang"])
    builder.setupCharacterMap({ord("王"): "wang"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "wang": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "wang": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Test Han", "styleName": "Regular", "psName": "TestHan-Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def test_a_name_that_dejavu_lacks_is_drawn_from_another_font(hw, write, tmp_path, monkeypatch):
    _han_font(tmp_path / "han.ttf")
    monkeypatch.setenv("HW_EXTRA_FONT", str(tmp_path / "han.ttf"))
    monkeypatch.setattr(font_module, "_fontconfig_fonts", lambda missing: [])
    write("r.csv", "student_id,name\nx1,王 Wang\nx2,Łukasz Żółć\n")
    result = hw("generate", "--roster", "r.csv", "--format", "pdf", "--assignment", "lecture5-exam")
    assert result.exit_code == 0
    assert "Note:" not in result.stderr
    sheets = tmp_path / "out" / "sheets"
    assert "王 Wang" in pdftotext(sheets / "x1.pdf")
    pdf = (sheets / "x1.pdf").read_bytes()
    assert b"/BaseFont /HW" in pdf and b"+TestHan-Regular" in pdf
    assert b"TestHan" not in (sheets / "x2.pdf").read_bytes()      # a file embeds the faces its pages use


def test_a_character_that_no_font_has_is_named_in_a_note(hw, write, monkeypatch):
    monkeypatch.delenv("HW_EXTRA_FONT", raising=False)
    monkeypatch.setattr(font_module, "_fontconfig_fonts", lambda missing: [])
    write("r.csv", "student_id,name\nx1,王小明\n")
    result = hw("generate", "--roster", "r.csv", "--format", "md,pdf", "--assignment", "lecture5-exam")
    assert result.exit_code == 0
    assert result.stderr.startswith("Note: no font here has 小 明 王: the PDFs print them as empty boxes "
                                    "(Markdown and HTML show them). Install a TrueType font that has them")
    assert "王小明" in Path("out/sheets/x1.md").read_text()


@pytest.mark.parametrize("what, error", [
    ("nothing", "no such file (HW_EXTRA_FONT)"),
    ("text", "not a font file hw can read (TTLibError) (HW_EXTRA_FONT)"),
])
def test_an_extra_font_that_cannot_be_used_is_named(hw, write, tmp_path, monkeypatch, what, error):
    font = tmp_path / "han.ttf"
    if what == "text":
        font.write_text("not a font")
    monkeypatch.setenv("HW_EXTRA_FONT", str(font))
    write("r.csv", "student_id,name\nx1,王小明\n")
    result = hw("generate", "--roster", "r.csv", "--format", "md,pdf", "--assignment", "lecture5-exam")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no PDFs written: {font}: {error}\n"
    assert Path("out/sheets/x1.md").is_file()


def test_without_the_fonts_the_other_files_are_written_and_the_error_named(hw, monkeypatch):
    monkeypatch.setattr(font_module, "FONT_DIRS", ())
    monkeypatch.setattr(font_module.shutil, "which", lambda name: None)
    monkeypatch.delenv("HW_FONT_DIR", raising=False)
    font_module.load_face.cache_clear()
    try:
        result = hw("generate", "--assignment", "lecture5-exam")
    finally:
        font_module.load_face.cache_clear()
    assert result.exit_code == 1
    assert "Error: no PDFs written: PDF output needs the font DejaVuSerif.ttf" in result.stderr
    assert "fonts-dejavu-core" in result.stderr
    out = Path("out")
    assert (out / "keys" / "default.md").is_file() and (out / "sheets" / "default.html").is_file()
    assert not list(out.rglob("*.pdf"))


def test_without_an_italic_face_italics_are_slanted(monkeypatch, tmp_path):
    """Debian keeps the italic in fonts-dejavu-extra; without it the regular face is drawn slanted."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    for name, (file_name, pattern) in font_module.FACES.items():
        if name != "italic":
            (folder / file_name).symlink_to(font_module.find_font(file_name, pattern))
    monkeypatch.setenv("HW_FONT_DIR", str(folder))
    monkeypatch.setattr(font_module, "FONT_DIRS", ())
    monkeypatch.setattr(font_module.shutil, "which", lambda name: None)
    font_module.load_face.cache_clear()
    try:
        fonts = font_module.FontSet({"W"})
    finally:
        font_module.load_face.cache_clear()
    assert fonts.faces["italic"].slant > 0
    assert fonts.faces["italic"].path == folder / "DejaVuSerif.ttf"


def test_a_volume_too_wide_for_the_line_wraps_between_its_maps(tmp_path):
    import numpy as np

    from templates import notation
    from templates.pdffile import write_pdf
    from templates.typeset import typeset

    volume = notation.matrix(np.arange(4 * 9 * 9).reshape(4, 9, 9) - 100, "html")   # four 9x9 maps, 3-digit cells
    html = (f'<section class="page key"><article class="question"><div class="statement">'
            f"<p>The input: {volume} and the words after it.</p></div></article></section>")
    fonts = font_module.FontSet(set(html))
    path = tmp_path / "wide.pdf"
    path.write_bytes(write_pdf(typeset(html, fonts), fonts, "wide"))
    box = pdftotext(path, "-bbox")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', box)
    assert all(float(x1) <= PAGE_WIDTH - 16 * MM + 0.5 for _, _, x1, _ in words)
    tops = sorted({round(float(y)) for _, y, _, w in words if w == "channel"})
    assert len(tops) >= 2                      # the four labelled maps stand on more than one line
    assert {"input:", "words", "after", "it.", "-100", "223"} <= {w for *_, w in words}


def test_a_word_longer_than_the_line_breaks_inside_it_and_loses_nothing(tmp_path):
    from templates.pdffile import write_pdf
    from templates.typeset import typeset

    token = "a" + "very" * 40 + "longtoken"        # wider than the text column in any face
    html = f'<section class="page sheet"><p>Before {token}, after.</p></section>'
    fonts = font_module.FontSet(set(html))
    path = tmp_path / "long.pdf"
    path.write_bytes(write_pdf(typeset(html, fonts), fonts, "long"))
    box = pdftotext(path, "-bbox")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', box)]
    assert max(right_edges) <= PAGE_WIDTH - 16 * MM + 0.5
    text = pdftotext(path, "-raw")
    assert re.sub(r"\s+", "", text).startswith("Before" + token + ",after.")


def test_a_volume_that_fits_on_a_line_moves_to_the_next_line_whole(tmp_path):
    """As the browser lays out an inline block: no map of it is left behind at the end of a line."""
    import numpy as np

    from templates import notation
    from templates.pdffile import write_pdf
    from templates.typeset import typeset

    volume = notation.matrix(np.arange(2 * 3 * 3).reshape(2, 3, 3), "html")     # two 3x3 maps, one digit
    words = [" ".join(["word"] * n) for n in range(1, 40)]
    fonts = font_module.FontSet(set("".join(words) + volume + "channel 12"))
    for lead in words:            # leads of every length: some leave room for one map at the line's end
        html = (f'<section class="page key"><article class="question"><div class="statement">'
                f"<p>{lead} {volume} after.</p></div></article></section>")
        path = tmp_path / "fits.pdf"
        path.write_bytes(write_pdf(typeset(html, fonts), fonts, "fits"))
        box = pdftotext(path, "-bbox")
        tops = {round(float(y)) for y, w in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>',
                                                         box) if w == "channel"}
        assert len(tops) == 1, lead

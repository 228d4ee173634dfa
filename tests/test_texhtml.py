"""The TeX subset as HTML: a formula without structure takes a quicker road that must end where the
parser ends."""
import random

import pytest

from templates.texhtml import _flat, _Parser, tex_to_html

PIECES = ["1", "23", "_2", "^k", "_x", "_", "^", "-", "+", "=", "(", ")", " ", "  ", ".", ",", "/", "x", "W", "\\cdot ", "\\times",
          "\\max", "\\lceil ", "\\rceil", "\\le ", "\\alpha", "\\,", "\\quad", "\\left(", "\\right)", "\\foo",
          "\\dots", "<", ">", "&", "'", '"', "\\{", "_1", "^2", "{", "}", "\\text{ab}", "\\frac{1}{2}", "\\\\",
          "\\begin{bmatrix} 1 & 2 \\end{bmatrix}", "\\", "é", "\\ "]


def test_the_formulas_hw_writes_convert_as_the_parser_converts_them():
    formulas = ["1 \\cdot (-1) + 2 \\cdot (-1) + 4 \\cdot 1 + (-2) = 4", "\\max(0, -2) = 0",
                "(0 + 3 + 15 + 19)/4 = 9.25", "\\lceil 48/2 \\rceil = 24", "y = 0",
                "W_2 = (W_1 - F + 2P)/S + 1 = (32 - 3 + 2 \\cdot 1)/1 + 1 = 32", "3 \\times 3 \\times 64"]
    for tex in formulas:
        flat = _flat(tex)
        assert flat is None or flat == _Parser(tex).sequence(), tex
    assert _flat(formulas[0]) == "1 · (\u22121) + 2 · (\u22121) + 4 · 1 + (\u22122) = 4"   # by hand
    assert _flat(formulas[5]).startswith("<i>W</i><sub>2</sub> = (<i>W</i><sub>1</sub> \u2212 <i>F</i>")
    assert _flat("x_{12}") is None and _flat("x_ 1") is None and _flat("x^\\alpha") is None   # the parser's


@pytest.mark.parametrize("seed", range(20))
def test_random_formulas_convert_alike_on_both_roads(seed):
    rnd = random.Random(seed)
    for _ in range(300):
        tex = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 12)))
        flat = _flat(tex)
        if flat is not None:
            assert flat == _Parser(tex).sequence(), repr(tex)
        assert tex_to_html(tex) == f'<span class="math">{_Parser(tex).sequence()}</span>', repr(tex)


ARITHMETIC = ["1", "23", "0", "-", "+", "=", "(", ")", "/", ".", ",", " ", " ", "\\cdot ", "\\cdot", "\\times ",
              "\\times"]
NEAR_MISSES = ["  ", "\\cdotp", "\\timesx", "\\\\", "\t", "x", "\\,", "_2", "{", "<", "\\"]


@pytest.mark.parametrize("seed", range(10))
def test_arithmetic_written_out_converts_as_the_parser_converts_it(seed):
    # the quickest road, for digits, operators, products and single spaces, against the parser; the
    # near misses (a longer command, two spaces, a tab, a letter) must leave it and still agree
    rnd = random.Random(seed)
    plain = 0
    for _ in range(400):
        pieces = ARITHMETIC if rnd.random() < 0.6 else ARITHMETIC + NEAR_MISSES
        tex = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        assert tex_to_html(tex) == f'<span class="math">{_Parser(tex).sequence()}</span>', repr(tex)
        plain += "  " not in tex and not tex.replace("\\cdot", "").replace("\\times", "").strip("0123456789+=().,/- ")
    assert 100 < plain < 390        # both roads were taken

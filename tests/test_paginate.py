"""Dealing typeset units onto pages: what CSS keeps together stays together, when it can.

The text area of an A4 page with 18 mm top and bottom margins is
841.89 - 2 * 18 * 72 / 25.4 = 739.84 pt high: seven 100 pt lines fit, an eighth does not.
"""
from templates.paginate import HEIGHT, Unit, paginate


def lines(n, height=100.0, **kw):
    return [Unit(height, **kw) for _ in range(n)]


def heights(pages):
    return [[round(y) for _, y in page] for page in pages]


def test_the_text_area_is_what_the_margins_leave():
    assert abs(HEIGHT - 739.84) < 0.01


def test_lines_fill_a_page_then_the_next():
    assert heights(paginate(lines(9))) == [[0, 100, 200, 300, 400, 500, 600], [0, 100]]


def test_a_group_that_does_not_fit_moves_whole_to_the_next_page():
    pages = paginate(lines(6) + lines(3, group=1))
    assert heights(pages) == [[0, 100, 200, 300, 400, 500], [0, 100, 200]]


def test_a_heading_goes_with_what_follows_it():
    heading = Unit(30.0, keep=True)
    pages = paginate(lines(6) + [heading] + lines(2, group=2))
    assert pages[1][0][0] is heading and heading not in [u for u, _ in pages[0]]
    assert heights(pages) == [[0, 100, 200, 300, 400, 500], [0, 30, 130]]


def test_blank_space_at_the_top_of_a_page_is_dropped():
    gap = Unit(40.0, gap=True)
    pages = paginate(lines(7) + [gap] + lines(1))
    assert gap not in [u for page in pages for u, _ in page]
    assert heights(pages) == [[0, 100, 200, 300, 400, 500, 600], [0]]


def test_a_group_taller_than_a_page_is_split_where_the_page_ends():
    pages = paginate(lines(1) + lines(10, group=3))
    assert heights(pages) == [[0, 100, 200, 300, 400, 500, 600], [0, 100, 200, 300]]

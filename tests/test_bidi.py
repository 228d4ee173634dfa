"""Right-to-left names on the PDF pages: visual order and Arabic's contextual forms.

The expected strings are written out by hand from the Unicode charts (the
presentation forms' names are in the comments), not made by the code under test.
"""
import pytest

from templates.bidi import visual


@pytest.mark.parametrize("text", ["Student 12 Jane", "Łukasz Żółć", "Иванов Пётр (s-3)", "", "  ",
                                  "x = 2.5, y = -3"])
def test_text_without_a_right_to_left_letter_is_left_as_it_is(text):
    assert visual(text) == text


def test_hebrew_is_drawn_from_right_to_left_words_and_all():
    assert visual("דוד לוי") == "יול דוד"          # the first name stands rightmost
    assert visual("Name: דוד לוי") == "Name: יול דוד"


def test_arabic_letters_join_in_their_contextual_forms():
    # محمد: meem initial, hah medial, meem medial, dal final; drawn from the right
    assert visual("محمد") == "\ufeaa\ufee4\ufea4\ufee3"      # DAL FINAL, MEEM MEDIAL, HAH MEDIAL, MEEM INITIAL
    # دار: dal and alef join nothing after them, so every letter stands alone
    assert visual("دار") == "\ufead\ufe8d\ufea9"             # REH ISOLATED, ALEF ISOLATED, DAL ISOLATED
    # سلام: lam before alef is one ligature, joined to the seen before it
    assert visual("سلام") == "\ufee1\ufefc\ufeb3"            # MEEM ISOLATED, LAM WITH ALEF FINAL, SEEN INITIAL


def test_numbers_and_latin_words_inside_right_to_left_text_read_left_to_right():
    assert visual("Sara سلام 42") == "Sara 42 \ufee1\ufefc\ufeb3"
    assert visual("דוד 123") == "123 דוד"
    assert visual("דוד (אב)") == "(בא) דוד"                  # brackets inside the run are mirrored

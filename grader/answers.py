"""Answers as values: the JSON notation of PRODUCT.md (numbers, shapes W x H x C, matrices, 'invalid')."""
from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

import numpy as np

from grader.solver import INVALID

DECIMALS = 10


def aligned(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays without the leading 1s one has beyond the other: a 1-map volume and a matrix (or a
    1-row matrix and a vector) are the same answer."""
    while x.ndim > y.ndim and x.shape[0] == 1:
        x = x[0]
    while y.ndim > x.ndim and y.shape[0] == 1:
        y = y[0]
    return x, y


def list_depth(value: list) -> int:
    """How deeply a list nests, read along its first entries: 2 for a matrix, 3 for a volume."""
    depth = 0
    while type(value) is list and value:
        value, depth = value[0], depth + 1
    return depth


def equal_aligned(x: list, y: list) -> bool:
    """aligned() for nested lists of whole numbers, and then equality: equal as lists, each without
    the leading one-element levels the other lacks (a 1-map volume is its matrix). A ragged list
    equals no array, as NumPy finds none rectangular. No arrays are made: a class compares some
    50,000 wrong matrices with the answers they might have been."""
    dx, dy = list_depth(x), list_depth(y)
    while dx > dy and len(x) == 1:
        x, dx = x[0], dx - 1
    while dy > dx and len(y) == 1:
        y, dy = y[0], dy - 1
    return x == y


def whole_list(value: Any) -> bool:
    """A nested list of Python ints and nothing else (no floats, bools or words): whole numbers,
    which are right or wrong exactly (score.compare), so equal_aligned() compares them."""
    if type(value) is not list:
        return False
    pending = [value]
    while pending:
        for x in pending.pop():
            kind = type(x)
            if kind is list:
                pending.append(x)
            elif kind is not int:
                return False
    return True


def _number(x: Any) -> bool | int | float:
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    value = round(float(x), DECIMALS)
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def encode(value: Any) -> Any:
    """A solver value in answer notation: Python ints and floats, nested lists, or 'invalid'."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iu":
            return value.tolist()          # already Python ints: nothing to round
        return encode(value.tolist())
    if type(value) is int:
        return value
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return _number(value)


def lecture_shape(shape: tuple) -> list[int] | str:
    """A channels-first shape (C, H, W) as the lecture writes it, [W, H, C]; a vector stays [N]."""
    if INVALID in shape:
        return INVALID
    return [int(shape[2]), int(shape[1]), int(shape[0])] if len(shape) == 3 else [int(n) for n in shape]


class AnswerError(ValueError):
    """An answer that cannot be read; the message says why, in the student's terms."""


MAX_ANSWER_ITEMS = 10_000
MAX_ANSWER_DEPTH = 4


EXACT = 2**53       # integers up to this size are plain numbers at once; larger ones are checked


def brief(text: str, limit: int = 40) -> str:
    """Text from a submission as a message shows it: the start of a long one, and '...'."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _shown(value: Any) -> str:
    """An answer as a message quotes it (brief)."""
    return brief(repr(value))


def _check_number(x: Any) -> int | float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise AnswerError(f"expected a number, got {type(x).__name__} {_shown(x)}")
    if isinstance(x, float) and not math.isfinite(x):
        raise AnswerError(f"{_shown(x)} is not a finite number")
    if isinstance(x, int) and not -EXACT <= x <= EXACT:
        try:
            float(x)
        except OverflowError:
            raise AnswerError(f"a number of {len(str(abs(x)))} digits is too large") from None
    return x


def normalize(value: Any, depth: int = 0) -> Any:
    """A JSON answer checked and normalized: a number, 'invalid', or nested lists of numbers.

    Strings in the CSV notations are accepted too ("32x32x10", "1 -2; 3 1").
    None means no answer.
    """
    kind = type(value)
    if kind is int and -EXACT <= value <= EXACT or kind is float and math.isfinite(value):   # the common case
        return value
    if value is None:
        return None
    if isinstance(value, str):
        return parse_cell(value)
    if isinstance(value, list):
        if depth >= MAX_ANSWER_DEPTH:
            raise AnswerError(f"nested deeper than {MAX_ANSWER_DEPTH} levels")
        if len(value) > MAX_ANSWER_ITEMS:
            raise AnswerError(f"more than {MAX_ANSWER_ITEMS} numbers")
        if all(type(v) is int and -EXACT <= v <= EXACT for v in value):     # a row of a matrix, as it usually comes
            return value
        items = [normalize(v, depth + 1) for v in value]
        if any(v is None or isinstance(v, str) for v in items):
            raise AnswerError("a list may hold only numbers or lists of numbers")
        return items
    return _check_number(value)


NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
LISTED = re.compile(r"^[+-]?\d+(\s*,\s*[+-]?\d+)+$")       # 32,32,6 or 1, -2: numbers with commas between
SHAPE = re.compile(r"^\d+(\s*[x×X*]\s*\d+)+$")


def _cell_number(text: str) -> int | float:
    text = text.strip().replace("\u2212", "-")
    if THOUSANDS.match(text):           # 12,544: a parameter count with separators, or 12.544 with a decimal comma
        return _ambiguous_commas(text)
    if DECIMAL_COMMA.match(text):
        raise AnswerError(f"{text!r} uses a decimal comma; write {text.replace(',', '.')!r}")
    if LISTED.match(text):
        _commas_between(text)
    if not NUMBER.match(text):
        raise AnswerError(f"{_shown(text)} is not a number")
    value = float(text)
    if not math.isfinite(value):
        digits = len(re.match(r"[+-]?0*(\d*)", text).group(1))       # before the point
        if digits > 308:            # beyond a float's range: as _check_number says of a JSON number
            raise AnswerError(f"a number of {digits} digits is too large")
        raise AnswerError(f"{_shown(text)} is not a finite number")
    return int(value) if re.match(r"^[+-]?\d+$", text) else value


def _ambiguous_commas(text: str) -> NoReturn:
    plain = text.replace(",", "")
    other = f" or {text.replace(',', '.')!r} for a decimal point" if text.count(",") == 1 else ""
    raise AnswerError(f"{text!r} has a comma: write {plain!r} if it separates thousands (no separators){other}")


def _commas_between(text: str) -> NoReturn:
    """The notations a cell of numbers with commas between them may have meant, in its own numbers
    (a shape only where none is negative)."""
    numbers = [n.strip().lstrip("+") for n in text.split(",")]
    forms = ["x".join(numbers)] if all(n.isdigit() for n in numbers) else []
    forms += [f"[{', '.join(numbers)}]", f"{' '.join(numbers)} (a row of a matrix; rows apart with ';')"]
    raise AnswerError(f"{text!r} has commas between numbers: write {', '.join(forms[:-1])} or {forms[-1]}")


def _cell_matrix(text: str) -> list[list[int | float]]:
    rows = [r.split() for r in text.split(";") if r.strip()]
    if not rows:
        raise AnswerError("an empty matrix")
    if len({len(r) for r in rows}) != 1:
        raise AnswerError(f"the rows of {_shown(text.strip())} have different lengths")
    return [[_cell_number(v) for v in row] for row in rows]


def parse_cell(text: str) -> Any:
    """A CSV cell (or a string in JSON) in any notation of the Answers table; '' means no answer."""
    text = text.strip()
    if not text:
        return None
    if len(text) > 100_000:
        raise AnswerError("the answer is too long")
    if text.lower() == INVALID:
        return INVALID
    listed = text
    if text.startswith("(") and text.endswith(")"):     # a shape as Python prints one: (32, 32, 10), (10,)
        listed = re.sub(r",\s*\)", ")", text).replace("(", "[").replace(")", "]")
    if listed.startswith("["):
        try:
            return normalize(json.loads(listed, parse_constant=_no_constants))
        except (json.JSONDecodeError, RecursionError):
            raise AnswerError(f"{_shown(text)} is not a valid list") from None
    if SHAPE.match(text):
        return [int(v) for v in re.split(r"\s*[x×X*]\s*", text)]
    if "," in text and LISTED.match(text):      # "32, 32, 6" is no matrix row: named as _cell_number names it
        return _cell_number(text)
    if "|" in text:
        return [_cell_matrix(m) for m in text.split("|")]
    if ";" in text or len(text.split()) > 1:
        return _cell_matrix(text)
    return _cell_number(text)


def _no_constants(name: str) -> Any:
    raise AnswerError(f"{name} is not a number")

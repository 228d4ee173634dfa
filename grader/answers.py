"""Answers as values: the JSON notation of PRODUCT.md (numbers, shapes W x H x C, matrices, 'invalid')."""
from __future__ import annotations

from typing import Any

import numpy as np

from grader.solver import INVALID

DECIMALS = 10


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
        return encode(value.tolist())
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return _number(value)


def lecture_shape(shape: tuple) -> list[int] | str:
    """A channels-first shape (C, H, W) as the lecture writes it, [W, H, C]; a vector stays [N]."""
    if INVALID in shape:
        return INVALID
    return [int(shape[2]), int(shape[1]), int(shape[0])] if len(shape) == 3 else [int(n) for n in shape]

"""Numbers, shapes and matrices as a reader expects them, in Markdown (TeX math) or HTML."""
from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

FILTERS = ("matrix", "shape", "num", "vector")


def num(value: Any, fmt: str = "md") -> str:
    """An integer as it is; other numbers with at most 6 significant digits."""
    if isinstance(value, str):
        return escape(value) if fmt == "html" else value
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if isinstance(value, (int, np.integer)) or float(value).is_integer():
        return str(int(value))
    return format(float(value), ".6g")


def _cells(rows: np.ndarray, fmt: str) -> list[list[str]]:
    """A grid's cells as text; an integer grid straight from Python ints (most grids are)."""
    if rows.dtype.kind in "iu":
        return [list(map(str, row)) for row in rows.tolist()]
    if rows.dtype.kind == "b":
        return [[str(int(v)) for v in row] for row in rows.tolist()]
    return [[num(v, fmt) for v in row] for row in rows.tolist()]


def _grid_md(rows: np.ndarray) -> str:
    body = r" \\ ".join(" & ".join(row) for row in _cells(rows, "md"))
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def _grid_html(rows: np.ndarray, right: np.ndarray | None = None) -> str:
    """A bracketed grid; with `right`, the cells where it is False are marked (class "off")."""
    return _cells_html(_cells(rows, "html"), None if right is None else right.tolist())


def _cells_html(cells: list[list[str]], right: list[list[bool]] | None) -> str:
    if right is None:
        body = "".join('<span class="row"><span class="cell">' + '</span><span class="cell">'.join(row)
                       + "</span></span>" if row else '<span class="row"></span>' for row in cells)
    else:
        body = "".join('<span class="row">' + "".join(
            f'<span class="cell">{cell}</span>' if ok else f'<span class="cell off">{cell}</span>'
            for cell, ok in zip(row, marks)) + "</span>" for row, marks in zip(cells, right))
    return f'<span class="matrix">{body}</span>'


def marked_matrix_html(value: np.ndarray, right: np.ndarray | None = None) -> str:
    """matrix(value, "html") for a matrix or a volume of maps, the entries where `right` (of the
    same shape) is False marked: a student's answer beside the expected one."""
    if value.ndim == 2:
        return _grid_html(value, right)
    return '<span class="volume">' + "".join(
        f'<span class="map"><span class="map-label">map {i + 1}</span>'
        f'{_grid_html(m, None if right is None else right[i])}</span>' for i, m in enumerate(value)) + "</span>"


def marked_lists_html(value: list, right: list | None = None) -> str:
    """marked_matrix_html() of a matrix or a volume of Python ints written as nested lists (as
    answers are read), without making arrays: a class's pages show some 10,000 wrong matrices."""
    if type(value[0][0]) is not list:
        return _cells_html([list(map(str, row)) for row in value], right)
    return '<span class="volume">' + "".join(
        f'<span class="map"><span class="map-label">map {i + 1}</span>'
        f'{_cells_html([list(map(str, row)) for row in m], None if right is None else right[i])}</span>'
        for i, m in enumerate(value)) + "</span>"


def matrix(value: Any, fmt: str = "md") -> str:
    """A matrix as a bracketed grid; a C x H x W volume as its C maps side by side."""
    a = np.asarray(value)
    if a.ndim == 1:
        a = a[None]
    if a.ndim == 2:
        return f"${_grid_md(a)}$" if fmt == "md" else _grid_html(a)
    if a.ndim == 4:  # K x C x F x F filters
        parts = [matrix(f, fmt) for f in a]
        return ("; ".join(f"filter {i + 1}: {p}" for i, p in enumerate(parts)) if fmt == "md"
                else "".join(f'<span class="map">filter {i + 1}: {p}</span>' for i, p in enumerate(parts)))
    if fmt == "md":
        return "$" + r",\ ".join(_grid_md(m) for m in a) + "$"
    return '<span class="volume">' + "".join(
        f'<span class="map"><span class="map-label">channel {i + 1}</span>{_grid_html(m)}</span>'
        for i, m in enumerate(a)) + "</span>"


def vector(value: Any, fmt: str = "md") -> str:
    """A vector as a row in parentheses: (1, -2, 3)."""
    text = "(" + ", ".join(num(v, fmt) for v in np.asarray(value).reshape(-1)) + ")"
    return f"${text}$" if fmt == "md" else text


def shape(value: Any, fmt: str = "md") -> str:
    """A shape [W, H, C] written as the lecture does: 32×32×3."""
    if isinstance(value, str):
        return num(value, fmt)
    items = [num(v, fmt) for v in np.asarray(value).reshape(-1)]
    return "$" + r" \times ".join(items) + "$" if fmt == "md" else "×".join(items)

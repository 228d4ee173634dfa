"""A template, as loaded and checked: frozen dataclasses that later steps trust.

The YAML format is PRODUCT.md's; docs/templates.md documents the extensions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from problems.expr import Expr

FAMILIES = (
    "output-size", "same-padding", "output-volume", "conv-params", "pooling", "fully-connected",
    "forward-pass", "shape-tracing", "conv-vs-correlation", "dilation-groups", "keras-padding",
    "perceptron",
)

# A value in a template that is decided per instance: a literal, or an expression.
Value = Any  # int | float | bool | str literal | list (array literal) | Expr


@dataclass(frozen=True)
class Param:
    """One param, sampled in order.

    kind is 'literal' (value), 'expr' (value is an Expr), 'choice' (options),
    'range' (low, high, step: Values) or 'matrix' (dims: Values, low/high: ints).
    """

    name: str
    kind: str
    line: int | None
    value: Value = None
    options: tuple = ()
    low: Value = None
    high: Value = None
    step: Value = 1
    dims: tuple = ()


@dataclass(frozen=True)
class LayerSpec:
    kind: str
    options: tuple[tuple[str, Value], ...]
    line: int | None


@dataclass(frozen=True)
class NetworkSpec:
    input_param: str | None            # a param holding an array
    input_shape: tuple[Value, ...]     # or a shape as the lecture writes it: W, H, C
    layers: tuple[LayerSpec, ...]
    line: int | None


@dataclass(frozen=True)
class Part:
    """One answer part: a query on the network (value, shape, size, params, ...) or an expression.

    ``layer`` is a layer index (0 is the input) or 'all' for ``params``.
    """

    name: str
    query: str
    layer: int | str | None
    expr: Expr | None
    points: float
    tolerance: float
    all_or_nothing: bool
    line: int | None
    decimals: int | None = None         # answers rounded to this many decimals are right too


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    family: str
    points: float
    params: tuple[Param, ...]
    require: tuple[Expr, ...]
    network: NetworkSpec | None
    parts: tuple[Part, ...]
    statement: str
    solution: str
    path: str
    statement_line: int | None
    statement_text_line: int | None = None      # a literal block's (|) first line of text; else None

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)

    def with_points(self, points: float) -> "Template":
        """The template scaled to another total, each part keeping its share."""
        from dataclasses import replace

        scale = points / self.points if self.points else 0
        shares = [round(p.points * scale, 4) for p in self.parts]
        shares[-1] = round(points - sum(shares[:-1]), 4)   # the parts add up to the new total exactly
        parts = tuple(replace(p, points=share) for p, share in zip(self.parts, shares))
        return replace(self, points=points, parts=parts)

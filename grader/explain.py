"""Worked solutions for the key: the formula with the numbers put in, windows worked out.

An explanation is a list of steps; a step is a list of pieces, each a string of
Markdown with TeX math in $...$, or an array to show as a matrix.  templates/
turns them into Markdown or HTML.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from grader.network import LayerResult
from grader.solver import INVALID, effective_size

Step = list  # of str | np.ndarray


def plain(x: Any) -> str:
    """A number as a result: integers as they are, others to 6 significant digits."""
    if type(x) is int:          # most numbers on the pages
        return str(x)
    if isinstance(x, (float, np.floating)) and not float(x).is_integer():
        return format(float(x), ".6g")
    return str(int(x))


def n(x: Any) -> str:
    """A number inside a formula; a negative one in parentheses."""
    text = plain(x)
    return f"({text})" if text.startswith("-") else text


def _ratio(numerator: int, stride: int) -> str:
    value = Fraction(numerator, stride) + 1
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def size_steps(w1: Any, f: int, s: int, p: int, d: int = 1, *, pool: bool = False, what: str = "W_2") -> list[Step]:
    if w1 == INVALID:
        return [["The input of this layer already does not fit, so its output is **invalid** too."]]
    steps: list[Step] = []
    fe = effective_size(f, d)
    if d > 1:
        steps.append([f"The dilated filter covers $F' = d(F - 1) + 1 = {d} \\cdot ({f} - 1) + 1 = {fe}$."])
    F = "F'" if d > 1 else "F"
    numerator = w1 - fe + (0 if pool else 2 * p)
    if pool:
        formula = f"{what} = (W_1 - F)/S + 1 = ({w1} - {fe})/{s} + 1"
    else:
        formula = f"{what} = (W_1 - {F} + 2P)/S + 1 = ({w1} - {fe} + 2 \\cdot {p})/{s} + 1"
    if numerator < 0 or numerator % s:
        steps.append([f"${formula} = {_ratio(numerator, s)}$: not a whole number of steps, the windows do not "
                      "tile the input. The configuration does not fit: **invalid**."
                      if numerator >= 0 else f"${formula}$: the filter is larger than the input: **invalid**."])
    else:
        steps.append([f"${formula} = {numerator // s + 1}$"])
    return steps


def _shape_text(shape: tuple) -> str:
    """A shape as the lecture writes it, in math; a layer that does not fit in words."""
    if INVALID in shape:
        return "**invalid**"
    if len(shape) == 1:
        return f"$[{shape[0]}]$"
    c, h, w = shape
    return f"${w} \\times {h} \\times {c}$"


def layer_shape_steps(results: list[LayerResult], i: int) -> list[Step]:
    r, prev = results[i], results[i - 1] if i else None
    o = r.options
    if r.kind == "input":
        return [[f"The input is {_shape_text(r.shape)}."]]
    if r.kind == "conv":
        c, h, w = prev.shape
        steps = size_steps(w, r.weight_shape[3], o.get("stride", 1), o.get("pad", 0), o.get("dilation", 1))
        if h != w:
            steps += size_steps(h, r.weight_shape[2], o.get("stride", 1), o.get("pad", 0), o.get("dilation", 1),
                                what="H_2")
        steps.append([f"The depth is the number of filters, $K = {r.shape[0]}$: the output is "
                      f"{_shape_text(r.shape)}."])
        return steps
    if r.kind in ("maxpool", "avgpool"):
        c, h, w = prev.shape
        size = o.get("size", 2)
        steps = size_steps(w, size, o.get("stride", size), 0, pool=True)
        steps.append([f"Pooling works on each map alone, so the depth stays {c}: {_shape_text(r.shape)}."])
        return steps
    if r.kind == "relu":
        return [[f"ReLU works element by element and keeps the shape: {_shape_text(r.shape)}."]]
    steps = []
    if len(prev.shape) == 3:
        c, h, w = prev.shape
        length = "invalid" if INVALID in prev.shape else c * h * w
        steps.append([f"The volume is stretched into $W \\cdot H \\cdot C = {w} \\cdot {h} \\cdot {c} = {length}$ numbers."])
    if r.kind == "fc":
        steps.append([f"A fully connected layer gives one number per unit: $[{r.shape[0]}]$."])
    return steps or [[f"The vector keeps its length: $[{r.shape[0]}]$."]]


def count_steps(r: LayerResult, query: str) -> list[Step]:
    if r.kind not in ("conv", "fc"):
        return [[f"{r.kind} has no learnable parameters: **0**."]]
    steps: list[Step] = []
    if r.kind == "conv":
        k, cg, f, f2 = r.weight_shape
        groups = r.options.get("groups", 1)
        depth = f"(C/g) = ({cg * groups}/{groups})" if groups > 1 else f"C = {cg}"
        dims = f"{f} \\cdot {f2} \\cdot {cg} \\cdot {k}"
        weights = f"F \\cdot F \\cdot {'(C/g)' if groups > 1 else 'C'} \\cdot K = {dims} = {r.weights}"
        steps.append([f"Each filter is ${f} \\times {f2} \\times {cg}$ (${depth}$); weights: ${weights}$."])
        bias_word = "K"
    else:
        nunits, d = r.weight_shape
        if d == INVALID:
            return [["The input size is invalid, so the count is **invalid**."]]
        steps.append([f"$W$ has one row per unit and one column per input; weights: "
                      f"$N \\cdot D = {nunits} \\cdot {d} = {r.weights}$."])
        bias_word = "N"
    if query != "weights":
        steps.append([f"Biases: one per {'filter' if r.kind == 'conv' else 'unit'}, "
                      f"${bias_word} = {r.biases}$." if r.biases else "The layer has no biases: 0."])
    if query == "params":
        steps.append([f"Total: ${r.weights} + {r.biases} = {r.params}$."])
    return steps


def total_steps(results: list[LayerResult], query: str) -> list[Step]:
    rows = [(i, r, getattr(r, query)) for i, r in enumerate(results[1:], start=1) if r.kind in ("conv", "fc")]
    if any(v == INVALID for _, _, v in rows):
        return [["A layer's count is invalid, so the total is **invalid**."]]
    lines = [f"layer {i} ({r.kind}): {v}" for i, r, v in rows]
    total = sum(v for _, _, v in rows)
    sum_text = " + ".join(str(v) for _, _, v in rows) or "0"
    return [["Only conv and fc layers learn parameters (ReLU and pooling have none): " + "; ".join(lines) + "."],
            [f"Total: ${sum_text} = {total}$."]]


def explain_part(part: Any, results: list[LayerResult] | None, params: dict[str, Any], answer: Any,
                 call: Any = None) -> list[Step]:
    """The worked solution of one part (`call`: the formula an expr part calls, as solve recorded it)."""
    from grader.explain_values import expr_steps, value_steps

    if part.query == "expr":
        return expr_steps(part, answer, call)
    if part.layer == "all":
        return total_steps(results, part.query)
    r = results[part.layer]
    if part.query == "value":
        return value_steps(results, part.layer, answer)
    if part.query in ("shape", "size"):
        steps = layer_shape_steps(results, part.layer)
        return steps[:-1] if part.query == "size" and r.kind == "conv" and len(steps) > 1 else steps
    if part.query == "weight_shape":
        k = " \\times ".join(str(v) for v in r.weight_shape)
        what = "one row per unit, one column per input" if r.kind == "fc" else "K filters of C/g × F × F"
        return [[f"The weights form ${k}$ ({what})."]]
    return count_steps(r, part.query)

"""Runs a template's layer list: every layer's shape, values and parameter counts.

The input is either an array (H x W, or C x H x W) or only a shape.  Shapes are
kept channels first, (C, H, W) for a volume and (N,) for a vector; a spatial size
that does not fit is INVALID and stays so for the layers after it, while counts
that do not depend on it (a conv layer's weights) are still known.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader import solver
from grader.solver import INVALID
from problems.errors import HwError

Shape = tuple  # (C, H, W) or (N,), entries int or INVALID


class LayerError(HwError):
    """A layer that cannot run on what it is given; ``index`` is its 1-based position."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class Layer:
    """One layer with concrete options (numbers, arrays, booleans)."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LayerResult:
    kind: str
    options: dict[str, Any]
    shape: Shape
    value: np.ndarray | None      # channels first, None when only shapes are known
    as_matrix: bool               # a depth-1 value written as a plain matrix
    weights: int | str = 0
    biases: int | str = 0
    weight_shape: tuple = ()

    @property
    def params(self) -> int | str:
        if INVALID in (self.weights, self.biases):
            return INVALID
        return self.weights + self.biases


def run(input_value: np.ndarray | None, input_shape: Shape, layers: list[Layer]) -> list[LayerResult]:
    """Results for the input (index 0) and each layer (1, 2, ...)."""
    as_matrix = input_value is not None and input_value.ndim == 2
    value = None
    if input_value is not None:
        value = input_value[None] if input_value.ndim == 2 else input_value
        input_shape = tuple(value.shape)
    results = [LayerResult("input", {}, tuple(input_shape), value, as_matrix)]
    for index, layer in enumerate(layers, start=1):
        step = _STEPS.get(layer.kind)
        if step is None:
            raise LayerError(index, f"layer {index}: unknown layer {layer.kind!r}")
        try:
            results.append(step(results[-1], layer.options))
        except (ValueError, TypeError) as e:
            raise LayerError(index, f"layer {index} ({layer.kind}): {e}") from None
    return results


def _after(formula, size: int | str, *args: int) -> int | str:
    """A size formula applied to a size that may already be INVALID."""
    return INVALID if size == INVALID else formula(size, *args)


def _spatial_ok(shape: Shape) -> bool:
    return INVALID not in shape


def _bias_count(options: dict[str, Any], k: int | str) -> int | str:
    return 0 if options.get("bias") is False else k


def _conv(prev: LayerResult, o: dict[str, Any]) -> LayerResult:
    if len(prev.shape) != 3:
        raise ValueError("a conv layer needs a volume (C x H x W) as input")
    c, h, w = prev.shape
    stride, pad = o.get("stride", 1), o.get("pad", 0)
    dilation, groups = o.get("dilation", 1), o.get("groups", 1)
    weights = o.get("weights")
    single = weights is not None and np.ndim(weights) == 2
    if weights is not None:
        weights = np.asarray(weights)
        weights = weights[None, None] if single else weights
        if weights.ndim != 4:
            raise ValueError(f"weights must be F x F or K x C x F x F, not {np.ndim(o['weights'])}-D")
        k, cg, f, f2 = weights.shape
        if cg * groups != c:
            raise ValueError(f"weights have depth {cg} but the input has {c} channels"
                             + (f" in {groups} groups" if groups > 1 else ""))
    else:
        k, f = o["filters"], o["size"]
        f2 = f
    if c % groups or k % groups:
        raise ValueError(f"groups={groups} must divide both the input depth {c} and the filters {k}")
    shape = (k, _after(solver.output_size, h, f, stride, pad, dilation),
             _after(solver.output_size, w, f2, stride, pad, dilation))
    value = None
    if prev.value is not None and weights is not None and _spatial_ok(shape):
        bias = o.get("bias")
        bias = np.atleast_1d(np.asarray(bias)) if bias is not None and bias is not True and bias is not False else None
        if bias is not None and bias.shape != (k,):
            raise ValueError(f"bias must hold {k} number(s), not {bias.size}")
        op = solver.convolve2d if o.get("flip") else solver.conv2d
        value = op(prev.value, weights, bias, stride=stride, pad=pad, dilation=dilation, groups=groups)
    return LayerResult("conv", o, shape, value, single if weights is not None else False,
                       weights=f * f2 * (c // groups) * k, biases=_bias_count(o, k),
                       weight_shape=(k, c // groups, f, f2))


def _relu(prev: LayerResult, o: dict[str, Any]) -> LayerResult:
    value = solver.relu(prev.value) if prev.value is not None else None
    return LayerResult("relu", o, prev.shape, value, prev.as_matrix)


def _pool(kind: str):
    op = solver.maxpool2d if kind == "maxpool" else solver.avgpool2d

    def step(prev: LayerResult, o: dict[str, Any]) -> LayerResult:
        if len(prev.shape) != 3:
            raise ValueError("pooling needs a volume (C x H x W) as input")
        c, h, w = prev.shape
        size = o.get("size", 2)
        stride = o.get("stride", size)
        shape = (c, _after(solver.pool_size, h, size, stride), _after(solver.pool_size, w, size, stride))
        value = op(prev.value, size=size, stride=stride) if prev.value is not None and _spatial_ok(shape) else None
        return LayerResult(kind, o, shape, value, prev.as_matrix)

    return step


def _flatten(prev: LayerResult, o: dict[str, Any]) -> LayerResult:
    n = int(np.prod(prev.shape)) if _spatial_ok(prev.shape) else INVALID
    value = solver.flatten(prev.value) if prev.value is not None else None
    return LayerResult("flatten", o, (n,), value, False)


def _fc(prev: LayerResult, o: dict[str, Any]) -> LayerResult:
    if len(prev.shape) != 1:
        prev = _flatten(prev, {})
    (d,) = prev.shape
    weights = o.get("weights")
    if weights is not None:
        weights = np.asarray(weights)
        if weights.ndim != 2 or (d != INVALID and weights.shape[1] != d):
            raise ValueError(f"weights must be N x {d}, not {' x '.join(map(str, weights.shape))}")
        n = weights.shape[0]
    else:
        n = o["units"]
    value = None
    if prev.value is not None and weights is not None:
        bias = o.get("bias")
        bias = np.asarray(bias) if bias is not None and bias is not True and bias is not False else None
        value = solver.fully_connected(prev.value, weights, bias)
    count = n * d if d != INVALID else INVALID
    return LayerResult("fc", o, (n,), value, False, weights=count, biases=_bias_count(o, n), weight_shape=(n, d))


_STEPS = {"conv": _conv, "relu": _relu, "maxpool": _pool("maxpool"), "avgpool": _pool("avgpool"),
          "flatten": _flatten, "fc": _fc}

"""The solver's formulas under the short names that template expressions call.

`expr: "out_size(w1, f, s, p)"` in a template calls ``solver.output_size``; the
grader reads the called name to know which misconceptions apply.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from grader import solver


def _as_volume(x: Any) -> tuple[np.ndarray, bool]:
    a = np.asarray(x)
    return (a[None], True) if a.ndim == 2 else (a, False)


def _as_filters(w: Any) -> np.ndarray:
    a = np.asarray(w)
    return a[None, None] if a.ndim == 2 else a


def _conv_function(op: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def conv(x: Any, w: Any, s: int = 1, p: int = 0, b: Any = None) -> np.ndarray:
        volume, was_matrix = _as_volume(x)
        filters = _as_filters(w)
        bias = None if b is None else np.atleast_1d(np.asarray(b))
        out = op(volume, filters, bias, stride=s, pad=p)
        return out[0] if was_matrix and np.ndim(w) == 2 else out
    return conv


def _pool_function(op: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def pool(x: Any, f: int = 2, s: int | None = None) -> np.ndarray:
        volume, was_matrix = _as_volume(x)
        out = op(volume, size=f, stride=f if s is None else s)
        return out[0] if was_matrix else out
    return pool


EXPRESSION_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "out_size": solver.output_size,
    "pool_size": solver.pool_size,
    "same_pad": solver.same_padding,
    "keras_size": solver.keras_output_size,
    "effective_size": solver.effective_size,
    "conv_weights": solver.conv_weight_count,
    "conv_params": solver.conv_param_count,
    "fc_params": solver.fc_param_count,
    "correlate": _conv_function(solver.conv2d),
    "convolve": _conv_function(solver.convolve2d),
    "relu": lambda x: solver.relu(np.asarray(x)),
    "maxpool": _pool_function(solver.maxpool2d),
    "avgpool": _pool_function(solver.avgpool2d),
    "dot": lambda a, b: np.dot(np.asarray(a), np.asarray(b)).item(),
    "perceptron_output": solver.perceptron_output,
    "perceptron_update": solver.perceptron_update,
}

"""The solver's formulas under the short names that template expressions call.

`expr: "out_size(w1, f, s, p)"` in a template calls ``solver.output_size``; the
grader reads the called name to know which misconceptions apply.
"""
from __future__ import annotations

import inspect
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator

import numpy as np

from grader import solver

Call = tuple[str, tuple, Any]          # function name, arguments, result
_calls: ContextVar[list[Call] | None] = ContextVar("hw_expression_calls", default=None)


@contextmanager
def recording() -> Iterator[list[Call]]:
    """Collect the formula calls an expression makes (innermost first), to explain and grade them."""
    calls: list[Call] = []
    token = _calls.set(calls)
    try:
        yield calls
    finally:
        _calls.reset(token)


def _recorded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(function)

    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            args = signature.bind(*args, **kwargs).args
        result = function(*args)
        log = _calls.get()
        if log is not None:
            log.append((name, args, result))
        return result
    call.__name__ = name
    call.__doc__ = function.__doc__
    return call


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


def out_size(w1: int, f: int, s: int = 1, p: int = 0, d: int = 1) -> int | str:
    return solver.output_size(w1, f, s, p, d)


def pool_size(w1: int, f: int, s: int | None = None) -> int | str:
    return solver.pool_size(w1, f, s)


def keras_size(w1: int, f: int, s: int = 1, padding: str = "valid") -> int | str:
    return solver.keras_output_size(w1, f, s, padding)


def conv_weights(f: int, c: int, k: int, g: int = 1) -> int:
    return solver.conv_weight_count(f, c, k, g)


def conv_params(f: int, c: int, k: int, g: int = 1) -> int:
    return solver.conv_param_count(f, c, k, g)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "out_size": out_size,
    "pool_size": pool_size,
    "same_pad": solver.same_padding,
    "keras_size": keras_size,
    "effective_size": solver.effective_size,
    "conv_weights": conv_weights,
    "conv_params": conv_params,
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

EXPRESSION_FUNCTIONS = {name: _recorded(name, f) for name, f in _FUNCTIONS.items()}


_SIGNATURES = {name: inspect.signature(f) for name, f in _FUNCTIONS.items()}    # read once: each reading costs some 8 us


def arguments_of(name: str, args: Any) -> dict[str, Any]:
    """A recorded call's arguments by their names, the defaults filled in: {"x": ..., "w": ..., "s": 1, ...}."""
    bound = _SIGNATURES[name].bind(*args)
    bound.apply_defaults()
    return dict(bound.arguments)
MATRIX_FUNCTIONS = frozenset({"correlate", "convolve", "relu", "maxpool", "avgpool"})   # their answers are arrays

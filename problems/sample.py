"""Sampling a template's params in order, with `require` checked by bounded retries."""
from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import numpy as np

from problems.checker import MAX_ARRAY_ITEMS
from problems.errors import SamplingError
from problems.expr import Expr
from problems.rng import Rng
from problems.spec import Param, Template

MAX_TRIES = 1000
MAX_DRAWS = 400_000   # random numbers one sampling may use before it gives up
MAX_SECONDS = 2.0     # and the time: a `require` that computes a lot cannot keep hw busy for long
MAX_DIM = 64
MAX_ABS = 10**9


def resolve(value: Any, scope: dict[str, Any]) -> Any:
    """A template value for this instance: literals as they are, expressions evaluated."""
    return value.evaluate(scope) if isinstance(value, Expr) else value


def sample_params(template: Template, rng: Rng) -> dict[str, Any]:
    """Params for one instance; retried until every `require` holds (at most MAX_TRIES times)."""
    random = any(p.kind in ("choice", "range", "matrix") for p in template.params)
    failures: Counter[int] = Counter()
    draws = 0
    deadline = time.monotonic() + MAX_SECONDS
    for attempt in range(MAX_TRIES if random else 1):
        params: dict[str, Any] = {}
        for param in template.params:
            params[param.name] = _draw(param, params, rng, template.path)
            if param.kind == "matrix":
                draws += params[param.name].size
        failed = next((i for i, cond in enumerate(template.require) if not _holds(cond, params)), None)
        if failed is None:
            return params
        failures[failed] += 1
        if draws > MAX_DRAWS or time.monotonic() > deadline:
            break
    worst = template.require[failures.most_common(1)[0][0]]
    tries = sum(failures.values())
    raise SamplingError(f"template {template.id!r}: require {worst.text!r} did not hold in {tries} sample(s)"
                        + ("" if random else " (no param is random)"), file=worst.file, line=worst.line)


def _holds(condition: Expr, params: dict[str, Any]) -> bool:
    value = condition.evaluate(params)
    if isinstance(value, np.ndarray):
        raise SamplingError(f"require {condition.text!r} must be true or false, not an array",
                            file=condition.file, line=condition.line)
    return bool(value)


def _int(value: Any, what: str, param: Param, path: str, low: int = -MAX_ABS) -> int:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= MAX_ABS:
        raise SamplingError(f"param {param.name!r}: {what} must be an integer from {low} to {MAX_ABS}, not {value!r}",
                            file=path, line=param.line)
    return int(value)


def _draw(param: Param, scope: dict[str, Any], rng: Rng, path: str) -> Any:
    if param.kind == "literal":
        return np.asarray(param.value) if isinstance(param.value, list) else param.value
    if param.kind == "expr":
        return param.value.evaluate(scope)
    if param.kind == "choice":
        option = rng.choice(param.options)
        return np.asarray(option) if isinstance(option, list) else option
    if param.kind == "range":
        low = _int(resolve(param.low, scope), "the low end", param, path)
        high = _int(resolve(param.high, scope), "the high end", param, path)
        step = _int(resolve(param.step, scope), "step", param, path, low=1)
        if high < low:
            raise SamplingError(f"param {param.name!r}: empty range [{low}, {high}]", file=path, line=param.line)
        return low + step * rng.below((high - low) // step + 1)
    dims = [_int(resolve(d, scope), "a dimension", param, path, low=1) for d in param.dims]
    count = math.prod(dims)
    if max(dims) > MAX_DIM or count > MAX_ARRAY_ITEMS:
        raise SamplingError(f"param {param.name!r}: a matrix of {' x '.join(map(str, dims))} is larger than "
                            f"allowed ({MAX_DIM} per side, {MAX_ARRAY_ITEMS} numbers)", file=path, line=param.line)
    values = rng.integers(param.low, param.high, count)
    return np.array(values, dtype=np.int64).reshape(dims)


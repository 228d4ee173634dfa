"""The right answer of every part of a template, for one set of params."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.answers import encode, lecture_shape
from grader.functions import Call, recording
from grader.network import Layer, LayerError, LayerResult, run
from grader.solver import INVALID
from problems.errors import HwError
from problems.sample import resolve
from problems.spec import LayerSpec, NetworkSpec, Part, Template

INT_OPTIONS = {"stride": 1, "pad": 0, "dilation": 1, "groups": 1, "filters": 1, "size": 1, "units": 1}
MAX_SIDE = 100_000


@dataclass(frozen=True)
class Solution:
    results: list[LayerResult] | None   # the input and every layer, when there is a network
    answers: dict[str, Any]             # part name -> answer in JSON notation
    calls: dict[str, Call]              # expr part -> the formula it calls (outermost), to explain and grade


def solve(template: Template, params: dict[str, Any]) -> Solution:
    results = run_network(template.network, params, template.path) if template.network else None
    answers, calls = {}, {}
    for part in template.parts:
        try:
            if part.query == "expr":
                answers[part.name], call = expr_answer(part, params)
                if call is not None:
                    calls[part.name] = call
            else:
                answers[part.name] = answer(part, results, params)
        except HwError as e:
            raise HwError(e.message, file=e.file or template.path, line=e.line or part.line) from None
    return Solution(results, answers, calls)


def expr_answer(part: Part, params: dict[str, Any]) -> tuple[Any, Call | None]:
    """The value of an expr part, and the formula it is a single call of, if it is one."""
    with recording() as calls:
        value = encode(part.expr.evaluate(params))
    text = part.expr.text.strip()
    if calls and text.startswith(calls[-1][0] + "(") and text.endswith(")"):
        return value, calls[-1]
    return value, None


def answer(part: Part, results: list[LayerResult] | None, params: dict[str, Any]) -> Any:
    if part.query == "expr":
        return expr_answer(part, params)[0]
    if part.layer == "all":
        counts = [getattr(r, part.query) for r in results[1:]]
        return INVALID if INVALID in counts else sum(counts)
    result = results[part.layer]
    if part.query == "value":
        if INVALID in result.shape:
            return INVALID
        value = result.value[0] if result.as_matrix and result.value.shape[0] == 1 else result.value
        return encode(value)
    if part.query == "shape":
        return lecture_shape(result.shape)
    if part.query == "size":
        if len(result.shape) != 3:
            raise HwError(f"part {part.name!r}: layer {part.layer} gives a vector, not a spatial size")
        return result.shape[2]
    if part.query == "weight_shape":
        return lecture_shape(result.weight_shape) if INVALID in result.weight_shape else list(result.weight_shape)
    return getattr(result, part.query)   # params, weights, biases


def run_network(network: NetworkSpec, params: dict[str, Any], path: str) -> list[LayerResult]:
    if network.input_param is not None:
        value = np.asarray(params[network.input_param])
        if value.ndim not in (2, 3) or value.dtype.kind not in "iuf":
            raise HwError(f"input {network.input_param!r} must be an H x W or C x H x W array of numbers",
                          file=path, line=network.line)
        shape = None
    else:
        dims = [_size(resolve(v, params), "input shape", path, network.line) for v in network.input_shape]
        value, shape = None, (dims[2], dims[1], dims[0]) if len(dims) == 3 else tuple(dims)
    layers = [_layer(spec, params, path) for spec in network.layers]
    try:
        return run(value, shape, layers)
    except LayerError as e:
        raise HwError(e.message, file=path, line=network.layers[e.index - 1].line) from None


def _size(value: Any, what: str, path: str, line: int | None, low: int = 1) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= MAX_SIDE:
        raise HwError(f"{what} must be an integer from {low} to {MAX_SIDE}, not {value!r}", file=path, line=line)
    return int(value)


def _layer(spec: LayerSpec, params: dict[str, Any], path: str) -> Layer:
    options = {}
    for key, raw in spec.options:
        value = resolve(raw, params)
        if key in INT_OPTIONS:
            value = _size(value, f"{spec.kind} {key}", path, spec.line, low=0 if key == "pad" else 1)
        elif key == "flip":
            value = bool(value)
        elif key in ("weights", "bias") and not isinstance(value, bool):
            value = np.asarray(value)
            if value.dtype.kind not in "iuf":
                raise HwError(f"{spec.kind} {key} must be numbers", file=path, line=spec.line)
        options[key] = value
    return Layer(spec.kind, options)

"""A question of the manifest made whole again: its network rerun, its parts' situations.

The manifest stores every layer's concrete options and the input, so grading
needs no template file: ``rebuild`` reruns the reference network, and
``situation`` says what a part asks in the terms the misconceptions use.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.network import Layer, LayerResult, run
from grader.solver import INVALID


@dataclass
class Situation:
    """What one part asks: a query on a layer (kind, numbers) or a formula call."""

    query: str                          # value, shape, size, params, weights, biases, weight_shape, or a call name
    layer_kind: str | None = None
    numbers: dict[str, Any] = field(default_factory=dict)
    results: list[LayerResult] | None = None
    index: int | None = None


def _value(raw: Any, params: dict[str, Any]) -> Any:
    """A manifest value: {"param": name} stands for that param's array."""
    if isinstance(raw, dict) and len(raw) == 1 and "param" in raw:
        raw = params[raw["param"]]
    return np.asarray(raw) if isinstance(raw, list) else raw


def rebuild(question: dict[str, Any]) -> list[LayerResult] | None:
    network = question.get("network")
    if not network:
        return None
    params = question["params"]
    layers = [Layer(layer["kind"], {k: _value(v, params) for k, v in layer["options"].items()})
              for layer in network["layers"]]
    if network.get("input_value") is not None:
        return run(_value(network["input_value"], params), None, layers)
    shape = network["input_shape"]
    return run(None, (shape[2], shape[1], shape[0]) if len(shape) == 3 else tuple(shape), layers)


def situation(question: dict[str, Any], part: dict[str, Any], results: list[LayerResult] | None) -> Situation | None:
    if part["query"] == "expr":
        call = part.get("call")
        if not call:
            return None
        return Situation(call["name"], numbers={"args": call["args"]})
    if results is None or part["layer"] in (None, "all"):
        return Situation(part["query"], "all", results=results) if results is not None else None
    i = part["layer"]
    r = results[i]
    prev = results[i - 1] if i else None
    numbers: dict[str, Any] = {}
    if r.kind == "conv" and prev is not None:
        c, h, w = prev.shape
        k, cg, f, _ = r.weight_shape
        o = r.options
        numbers = dict(w1=w, h1=h, c=c, k=k, f=f, s=o.get("stride", 1), p=o.get("pad", 0),
                       d=o.get("dilation", 1), g=o.get("groups", 1))
    elif r.kind in ("maxpool", "avgpool") and prev is not None:
        c, h, w = prev.shape
        size = r.options.get("size", 2)
        numbers = dict(w1=w, h1=h, c=c, f=size, s=r.options.get("stride", size))
    elif r.kind in ("flatten", "fc") and prev is not None:
        # an fc right after flatten still reads the volume before it
        volume = results[i - 2] if prev.kind == "flatten" and i >= 2 else prev
        numbers = dict(prev_shape=volume.shape, n=r.shape[0])
        if r.kind == "fc":
            numbers["d"] = r.weight_shape[1]
    return Situation(part["query"], r.kind, numbers, results, i)


def as_volume(value: Any) -> np.ndarray | None:
    """A student's matrix or volume as C x H x W, or None if it is not a rectangular array."""
    if value is None or value == INVALID:
        return None
    try:
        a = np.asarray(value, dtype=float)
    except ValueError:
        return None
    if a.ndim == 2:
        return a[None]
    return a if a.ndim == 3 else None

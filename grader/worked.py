"""How a part is worked out, in one line of feedback, for a wrong answer that no named
misconception explains.

A number, a shape or a count gets the key's worked solution of that part (the
formula with the student's own variant's numbers put in). A matrix or volume
gets each entry the student got wrong (the first few) worked out on its own:
the window of the input that entry comes from, element by element, so that a
student who slipped in one sum sees which one and how it adds up.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from grader.explain import explain_part, layer_shape_steps, n, plain
from grader.explain_values import _nth, conv_window
from grader.functions import arguments_of
from grader.network import Layer, LayerResult, run
from grader.solver import pad2d

CALLED_OPERATIONS = {"correlate": "conv", "convolve": "conv", "relu": "relu", "maxpool": "maxpool",
                     "avgpool": "avgpool"}


def steps_text(question: dict[str, Any], name: str, results: list[LayerResult] | None) -> str:
    """The key's worked solution of a part as running text: its steps that are words and formulas
    (a step that shows a matrix is left out: a line of feedback does not draw one)."""
    part = question["parts"][name]
    call = part.get("call")
    view = SimpleNamespace(name=name, query=part["query"], layer=part["layer"],
                           expr=SimpleNamespace(text=part.get("expr", "")))
    if part["query"] != "expr" and (results is None or (part["layer"] != "all" and results[part["layer"]] is None)):
        return ""
    steps = explain_part(view, results, question["params"], part["answer"],
                         (call["name"], tuple(call["args"]), part["answer"]) if call else None)
    kept = [" ".join(piece for piece in step if piece).strip() for step in steps
            if all(isinstance(piece, str) for piece in step)]
    return " ".join(text if text.endswith((".", ":")) else text + "." for text in kept if text)


def operation(question: dict[str, Any], name: str, results: list[LayerResult] | None
              ) -> tuple[str, np.ndarray, dict[str, Any], str] | None:
    """What computes a matrix part from what: the operation (conv, relu, maxpool, avgpool), its
    input as C x H x W, its options as a layer has them, and what the input is called."""
    part = question["parts"][name]
    if part["query"] == "value" and results is not None and isinstance(part["layer"], int) and part["layer"] >= 1:
        r, before = results[part["layer"]], results[part["layer"] - 1]
        if r.kind not in CALLED_OPERATIONS.values() or before.value is None:
            return None
        called = "the input" if part["layer"] == 1 else "the previous layer's output"
        return r.kind, _volume(before.value), r.options, called
    call = part.get("call")
    if part["query"] != "expr" or not call or call["name"] not in CALLED_OPERATIONS:
        return None
    a, kind = arguments_of(call["name"], call["args"]), CALLED_OPERATIONS[call["name"]]
    if kind == "conv":
        options = {"weights": a["w"], "stride": a["s"], "pad": a["p"], "bias": a["b"], "flip": call["name"] == "convolve"}
    elif kind == "relu":
        options = {}
    else:
        options = {"size": a["f"], "stride": a["f"] if a["s"] is None else a["s"]}
    return kind, _volume(np.asarray(a["x"])), options, "the input"


def _volume(x: np.ndarray) -> np.ndarray:
    return x[None] if x.ndim == 2 else x


def _rows(start: int, span: int) -> str:
    return f"{start + 1}" if span == 1 else f"{start + 1}–{start + span}"


def size_text(kind: str, x: np.ndarray, options: dict[str, Any]) -> str:
    """How big the output of an operation on `x` is, worked out as the key works out a layer's shape:
    what an answer of the wrong shape missed."""
    results = run(x, None, [Layer(kind, options)])
    return " ".join(" ".join(piece for piece in step if isinstance(piece, str)).strip().rstrip(".") + "."
                    for step in layer_shape_steps(results, 1))


def entry_text(kind: str, x: np.ndarray, options: dict[str, Any], index: tuple[int, int, int], called: str) -> str:
    """One entry (map k, row i, column j; from 0) of the output of an operation on `x`, worked out."""
    k, i, j = index
    if kind == "relu":
        v = x[k, i, j]
        return f"ReLU of the same entry of {called}: $\\max(0, {plain(v)}) = {plain(max(v, 0))}$."
    if kind in ("maxpool", "avgpool"):
        size = options.get("size", 2)
        stride = options.get("stride", size)
        r, c = i * stride, j * stride
        window = x[k, r:r + size, c:c + size].ravel()
        items = ", ".join(n(v) for v in window)
        where = f"map {k + 1} of {called}" if x.shape[0] > 1 else called
        if kind == "maxpool":
            formula = f"\\max({items}) = {plain(window.max())}"
        else:
            formula = f"({' + '.join(n(v) for v in window)})/{window.size} = {plain(window.mean())}"
        return f"the {size}×{size} window at rows {_rows(r, size)}, columns {_rows(c, size)} of {where}: ${formula}$."
    w = np.asarray(options["weights"])
    w = w[None, None] if w.ndim == 2 else w
    if options.get("flip"):
        w = w[:, :, ::-1, ::-1]
    pad, stride, dilation = options.get("pad", 0), options.get("stride", 1), options.get("dilation", 1)
    groups = options.get("groups", 1)
    _, value, products = conv_window(pad2d(x, pad), w, options.get("bias"), k, i, j, stride=stride,
                                     dilation=dilation, groups=groups)
    f = w.shape[2]
    span = dilation * (f - 1) + 1
    padded = f" padded with {pad} ring{'s' if pad > 1 else ''} of zeros" if pad else ""
    channels = "" if w.shape[1] == 1 else f", over its {w.shape[1]} channels"
    taps = f" (dilation {dilation}: every {_nth(dilation)} row and column)" if dilation > 1 and f > 1 else ""
    kernel = "the kernel rotated by 180°" if options.get("flip") else "the kernel"
    filter_name = f" of filter {k + 1}" if w.shape[0] > 1 else ""
    return (f"the {span}×{span} window at rows {_rows(i * stride, span)}, columns {_rows(j * stride, span)} of "
            f"{called}{padded}{taps}{channels}, element by element with {kernel}{filter_name}: "
            f"${products} = {plain(value)}$.")

"""The reference networks of many questions at once: grader.context.rebuild for a list of records.

A forward pass drawn afresh for every student (the lecture's 5x5 homework with
its own numbers) is rerun once per student whose answer is wrong; alone, each
rerun is a few dozen small NumPy calls.  Records whose networks are laid out
alike (the same layers, option names and scalar options, arrays of the same
shapes and types) are stacked and run as one: a conv is one product over every
student's windows, ReLU and pooling one call each.

Only integer networks of conv, ReLU and pooling layers are stacked, and only
where the plain solver takes its gathered path too: integer sums and maxima
are exact in any order, and a pooled mean is a float64 sum of the same
integers divided by the same count, so every number is the plain solver's.
The plain run of a group's first record gives the shapes and counts (and finds
a configuration that does not fit: then the group is left to the plain run).
``tests/test_batch.py`` compares every field with grader.context.rebuild on
random networks.  Anything else comes back as None: rebuilt the plain way when
it is needed.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from grader import solver
from grader.context import _value
from grader.network import Layer, LayerResult, run

STACKED = ("conv", "relu", "maxpool", "avgpool")


class _NotStacked(Exception):
    """A group that the stacked run does not cover: its records are rebuilt one by one."""


def rebuild_many(questions: list[dict[str, Any]]) -> list[list[LayerResult] | None]:
    """rebuild(q) for each question whose network can run stacked with another's; None for the others."""
    out: list[list[LayerResult] | None] = [None] * len(questions)
    groups: dict[Any, list[tuple[int, np.ndarray, list[Layer]]]] = {}
    for i, question in enumerate(questions):
        prepared = _prepared(question)
        if prepared is not None:
            groups.setdefault(prepared[0], []).append((i, prepared[1], prepared[2]))
    for members in groups.values():
        if len(members) < 2:
            continue
        try:
            results = _run_stacked([x for _, x, _ in members], [layers for _, _, layers in members])
        except Exception:   # noqa: BLE001 - not stacked: what fails here fails again, in its place, in rebuild()
            continue
        for (i, _, _), result in zip(members, results):
            out[i] = result
    return out


def _prepared(question: dict[str, Any]) -> tuple[Any, np.ndarray, list[Layer]] | None:
    """A record's input and layers as rebuild() makes them, and the layout it is grouped by; None
    for a record that is not stacked. The layout: the input's shape and type, then each layer's
    kind and options, an array by its shape and type, any other value itself (with its type: True
    and 1 are different options)."""
    try:
        network = question.get("network")
        if not network or network.get("input_value") is None:
            return None
        params = question["params"]
        x = _value(network["input_value"], params)
        if not isinstance(x, np.ndarray) or x.dtype.kind not in "iu" or x.ndim not in (2, 3):
            return None
        layers, layout = [], [x.shape, x.dtype.str]
        for layer in network["layers"]:
            kind = layer["kind"]
            if kind not in STACKED:
                return None
            options = {k: _value(v, params) for k, v in layer["options"].items()}
            layers.append(Layer(kind, options))
            layout.append(kind)
            for k, v in options.items():
                layout.append(k)
                layout.append(("array", v.shape, v.dtype.str) if isinstance(v, np.ndarray) else (type(v).__name__, v))
        layout = tuple(layout)
        hash(layout)
    except (TypeError, KeyError, AttributeError, ValueError):
        return None
    return layout, x, layers


def _run_stacked(inputs: list[np.ndarray], networks: list[list[Layer]]) -> list[list[LayerResult]]:
    first = run(inputs[0], None, networks[0])       # the shapes and counts, and whether it runs at all
    stacked = np.stack(inputs)
    value = stacked[:, None] if stacked.ndim == 3 else stacked      # N x C x H x W
    values = [value]
    for position, template in enumerate(first[1:]):
        options = [layers[position].options for layers in networks]
        value = _STEPS[template.kind](value, options, template)
        values.append(value)
    reruns = [{} for _ in networks]
    for position, template in enumerate(first[1:], start=1):
        if template.kind == "conv":
            _conv_reruns(position, values[position - 1], [layers[position - 1].options for layers in networks],
                         template, reruns)
    out = []
    for n, layers in enumerate(networks):
        results = Stacked([LayerResult("input", {}, first[0].shape, values[0][n], first[0].as_matrix)])
        for position, template in enumerate(first[1:], start=1):
            results.append(LayerResult(template.kind, layers[position - 1].options, template.shape, values[position][n],
                                       template.as_matrix, template.weights, template.biases, template.weight_shape))
        results.reruns = reruns[n]
        out.append(results)
    return out


class Stacked(list):
    """A network's results (LayerResults, as rebuild() gives them) run stacked, with `reruns`: its
    conv layers' outputs with changed options, the named wrong methods' (rerun_key)."""

    __slots__ = ("reruns",)


def rerun_key(index: int, changes: dict[str, Any]) -> tuple:
    """How a layer's rerun with changed options is found in Stacked.reruns: the layer's index, and
    the changes (`transposed`: the layer's weights with their last two axes swapped)."""
    return index, tuple(sorted(changes.items()))


def conv_changes(options: dict[str, Any]) -> list[dict[str, Any]]:
    """The changed options grader.misconceptions_values.conv_value reruns a conv layer with, for a
    layout (the checks on each record's own numbers, a bias of zeros or a symmetric filter, are its)."""
    changes: list[dict[str, Any]] = [{"flip": not options.get("flip")}]
    if options.get("stride", 1) > 1:
        changes.append({"stride": 1})
    if options.get("pad", 0):
        changes.append({"pad": 0})
    bias = options.get("bias")
    if bias is not None and not isinstance(bias, bool):
        changes.append({"bias": None})
    if options.get("weights") is not None and np.ndim(options["weights"]) in (2, 4):
        changes.append({"transposed": True})
    changes.extend({"only_channel": c} for c in range(summed_channels(options)))
    return changes


def summed_channels(options: dict[str, Any]) -> int:
    """How many input channels each filter of a conv layer sums over, when more than one (else 0)."""
    weights = options.get("weights")
    if weights is None or np.ndim(weights) != 4 or options.get("groups", 1) != 1:
        return 0
    channels = np.shape(weights)[1]
    return channels if channels > 1 else 0


def changed_options(options: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A layer's options with some changed, as a rerun runs it: None drops an option;
    `only_channel`: the weights of every other input channel zeroed."""
    changes = dict(changes)
    if changes.pop("transposed", False):
        changes["weights"] = np.swapaxes(np.asarray(options["weights"]), -1, -2)
    if (channel := changes.pop("only_channel", None)) is not None:
        weights = np.asarray(options["weights"])
        kept = np.zeros_like(weights)
        kept[:, channel] = weights[:, channel]
        changes["weights"] = kept
    merged = {**options, **changes}
    return {k: v for k, v in merged.items() if v is not None}


def _conv_reruns(index: int, x: np.ndarray, options: list[dict[str, Any]], template: LayerResult,
                 reruns: list[dict]) -> None:
    """Each record's conv layer at `index` rerun with each of conv_changes(), stacked, into `reruns`:
    the value as the rerun gives it (a matrix for a layer written as one). A change the plain run
    refuses, or that does not stack, is left out: the rerun then runs it the plain way."""
    for changes in conv_changes(options[0]):
        changed = [changed_options(o, changes) for o in options]
        try:
            alone = run(x[0], None, [Layer("conv", changed[0])])[1]
            if alone.value is None:
                continue
            stacked = _conv(x, changed, alone)
        except Exception:   # noqa: BLE001 - the plain rerun finds the same, and returns None
            continue
        key = rerun_key(index, changes)
        for n, value in enumerate(stacked):
            reruns[n][key] = value[0] if template.as_matrix and value.shape[0] == 1 else value


def _conv(x: np.ndarray, options: list[dict[str, Any]], template: LayerResult) -> np.ndarray:
    """network._conv's values for N stacked inputs (N x C x H x W), each with its own weights and bias."""
    o = options[0]
    stride, pad, dilation = o.get("stride", 1), o.get("pad", 0), o.get("dilation", 1)
    if o.get("groups", 1) != 1 or o.get("weights") is None or template.value is None:
        raise _NotStacked
    weights = np.stack([np.asarray(each["weights"]) for each in options])
    if weights.ndim == 3:
        weights = weights[:, None, None]                          # N x K x C x F x F
    if o.get("flip"):
        weights = weights[..., ::-1, ::-1]
    bias = o.get("bias")
    biases = None
    if bias is not None and bias is not True and bias is not False:
        biases = np.stack([np.atleast_1d(np.asarray(each["bias"])) for each in options])
    n, c, height, width = x.shape
    _, k, cg, fh, fw = weights.shape
    _, h2, w2 = template.shape
    dtype = np.result_type(x[0], weights[0], biases[0] if biases is not None else 0)
    if dtype.kind not in "iu" or h2 * w2 * cg * fh * fw > solver.MAX_GATHERED:
        raise _NotStacked
    if pad:
        padded = np.zeros((n, c, height + 2 * pad, width + 2 * pad), dtype=x.dtype)
        padded[:, :, pad:pad + height, pad:pad + width] = x
        x, height, width = padded, height + 2 * pad, width + 2 * pad
    index = solver._taps(cg, height, width, h2, w2, fh, fw, stride, dilation).reshape(h2 * w2, cg * fh * fw)
    windows = x.reshape(n, -1)[:, index].astype(dtype, copy=False)                 # N x H2*W2 x C*F*F
    filters = weights.reshape(n, k, cg * fh * fw).astype(dtype, copy=False)
    out = filters @ windows.transpose(0, 2, 1)                                     # N x K x H2*W2
    if biases is not None:
        out += biases[:, :, None]
    return out.reshape(n, k, h2, w2)


def _relu(x: np.ndarray, options: list[dict[str, Any]], template: LayerResult) -> np.ndarray:
    return solver.relu(x)


def _pool(x: np.ndarray, options: list[dict[str, Any]], template: LayerResult) -> np.ndarray:
    """solver.maxpool2d or avgpool2d of N stacked integer volumes, by their gathered path."""
    o = options[0]
    size = o.get("size", 2)
    stride = o.get("stride", size)
    n, c, height, width = x.shape
    if template.value is None:
        raise _NotStacked
    _, h2, w2 = template.shape
    if x.dtype.kind not in "iu" or c * h2 * w2 * size * size > solver.MAX_GATHERED:
        raise _NotStacked
    windows = x.reshape(n, -1)[:, solver._taps(c, height, width, h2, w2, size, size, stride, 1)]   # N x H2*W2 x C x F*F
    if template.kind == "maxpool":
        reduced = windows.max(axis=3)
    else:
        reduced = windows.sum(axis=3, dtype=np.float64) / windows.shape[3]
    return np.ascontiguousarray(reduced.transpose(0, 2, 1).reshape(n, c, h2, w2))


_STEPS = {"conv": _conv, "relu": _relu, "maxpool": _pool, "avgpool": _pool}

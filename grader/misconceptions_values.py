"""Named wrong methods of forward passes by hand, and of the single-formula families."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader import solver
from grader.answers import encode
from grader.batch import changed_options, rerun_key, summed_channels
from grader.context import Situation
from grader.misconceptions import Candidate, method
from grader.network import Layer, run
from grader.solver import INVALID


def _rerun(s: Situation, **changes: Any) -> Any:
    """The output of the part's layer, computed with some options changed (None if that fails);
    `transposed=True`: with its weights transposed. A network run stacked has it already."""
    reruns = getattr(s.results, "reruns", None)
    if reruns is not None and (key := rerun_key(s.index, changes)) in reruns:
        return reruns[key]
    prev = s.results[s.index - 1]
    layer = s.results[s.index]
    options = changed_options(layer.options, changes)
    try:
        result = run(prev.value, None, [Layer(layer.kind, options)])[1]
    except Exception:  # noqa: BLE001 - a changed option may not fit; then the method does not apply
        return None
    if result.value is None:
        return None
    return result.value[0] if layer.as_matrix and result.value.shape[0] == 1 else result.value


def _add_bias(bias: Any) -> str:
    """The reasoning on the student's own numbers: b = 2, or each filter's b = (1, -1)."""
    values = np.asarray(bias).reshape(-1)
    if values.size == 1:
        return f"add the filter's bias b = {encode(values[0])} to every entry of its map."
    return f"add each filter's bias to every entry of its map: b = ({', '.join(str(encode(v)) for v in values)})."


@method("value:conv")
def conv_value(s: Situation) -> list[Candidate]:
    layer = s.results[s.index]
    if layer.value is None:
        return []
    o = layer.options
    out = [Candidate("flipped-kernel", _rerun(s, flip=not o.get("flip")),
                     "deep-learning conv layers compute the cross-correlation: slide W as it is, without rotating it."
                     if not o.get("flip") else "the convolution f*g flips the kernel: rotate W by 180° first.")]
    if o.get("stride", 1) > 1:
        out.append(Candidate("ignored-stride", _rerun(s, stride=1),
                             f"with stride {o['stride']} the filter jumps {o['stride']} positions between windows."))
    if o.get("pad", 0):
        out.append(Candidate("ignored-padding", _rerun(s, pad=0),
                             f"first surround the input with P = {o['pad']} "
                             f"{'ring' if o['pad'] == 1 else 'rings'} of zeros, then slide the filter."))
    bias = o.get("bias")
    if bias is not None and not isinstance(bias, bool) and np.any(np.asarray(bias) != 0):
        out.append(Candidate("forgot-bias", _rerun(s, bias=None),
                             _add_bias(bias)))
    weights = o.get("weights")
    if weights is not None and np.ndim(weights) in (2, 4):
        transposed = np.swapaxes(np.asarray(weights), -1, -2)
        if not np.array_equal(transposed, weights):
            out.append(Candidate("transposed-kernel", _rerun(s, transposed=True),
                                 "use W as printed: row i of the window meets row i of W."))
    for c in range(channels := summed_channels(o)):
        out.append(Candidate("one-channel-only", _rerun(s, only_channel=c),
                             f"you used channel {c + 1} of the input alone. A filter is as deep as its input: "
                             f"each entry sums the window times the filter over all {channels} channels"
                             f"{', then adds the bias' if bias is not None else ''}."))
    return [c for c in out if c.wrong is not None]


@method("value:relu", "relu")
def relu_value(s: Situation) -> list[Candidate]:
    x = np.asarray(s.numbers["args"][0]) if s.layer_kind is None else _previous(s)
    if x is None:
        return []
    why = "ReLU is max(0, x): negative entries become 0, the others stay as they are."
    negative = bool((x < 0).any())
    return [Candidate("forgot-relu", x, why) if negative else None,
            Candidate("relu-abs", np.abs(x), why) if negative else None,
            Candidate("relu-min", np.minimum(x, 0), why)]


def _previous(s: Situation) -> np.ndarray | None:
    return _as_written(s.results[s.index - 1])


def _as_written(result: Any) -> np.ndarray | None:
    """A layer's value as its answer is written: a depth-1 value of a matrix network as the matrix."""
    if result.value is None:
        return None
    return result.value[0] if result.as_matrix and result.value.shape[0] == 1 else result.value


@method("value:maxpool", "value:avgpool", "maxpool", "avgpool")
def pool_value(s: Situation) -> list[Candidate]:
    if s.layer_kind is None:
        args = s.numbers["args"]
        x = np.asarray(args[0], dtype=float)
        size = args[1] if len(args) > 1 else 2
        stride = args[2] if len(args) > 2 and args[2] is not None else size
        kind = s.query
    else:
        x, kind = _previous(s), s.layer_kind
        size = s.results[s.index].options.get("size", 2)
        stride = s.results[s.index].options.get("stride", size)
        if x is None:
            return []
    volume = x[None] if x.ndim == 2 else x

    def pooled(op: Any, st: int = stride) -> Any:
        try:
            out = op(volume, size=size, stride=st)
        except ValueError:
            return None
        return out[0] if x.ndim == 2 else out

    other = solver.avgpool2d if kind == "maxpool" else solver.maxpool2d
    out = [Candidate("average-instead-of-max" if kind == "maxpool" else "max-instead-of-average", pooled(other), f"{'max' if kind == 'maxpool' else 'average'} pooling keeps the "
                     f"{'largest' if kind == 'maxpool' else 'mean'} value of each {size}×{size} window.")]
    if kind == "maxpool":
        out.append(Candidate("min-instead-of-max", pooled(lambda v, size, stride: -solver.maxpool2d(-v, size=size, stride=stride)),
                             f"max pooling keeps the largest value of each {size}×{size} window."))
    if stride != 1:
        out.append(Candidate("pool-stride-1", pooled(getattr(solver, f"{kind}2d"), 1),
                             f"the pooling window moves by its stride S = {stride}, so windows do not overlap."))
    if s.layer_kind is not None and s.index >= 2 and s.results[s.index - 1].kind == "relu":
        before = s.results[s.index - 2]
        if before.value is not None:
            v = before.value
            skipped = getattr(solver, f"{kind}2d")(v, size=size, stride=stride) if INVALID not in before.shape else None
            if skipped is not None and s.results[s.index].as_matrix:
                skipped = skipped[0]
            out.append(Candidate("pooled-before-relu", skipped,
                                 "pool the output of ReLU: negative entries are 0 by then."))
    return [c for c in out if c.wrong is not None]


@method("value:conv", "value:relu", "value:maxpool", "value:avgpool")
def channels_last(s: Situation) -> list[Candidate]:
    """A volume of several maps nested row by row, then column, then map (H×W×C: NumPy images,
    Keras), for one matrix per map (C×H×W). After the layer's own methods, which name a wrong
    number first."""
    layer = s.results[s.index]
    value = layer.value
    if value is None or value.ndim != 3 or value.shape[0] < 2 or layer.as_matrix:
        return []
    last = np.transpose(value, (1, 2, 0))
    if last.shape == value.shape and np.array_equal(last, value):     # the two layouts are one answer
        return []
    c, h, w = value.shape
    return [Candidate("channels-last", last,
                      f"a volume is written one matrix per map, as PyTorch holds it (C×H×W): {c} matrices of "
                      f"{h}×{w}, the first map's rows first; nested row, column, then map is the channels-last "
                      "layout (H×W×C) of NumPy images and Keras.")]


@method("value:conv", "value:relu", "value:maxpool", "value:avgpool")
def transposed_output(s: Situation) -> list[Candidate]:
    """A layer's output written column by column: each map transposed. After the layer's own methods
    (a transposed kernel on a symmetric input gives the same numbers, and is named first)."""
    shown = _as_written(s.results[s.index])
    if shown is None or shown.ndim not in (2, 3):
        return []
    flipped = np.swapaxes(shown, -1, -2)
    if flipped.shape == shown.shape and np.array_equal(flipped, shown):     # symmetric: the same answer
        return []
    return [Candidate("transposed-output", flipped,
                      "an output is written row by row, as the window moves: across the first row of positions, "
                      "then the next row down; its columns written as rows transpose it.")]


@method("correlate", "convolve")
def correlation(s: Situation) -> list[Candidate]:
    args = list(s.numbers["args"]) + [1, 0, None][len(s.numbers["args"]) - 2:]
    x, w, st, p, b = (np.asarray(args[0]), np.asarray(args[1]), args[2], args[3], args[4])
    volume = x[None] if x.ndim == 2 else x
    filters = w[None, None] if w.ndim == 2 else w
    bias = None if b is None else np.atleast_1d(np.asarray(b))

    def conv(kernel: np.ndarray) -> Any:
        out = solver.conv2d(volume, kernel, bias, stride=st, pad=p)
        return out[0] if x.ndim == 2 and w.ndim == 2 else out

    flip = s.query == "convolve"
    rotated = filters[:, :, ::-1, ::-1]
    right = ("the convolution f*g rotates the kernel by 180° (both axes) before sliding it" if flip else
             "a deep-learning conv layer slides the kernel as it is (cross-correlation)")
    out = [Candidate("did-not-flip" if flip else "flipped-kernel", conv(filters if flip else rotated), right + ".")]
    if flip:
        out += [Candidate("flipped-one-axis", conv(flipped), right + ": flip both the rows and the columns.")
                for flipped in (filters[:, :, ::-1], filters[:, :, :, ::-1])]      # only the rows, only the columns
        out.append(Candidate("transposed-kernel", conv(np.swapaxes(filters, -1, -2)),
                             right + ": a transpose is not a rotation by 180°."))
    return out


@method("same_pad")
def same_pad(s: Situation) -> list[Candidate]:
    f = s.numbers["args"][0]
    right = f"at stride 1 the output keeps the size when 2P = F − 1, so P = (F − 1)/2 = ({f} − 1)/2"
    right += f" = {(f - 1) // 2}." if f % 2 else ": not a whole number for an even F: **invalid**."
    return [Candidate("padding-f-minus-one", f - 1, right),
            Candidate("padding-f", f, right),
            Candidate("padding-half-f", f / 2, right) if f % 2 else None]


@method("keras_size")
def keras(s: Situation) -> list[Candidate]:
    w1, f, st, padding = (list(s.numbers["args"]) + [1, "valid"][len(s.numbers["args"]) - 2:])[:4]
    mode = str(padding).lower()
    if mode == "same":
        right = f"'same' pads so that the output is ⌈W1/S⌉ = ⌈{w1}/{st}⌉ = {math.ceil(w1 / st)}."
        return [c for c in [
            Candidate("same-ignored-stride", w1, right) if st > 1 else None,
            Candidate("floor-instead-of-ceil", w1 // st, right) if w1 % st else None,
            Candidate("valid-formula-for-same", math.ceil((w1 - f + 1) / st), right)] if c]
    right = f"'valid' has no padding and drops leftover columns: ⌈(W1 − F + 1)/S⌉ = ⌈({w1} − {f} + 1)/{st}⌉"
    right += f" = {math.ceil((w1 - f + 1) / st)}." if w1 >= f else ": the filter is larger than the input."
    fits = (w1 - f) % st == 0
    return [c for c in [
        Candidate("valid-ignored-stride", w1 - f + 1, right) if st > 1 else None,
        Candidate("same-formula-for-valid", math.ceil(w1 / st), right),
        Candidate("lecture-rule-in-keras", INVALID,
                  right + " Keras accepts every stride.") if not fits else None,
        Candidate("forgot-plus-one", (w1 - f) / st, right)] if c]


@method("effective_size")
def effective(s: Situation) -> list[Candidate]:
    f, d = (list(s.numbers["args"]) + [1])[:2]
    right = f"a dilation of d = {d} leaves d − 1 gaps between taps: d(F − 1) + 1 = {d}·({f} − 1) + 1 = {d * (f - 1) + 1}."
    return [Candidate("dilation-times-f", d * f, right),
            Candidate("dilation-forgot-plus-one", d * (f - 1), right),
            Candidate("dilation-added", f + d, right)]


@method("perceptron_output")
def perceptron_y(s: Situation) -> list[Candidate]:
    w, x = np.asarray(s.numbers["args"][0], dtype=float), np.asarray(s.numbers["args"][1], dtype=float)
    b = s.numbers["args"][2] if len(s.numbers["args"]) > 2 else 0
    total = float(np.dot(w, x)) + b
    right = f"w·x + b = {total:g}; the perceptron outputs 1 only when this is > 0."
    return [c for c in [
        Candidate("threshold-geq", 1, right) if total == 0 else None,
        Candidate("forgot-bias", int(float(np.dot(w, x)) > 0), right)
        if (float(np.dot(w, x)) > 0) != (total > 0) else None,
        Candidate("gave-the-sum", total, right) if total not in (0, 1) else None,
    ] if c]


@method("perceptron_update")
def perceptron_w(s: Situation) -> list[Candidate]:
    args = list(s.numbers["args"]) + [0]
    w, x = np.asarray(args[0], dtype=float), np.asarray(args[1], dtype=float)
    d, alpha, b = args[2], args[3], args[4]
    y = solver.perceptron_output(w, x, b)
    right = (f"the output is y = {y} and the desired d = {d}, so w(t+1) = w + α(d − y)x "
             f"= w + {alpha}·({d} − {y})·x = {np.round(w + alpha * (d - y) * x, 6).tolist()}.")
    return [Candidate("sign-flipped", w - alpha * (d - y) * x, right),
            Candidate("forgot-alpha", w + (d - y) * x, right) if alpha != 1 else None,
            Candidate("used-d-not-error", w + alpha * d * x, right)
            if y != 0 else None,
            Candidate("no-update", w, right) if d != y else None]

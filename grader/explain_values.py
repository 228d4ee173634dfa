"""Worked solutions of forward passes (windows by hand) and of `expr` parts."""
from __future__ import annotations


from typing import Any

import numpy as np

from grader.explain import Step, n, plain, size_steps
from grader.network import LayerResult
from grader.solver import INVALID, pad2d, perceptron_output

MAX_TERMS = 27   # terms written out in one window sum before it is abbreviated


def _show(volume: np.ndarray) -> np.ndarray:
    return volume[0] if volume.ndim == 3 and volume.shape[0] == 1 else volume


def _sum_of_products(xs: np.ndarray, ws: np.ndarray) -> str:
    """x1 · w1 + x2 · w2 + ..., the middle of a long sum left out; the numbers as Python's (tolist),
    which n() writes as it writes NumPy's, and only the terms shown are written."""
    pairs: list = list(zip(np.ravel(xs).tolist(), np.ravel(ws).tolist()))
    if len(pairs) > MAX_TERMS:
        pairs = pairs[:MAX_TERMS // 3] + [None] + pairs[-3:]
    return " + ".join("\\dots" if pair is None else f"{n(pair[0])} \\cdot {n(pair[1])}" for pair in pairs)


def _nth(d: int) -> str:
    return {2: "2nd", 3: "3rd"}.get(d, f"{d}th")


def _bias(b: Any) -> np.ndarray | None:
    """A conv layer's biases as numbers, or None: none given, or only said to be learned (True)."""
    return None if b is None or b is True or b is False else np.atleast_1d(np.asarray(b))


def conv_window(xp: np.ndarray, w: np.ndarray, b: Any, k: int, i: int, j: int, *, stride: int, dilation: int = 1,
                groups: int = 1) -> tuple[np.ndarray, Any, str]:
    """The window of the padded input `xp` (C×H×W) that filter k of `w` (K×C/g×F×F) meets for output row
    i, column j (from 0); its value, the sum of products plus the filter's bias; and that sum written out."""
    kk, cg, f, _ = w.shape
    span = dilation * (f - 1) + 1
    group = k // (kk // groups)
    r, c = i * stride, j * stride
    window = xp[group * cg:(group + 1) * cg, r:r + span:dilation, c:c + span:dilation]
    bias = _bias(b)
    value = (window * w[k]).sum() + (bias[k] if bias is not None else 0)
    return window, value, _sum_of_products(window, w[k]) + (f" + {n(bias[k])}" if bias is not None else "")


def conv_steps(x: np.ndarray, w: np.ndarray, b: Any, *, stride: int, pad: int, dilation: int = 1,
               groups: int = 1, flip: bool = False) -> list[Step]:
    """Padding, the (flipped) kernel, the first window of the first filter, then the whole output."""
    x = x[None] if x.ndim == 2 else x
    w = w[None, None] if w.ndim == 2 else w
    steps: list[Step] = []
    if flip:
        w = w[:, :, ::-1, ::-1]
        steps.append(["The lecture's convolution flips the kernel: rotated by 180° it is ", _show(w[0]), "."])
    xp = pad2d(x, pad)
    if pad:
        rings = "1 ring" if pad == 1 else f"{pad} rings"
        steps.append([f"Zero padding $P = {pad}$ adds {rings} of zeros around the input:", _show(xp)])
    k, cg, f, _ = w.shape
    span = dilation * (f - 1) + 1
    window, value, products = conv_window(xp, w, b, 0, 0, 0, stride=stride, dilation=dilation, groups=groups)
    where = "over both channels " if cg == 2 else f"over all {cg} channels " if cg > 2 else ""
    if groups > 1:
        where = (f"over the {cg} channel{'s' if cg > 1 else ''} of its group (the input's {x.shape[0]} channels "
                 f"in {groups} groups), ")
    taps = (f" (dilation {dilation}: its taps are {dilation} apart, so the window spans {span}×{span} and takes "
            f"every {_nth(dilation)} row and column)" if dilation > 1 and f > 1 else "")
    steps.append([f"First window (top left) of filter 1{taps}, {where}element by element:",
                  _show(window), "",
                  f"$out_{{1,1}} = {products} = {plain(value)}$"])
    unit = "column" if stride == 1 else "columns"
    moves = (f"The filter then moves right {stride} {unit} at a time, and down {stride} "
             f"{unit.replace('column', 'row')} at the end of each row; every position gives one entry of the output")
    own = " with its own bias" if _bias(b) is not None else ""
    rest = f", and each of the {k} filters gives one map{own}" if k > 1 else ""
    steps.append([f"{moves}{rest}."])
    return steps


def pool_steps(x: np.ndarray, *, size: int, stride: int, kind: str) -> list[Step]:
    x = x[None] if x.ndim == 2 else x
    window = x[0, :size, :size].ravel()
    items = ", ".join(n(v) for v in window)
    if kind == "maxpool":
        first = f"$\\max({items}) = {plain(window.max())}$"
    else:
        first = f"$({' + '.join(n(v) for v in window)})/{window.size} = {plain(window.mean())}$"
    name = "largest" if kind == "maxpool" else "mean"
    return [[f"Each ${size} \\times {size}$ window (stride {stride}) of each map keeps its {name} value; "
             f"first window: {first}. The other windows give the other entries."]]


def value_steps(results: list[LayerResult], i: int, answer: Any) -> list[Step]:
    r = results[i]
    if answer == INVALID:
        return [["The layers before do not fit the input (see the sizes), so there is no output: **invalid**."]]
    if r.kind == "input":
        return [["The input:", np.asarray(answer)]]
    prev, o = results[i - 1], r.options
    if r.kind == "conv":
        return conv_steps(prev.value, np.asarray(o["weights"]), o.get("bias"), stride=o.get("stride", 1),
                          pad=o.get("pad", 0), dilation=o.get("dilation", 1), groups=o.get("groups", 1),
                          flip=bool(o.get("flip")))
    if r.kind == "relu":
        return [["ReLU keeps each entry of the previous output and replaces the negative ones by 0: "
                 "$\\max(0, x)$, element by element."]]
    if r.kind in ("maxpool", "avgpool"):
        size = o.get("size", 2)
        return pool_steps(prev.value, size=size, stride=o.get("stride", size), kind=r.kind)
    if r.kind == "flatten":
        return [["The maps are read one after another, each row by row."]]
    x = prev.value.reshape(-1)
    w = np.asarray(o["weights"])
    bias = o.get("bias")
    b0 = f" + {n(np.atleast_1d(bias)[0])}" if bias is not None and bias is not True and bias is not False else ""
    return [[f"$y = Wx{' + b' if b0 else ''}$; first unit: $y_1 = {_sum_of_products(x, w[0])}{b0} = "
             f"{plain(np.asarray(answer).ravel()[0])}$, and likewise for every unit."]]


def expr_steps(part: Any, answer: Any, call: Any) -> list[Step]:
    if call is not None:
        name, args, result = call
        explain = _EXPLAIN.get(name)
        if explain is not None:
            return explain(answer, *args)
    return [[f"`{part.expr.text}` $= {_answer_text(answer)}$"]]


def _answer_text(answer: Any) -> str:
    if isinstance(answer, str):
        return f"\\text{{{answer}}}"
    if isinstance(answer, list):
        return "(" + ", ".join(_answer_text(a) for a in answer) + ")"
    return plain(answer)


def _same_pad(answer: Any, f: int) -> list[Step]:
    if answer == INVALID:
        return [[f"$P = (F - 1)/2 = ({f} - 1)/2$ is not a whole number: an even filter cannot keep the size "
                 "with equal padding on both sides: **invalid**."]]
    return [[f"$P = (F - 1)/2 = ({f} - 1)/2 = {answer}$"]]


def _keras(answer: Any, w1: int, f: int, s: int = 1, padding: str = "valid") -> list[Step]:
    if str(padding).lower() == "same":
        return [[f"'same': $\\lceil W_1/S \\rceil = \\lceil {w1}/{s} \\rceil = {answer}$"]]
    if answer == INVALID:
        return [[f"'valid' needs $F \\le W_1$, but ${f} > {w1}$: **invalid**."]]
    return [[f"'valid': $\\lceil (W_1 - F + 1)/S \\rceil = \\lceil ({w1} - {f} + 1)/{s} \\rceil = "
             f"\\lceil {n((w1 - f + 1) / s)} \\rceil = {answer}$"]]


def _conv_count(answer: Any, f: int, c: int, k: int, g: int = 1, *, biases: bool) -> list[Step]:
    depth = f"({c}/{g})" if g > 1 else str(c)
    formula = f"F \\cdot F \\cdot {'(C/g)' if g > 1 else 'C'} \\cdot K{' + K' if biases else ''}"
    numbers = f"{f} \\cdot {f} \\cdot {depth} \\cdot {k}{f' + {k}' if biases else ''}"
    return [[f"${formula} = {numbers} = {answer}$"]]


def _vector(v: Any) -> str:
    return "(" + ", ".join(plain(x) for x in np.asarray(v).ravel()) + ")"


def _perceptron_output(answer: Any, w: Any, x: Any, b: float = 0) -> list[Step]:
    w, x = np.asarray(w).ravel(), np.asarray(x).ravel()
    total = float(np.dot(w, x)) + b
    sign = ">" if total > 0 else "\\le"
    return [[f"$w \\cdot x + b = {_sum_of_products(w, x)} + {n(b)} = {plain(total)} {sign} 0$, so $y = {answer}$."]]


def _perceptron_update(answer: Any, w: Any, x: Any, d: int, alpha: float, b: float = 0) -> list[Step]:
    y = perceptron_output(np.asarray(w), np.asarray(x), b)
    return _perceptron_output(y, w, x, b) + [[
        f"$w(t+1) = w(t) + \\alpha (d - y) x = {_vector(w)} + {n(alpha)} \\cdot ({d} - {y}) \\cdot {_vector(x)}"
        f" = {_vector(answer)}$"]]


def _conv_call(flip: bool):
    def explain(answer: Any, x: Any, w: Any, s: int = 1, p: int = 0, b: Any = None) -> list[Step]:
        return conv_steps(np.asarray(x), np.asarray(w), b, stride=s, pad=p, flip=flip)
    return explain


def _pool_call(kind: str):
    def explain(answer: Any, x: Any, f: int = 2, s: int | None = None) -> list[Step]:
        return pool_steps(np.asarray(x), size=f, stride=f if s is None else s, kind=kind)
    return explain


_EXPLAIN = {
    "out_size": lambda answer, w1, f, s=1, p=0, d=1: size_steps(w1, f, s, p, d),
    "pool_size": lambda answer, w1, f, s=None: size_steps(w1, f, f if s is None else s, 0, pool=True),
    "same_pad": _same_pad,
    "keras_size": _keras,
    "effective_size": lambda answer, f, d=1: [[f"$d(F - 1) + 1 = {d} \\cdot ({f} - 1) + 1 = {answer}$"]],
    "conv_weights": lambda answer, *a: _conv_count(answer, *a, biases=False),
    "conv_params": lambda answer, *a: _conv_count(answer, *a, biases=True),
    "fc_params": lambda answer, d, k, bias=True: [[f"$N \\cdot D + N = {k} \\cdot {d} + {k} = {answer}$"]],
    "correlate": _conv_call(False),
    "convolve": _conv_call(True),
    "relu": lambda answer, x: [["ReLU replaces every negative entry by 0: $\\max(0, x)$, element by element."]],
    "maxpool": _pool_call("maxpool"),
    "avgpool": _pool_call("avgpool"),
    "perceptron_output": _perceptron_output,
    "perceptron_update": _perceptron_update,
    "dot": lambda answer, a, b: [[f"${_sum_of_products(np.asarray(a), np.asarray(b))} = {n(answer)}$"]],
}



"""The reference solver: the operations of Lecture 5, in plain NumPy.

Arrays are channels first, as in PyTorch: a volume is C x H x W, conv weights
are K x C/groups x F x F, a bias has K numbers.  The loops walk the windows
exactly as one does by hand; ``tests/`` checks them against an independent
vectorized computation (and against torch when it is installed).

Integer arrays, which every problem worked by hand has, take a faster path:
every window gathered at once and multiplied out in one product.  Integer sums
are exact in any order, so it gives the loops' numbers, which ``tests/`` checks
on random layers; numbers with a fraction always go through the loops, whose
order of summation the keys were made with.

A configuration whose windows do not tile the input (the lecture's 7x7 input,
3x3 filter, stride 3: (7 - 3)/3 + 1 = 2.33) is ``INVALID``: it is never floored.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

INVALID = "invalid"
MAX_OUTPUTS = 10_000   # values one layer may compute: far above any problem worked by hand
MAX_GATHERED = 1 << 20     # numbers the faster path may gather at once; a larger layer goes window by window


def _fit(numerator: int, stride: int) -> int | str:
    """numerator / stride + 1 when it is a whole number >= 1, else INVALID."""
    if stride < 1 or numerator < 0 or numerator % stride:
        return INVALID
    return numerator // stride + 1


def effective_size(f: int, dilation: int = 1) -> int:
    """Size a dilated filter covers: d * (F - 1) + 1."""
    return dilation * (f - 1) + 1


def output_size(w1: int, f: int, stride: int = 1, pad: int = 0, dilation: int = 1) -> int | str:
    """Conv output size W2 = (W1 - F + 2P)/S + 1, with F the effective (dilated) size."""
    return _fit(w1 - effective_size(f, dilation) + 2 * pad, stride)


def output_fraction(w1: int, f: int, stride: int = 1, pad: int = 0, dilation: int = 1) -> Fraction:
    """The same formula without the fit check, as an exact fraction (2.33 for 7, 3, S=3)."""
    return Fraction(w1 - effective_size(f, dilation) + 2 * pad, stride) + 1


def pool_size(w1: int, f: int, stride: int | None = None) -> int | str:
    """Pooling output size W2 = (W1 - F)/S + 1 (stride defaults to F)."""
    return _fit(w1 - f, f if stride is None else stride)


def same_padding(f: int) -> int | str:
    """Padding that keeps the size at stride 1: P = (F - 1)/2 (INVALID for an even F)."""
    return (f - 1) // 2 if f % 2 == 1 and f >= 1 else INVALID


def keras_output_size(w1: int, f: int, stride: int = 1, padding: str = "valid") -> int | str:
    """Keras Conv2D sizes: 'valid' = ceil((W1 - F + 1)/S), 'same' = ceil(W1/S).

    Keras pads 'same' asymmetrically and drops leftover columns in 'valid', so
    every stride fits; only a filter larger than a 'valid' input is INVALID.
    """
    mode = str(padding).lower()
    if w1 < f and mode == "valid":
        return INVALID
    if mode == "same":
        return -(-w1 // stride)
    if mode == "valid":
        return -(-(w1 - f + 1) // stride)
    raise ValueError(f"padding must be 'valid' or 'same', not {padding!r}")


def conv_weight_count(f: int, c: int, k: int, groups: int = 1) -> int:
    """Weights of a conv layer: F * F * (C / groups) * K."""
    return f * f * (c // groups) * k


def conv_param_count(f: int, c: int, k: int, groups: int = 1, bias: bool = True) -> int:
    """All parameters of a conv layer: F * F * (C / groups) * K weights + K biases."""
    return conv_weight_count(f, c, k, groups) + (k if bias else 0)


def fc_param_count(d: int, n: int, bias: bool = True) -> int:
    """A fully connected layer from D inputs to N units: N * D weights + N biases."""
    return n * d + (n if bias else 0)


def pad2d(x: np.ndarray, pad: int) -> np.ndarray:
    """Zero padding of P on every side of each C x H x W map."""
    if not pad:
        return x
    c, h, w = x.shape
    out = np.zeros((c, h + 2 * pad, w + 2 * pad), dtype=x.dtype)
    out[:, pad:pad + h, pad:pad + w] = x
    return out


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, *,
           stride: int = 1, pad: int = 0, dilation: int = 1, groups: int = 1) -> np.ndarray:
    """Cross-correlation as deep-learning libraries compute it.

    x: C x H x W, w: K x C/groups x F x F, b: K.  Output K x H2 x W2 with
    H2 = (H - d(F-1) - 1 + 2P)/S + 1.  out[k, i, j] = b[k] + sum over the filter's
    channels c and offsets (u, v) of w[k, c, u, v] * xp[g*C/groups + c, i*S + u*d, j*S + v*d],
    where g is the group of filter k and xp the padded input.
    """
    c, h, wd = x.shape
    k, cg, fh, fw = w.shape
    if c % groups or k % groups or cg != c // groups:
        raise ValueError(f"weights {w.shape} do not fit an input of depth {c} with groups={groups}")
    h2 = output_size(h, fh, stride, pad, dilation)
    w2 = output_size(wd, fw, stride, pad, dilation)
    if INVALID in (h2, w2):
        raise ValueError("the filter does not tile the input")
    _check_size(k * h2 * w2)
    xp = pad2d(x, pad)
    dtype = np.result_type(x, w, b if b is not None else 0)
    if dtype.kind in "iu" and h2 * w2 * cg * fh * fw <= MAX_GATHERED:
        return _conv_gathered(xp, w, b, h2, w2, stride, dilation, groups, dtype)
    return _conv_by_windows(xp, w, b, h2, w2, stride, dilation, groups, dtype)


def _conv_by_windows(xp: np.ndarray, w: np.ndarray, b: np.ndarray | None, h2: int, w2: int, stride: int,
                     dilation: int, groups: int, dtype: np.dtype) -> np.ndarray:
    """out[f, i, j], window by window, as one works it by hand."""
    k, cg, fh, fw = w.shape
    out = np.zeros((k, h2, w2), dtype=dtype)
    per_group = k // groups
    for f in range(k):
        first = (f // per_group) * cg
        for i in range(h2):
            for j in range(w2):
                window = xp[first:first + cg,
                            i * stride: i * stride + dilation * (fh - 1) + 1: dilation,
                            j * stride: j * stride + dilation * (fw - 1) + 1: dilation]
                out[f, i, j] = np.sum(window * w[f])
        if b is not None:
            out[f] += b[f]
    return out


@lru_cache(maxsize=512)
def _taps(channels: int, height: int, width: int, h2: int, w2: int, fh: int, fw: int, stride: int,
          dilation: int) -> np.ndarray:
    """Where every window's taps lie in a C x H x W volume read as one row of numbers, shaped
    H2*W2 x C x F*F: tap (c, u, v) of window (i, j) is at c*H*W + (i*S + u*d)*W + (j*S + v*d)."""
    channel = np.arange(channels)[None, :, None, None] * (height * width)
    rows = ((np.arange(h2) * stride)[:, None] + np.arange(fh) * dilation) * width          # H2 x F
    cols = (np.arange(w2) * stride)[:, None] + np.arange(fw) * dilation                    # W2 x F
    at = rows[:, None, :, None] + cols[None, :, None, :]                                 # H2 x W2 x F x F
    index = (channel + at.reshape(h2 * w2, 1, fh, fw)).reshape(h2 * w2, channels, fh * fw)
    index.setflags(write=False)          # shared by every call with these sizes
    return index


def _conv_gathered(xp: np.ndarray, w: np.ndarray, b: np.ndarray | None, h2: int, w2: int, stride: int,
                   dilation: int, groups: int, dtype: np.dtype) -> np.ndarray:
    """The same sums for integer arrays: each group's windows as the rows of one matrix, times its
    filters as columns."""
    k, cg, fh, fw = w.shape
    per_group = k // groups
    _, height, width = xp.shape
    index = _taps(cg, height, width, h2, w2, fh, fw, stride, dilation).reshape(h2 * w2, cg * fh * fw)
    out = np.empty((k, h2 * w2), dtype=dtype)
    for g in range(groups):
        windows = xp[g * cg:(g + 1) * cg].reshape(-1)[index]
        filters = w[g * per_group:(g + 1) * per_group].reshape(per_group, cg * fh * fw)
        out[g * per_group:(g + 1) * per_group] = filters.astype(dtype, copy=False) @ windows.T.astype(dtype, copy=False)
    if b is not None:
        out += np.asarray(b)[:, None]
    return out.reshape(k, h2, w2)


def convolve2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, **options: int) -> np.ndarray:
    """The lecture's convolution f*g[x, y] = sum f[n1, n2] g[x - n1, y - n2]: the kernel is flipped."""
    return conv2d(x, w[:, :, ::-1, ::-1], b, **options)


def _check_size(outputs: int) -> None:
    if outputs > MAX_OUTPUTS:
        raise ValueError(f"{outputs} output values: more than {MAX_OUTPUTS}, too large for a problem worked by hand")


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x), element by element."""
    return np.maximum(x, 0)


def _pool(x: np.ndarray, size: int, stride: int, reduce, reduce_rows) -> np.ndarray:
    """`reduce` of each window; `reduce_rows` is the same over the last axis of an array whose rows
    are the windows."""
    c, h, w = x.shape
    h2, w2 = pool_size(h, size, stride), pool_size(w, size, stride)
    if INVALID in (h2, w2):
        raise ValueError("the pooling window does not tile the input")
    _check_size(c * h2 * w2)
    if x.dtype.kind in "iu" and c * h2 * w2 * size * size <= MAX_GATHERED:
        # integer windows all at once: a max, and a sum of integers, come out the same in any order
        windows = x.reshape(-1)[_taps(c, h, w, h2, w2, size, size, stride, 1)]     # H2*W2 x C x F*F
        return np.ascontiguousarray(reduce_rows(windows).T.reshape(c, h2, w2))
    out = np.zeros((c, h2, w2), dtype=float if reduce is np.mean else x.dtype)
    for ch in range(c):
        for i in range(h2):
            for j in range(w2):
                out[ch, i, j] = reduce(x[ch, i * stride:i * stride + size, j * stride:j * stride + size])
    return out


def maxpool2d(x: np.ndarray, *, size: int, stride: int) -> np.ndarray:
    """Max over each size x size window of each map; C x H x W -> C x H2 x W2, H2 = (H - F)/S + 1."""
    return _pool(x, size, stride, np.max, lambda windows: windows.max(axis=2))


def avgpool2d(x: np.ndarray, *, size: int, stride: int) -> np.ndarray:
    """Mean over each size x size window of each map."""
    return _pool(x, size, stride, np.mean, _row_means)


def _row_means(windows: np.ndarray) -> np.ndarray:
    """np.mean(windows, axis=2) as np.mean works it out for integers, a float64 sum divided by the
    count, without its checks (5 us a call, and the named methods pool often)."""
    return windows.sum(axis=2, dtype=np.float64) / windows.shape[2]


def flatten(x: np.ndarray) -> np.ndarray:
    """A C x H x W volume as one vector of C*H*W numbers, channel by channel (PyTorch's order)."""
    return x.reshape(-1)


def fully_connected(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """y = W x + b, with W of N x D rows: N outputs from D inputs."""
    y = np.array([np.sum(row * x) for row in w])
    return y + b if b is not None else y


def perceptron_output(w: np.ndarray, x: np.ndarray, b: float = 0) -> int:
    """Rosenblatt's perceptron: 1 if w . x + b > 0, else 0."""
    return int(float(np.dot(w, x)) + b > 0)


def perceptron_update(w: np.ndarray, x: np.ndarray, d: int, alpha: float, b: float = 0) -> np.ndarray:
    """One step of the perceptron rule: w(t+1) = w(t) + alpha (d - y) x, y the current output."""
    y = perceptron_output(w, x, b)
    return np.asarray(w) + alpha * (d - y) * np.asarray(x)


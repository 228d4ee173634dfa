"""Properties of the solver on random configurations, against independent computations."""
import importlib.util

import numpy as np
import pytest

from grader import solver
from grader.solver import INVALID


def vectorized_conv(x, w, b, stride, pad, dilation, groups):
    """An independent conv: im2col through sliding_window_view and one einsum per group."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    k, cg, f, _ = w.shape
    span = dilation * (f - 1) + 1
    windows = np.lib.stride_tricks.sliding_window_view(xp, (span, span), axis=(1, 2))
    windows = windows[:, ::stride, ::stride, ::dilation, ::dilation]      # C, H2, W2, F, F
    per = k // groups
    out = np.concatenate([
        np.einsum("chwuv,kcuv->khw", windows[g * cg:(g + 1) * cg], w[g * per:(g + 1) * per])
        for g in range(groups)])
    return out + (b[:, None, None] if b is not None else 0)


def random_configs(count, seed=7):
    rng = np.random.default_rng(seed)
    made = 0
    while made < count:
        groups = int(rng.choice([1, 1, 2]))
        c = groups * int(rng.integers(1, 3))
        k = groups * int(rng.integers(1, 3))
        f = int(rng.integers(1, 4))
        stride, pad, dilation = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        h = int(rng.integers(3, 10))
        if solver.output_size(h, f, stride, pad, dilation) == INVALID:
            continue
        made += 1
        x = rng.integers(-3, 4, size=(c, h, h))
        w = rng.integers(-2, 3, size=(k, c // groups, f, f))
        b = rng.integers(-2, 3, size=k) if rng.random() < 0.5 else None
        yield x, w, b, dict(stride=stride, pad=pad, dilation=dilation, groups=groups)


@pytest.mark.parametrize("x, w, b, options", list(random_configs(60)))
def test_explicit_windows_equal_vectorized_conv(x, w, b, options):
    expected = vectorized_conv(x, w, b, **options)
    got = solver.conv2d(x, w, b, **options)
    assert got.shape == expected.shape
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("x, w, b, options", list(random_configs(60, seed=11)))
def test_formula_size_equals_actual_output_size(x, w, b, options):
    out = solver.conv2d(x, w, b, **options)
    h2 = solver.output_size(x.shape[1], w.shape[2], options["stride"], options["pad"], options["dilation"])
    assert out.shape == (w.shape[0], h2, h2)


def test_every_fitting_configuration_is_counted_by_the_formula():
    # the formula says a size fits exactly when the windows tile the padded input
    for w1 in range(1, 20):
        for f in range(1, 6):
            for s in range(1, 5):
                for p in range(0, 3):
                    size = solver.output_size(w1, f, s, p)
                    starts = range(0, w1 + 2 * p - f + 1, s)
                    tiles = w1 + 2 * p >= f and (w1 + 2 * p - f) % s == 0
                    assert size == (len(starts) if tiles else INVALID)


def test_pooling_agrees_with_reshape_max():
    rng = np.random.default_rng(3)
    x = rng.integers(-9, 10, size=(3, 6, 8))
    expected = x.reshape(3, 3, 2, 4, 2).max(axis=(2, 4))
    assert np.array_equal(solver.maxpool2d(x, size=2, stride=2), expected)
    assert np.allclose(solver.avgpool2d(x, size=2, stride=2), x.reshape(3, 3, 2, 4, 2).mean(axis=(2, 4)))


torch_missing = importlib.util.find_spec("torch") is None


@pytest.mark.skipif(torch_missing, reason="torch is not installed (optional cross-check)")
@pytest.mark.parametrize("x, w, b, options", list(random_configs(40, seed=5)))
def test_conv_agrees_with_torch(x, w, b, options):
    import torch
    import torch.nn.functional as F

    expected = F.conv2d(torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64),
                        None if b is None else torch.tensor(b, dtype=torch.float64),
                        stride=options["stride"], padding=options["pad"], dilation=options["dilation"],
                        groups=options["groups"])[0].numpy()
    assert np.allclose(solver.conv2d(x, w, b, **options), expected)


@pytest.mark.skipif(torch_missing, reason="torch is not installed (optional cross-check)")
def test_true_convolution_agrees_with_torch_on_the_flipped_kernel():
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(9)
    x, w = rng.integers(-3, 4, size=(1, 5, 5)), rng.integers(-2, 3, size=(1, 1, 3, 3))
    flipped = torch.flip(torch.tensor(w, dtype=torch.float64), dims=(2, 3))
    expected = F.conv2d(torch.tensor(x[None], dtype=torch.float64), flipped)[0].numpy()
    assert np.allclose(solver.convolve2d(x, w), expected)


@pytest.mark.skipif(torch_missing, reason="torch is not installed (optional cross-check)")
def test_pooling_agrees_with_torch():
    import torch
    import torch.nn.functional as F

    x = np.random.default_rng(1).integers(-9, 10, size=(2, 7, 7))
    t = torch.tensor(x[None], dtype=torch.float64)
    assert np.allclose(solver.maxpool2d(x, size=3, stride=2), F.max_pool2d(t, 3, 2)[0].numpy())
    assert np.allclose(solver.avgpool2d(x, size=3, stride=2), F.avg_pool2d(t, 3, 2)[0].numpy())



def test_comparing_one_number_agrees_with_the_array_rule():
    # the scalar shortcut in grader.score against the array comparison it replaces, on numbers around
    # integers, tiny and large tolerances, signs and the tolerance's own edge
    import random

    from grader.score import _close, _close_number
    rnd = random.Random(11)
    cases = 0
    for _ in range(20_000):
        expected = rnd.choice([rnd.randint(-50, 50), rnd.uniform(-100, 100), rnd.choice([0.5, -2.25, 1e-9, 3e12])])
        tolerance = rnd.choice([1e-6, 1e-3, 0.01, 0.5, 0.0])
        given = rnd.choice([expected, expected + 1, expected * (1 + tolerance), expected * (1 + 2 * tolerance),
                            expected + tolerance * 1e-3, float(round(expected)), -expected, expected + 1e-12])
        array = bool(_close(np.asarray(float(expected)), np.asarray(float(given)), tolerance))
        assert _close_number(float(expected), float(given), tolerance) is array, (expected, given, tolerance)
        cases += array
    assert 1000 < cases < 19_000            # both outcomes were tried

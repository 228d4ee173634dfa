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


def by_windows(x, w, b, stride, pad, dilation, groups):
    """The solver's window-by-window loops, which numbers with a fraction always take."""
    h2 = solver.output_size(x.shape[1], w.shape[2], stride, pad, dilation)
    w2 = solver.output_size(x.shape[2], w.shape[3], stride, pad, dilation)
    dtype = np.result_type(x, w, b if b is not None else 0)
    return solver._conv_by_windows(solver.pad2d(x, pad), w, b, h2, w2, stride, dilation, groups, dtype)


@pytest.mark.parametrize("x, w, b, options", list(random_configs(200, seed=23)))
def test_integer_layers_take_a_faster_path_to_the_same_numbers(x, w, b, options):
    got = solver.conv2d(x, w, b, **options)
    expected = by_windows(x, w, b, **options)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)


def test_the_faster_path_keeps_the_types_of_its_inputs():
    x = np.arange(16, dtype=np.int32).reshape(1, 4, 4)
    w = np.ones((1, 1, 2, 2), dtype=np.int8)
    assert solver.conv2d(x, w).dtype == np.int32 and solver.conv2d(x, w)[0, 0, 0] == 0 + 1 + 4 + 5
    wide = solver.conv2d(x, w, np.array([2**40]))
    assert wide.dtype == np.int64 and wide[0, 0, 0] == 10 + 2**40
    halves = solver.conv2d(x, w * 0.5)                    # a fraction: window by window
    assert halves.dtype == np.float64 and halves[0, 0, 0] == 5.0


def test_a_layer_too_large_to_gather_goes_window_by_window(monkeypatch):
    x, w = np.arange(50).reshape(2, 5, 5), np.ones((1, 2, 3, 3), dtype=int)
    monkeypatch.setattr(solver, "MAX_GATHERED", 2 * 3 * 3 * 9 - 1)
    called = []
    original = solver._conv_by_windows
    monkeypatch.setattr(solver, "_conv_by_windows", lambda *a: called.append(1) or original(*a))
    out = solver.conv2d(x, w)
    assert called and out[0, 0, 0] == sum(x[c, u, v] for c in range(2) for u in range(3) for v in range(3))


def pool_by_windows(x, size, stride, reduce):
    c, h, w = x.shape
    h2, w2 = (h - size) // stride + 1, (w - size) // stride + 1
    return np.array([[[reduce(x[ch, i * stride:i * stride + size, j * stride:j * stride + size])
                       for j in range(w2)] for i in range(h2)] for ch in range(c)])


def test_integer_pooling_takes_a_faster_path_to_the_same_numbers():
    rng = np.random.default_rng(17)
    checked = 0
    while checked < 150:
        c, h, w = (int(n) for n in rng.integers(1, 9, size=3))
        size, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        if solver.INVALID in (solver.pool_size(h, size, stride), solver.pool_size(w, size, stride)):
            continue
        checked += 1
        x = rng.integers(-9, 10, size=(c, h, w))
        for pool, reduce in ((solver.maxpool2d, np.max), (solver.avgpool2d, np.mean)):
            got, expected = pool(x, size=size, stride=stride), pool_by_windows(x, size, stride, reduce)
            assert got.dtype == expected.dtype and np.array_equal(got, expected)


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


def test_rounding_a_score_agrees_with_round_to_six_places():
    # grader.score.rounded skips round() for whole floats: the same value, type and sign as
    # round(x, 6) gives, on whole and fractional scores, ints, -0.0, tiny and huge numbers
    import math
    import random

    from grader.score import rounded
    rnd = random.Random(12)
    values = [0.0, -0.0, 1.0, 3, -2, 2.5, 1e-7, 0.1 + 0.2, 1 / 3, 2.0000004, 2.0000005, 1e300, -1e22, 2.0 ** 60,
              math.inf, -math.inf]
    values += [rnd.choice([rnd.randint(0, 40) * rnd.choice([1, 0.5, 0.25, 1 / 3]), rnd.uniform(-10, 10),
                           float(rnd.randint(-10**6, 10**6))]) for _ in range(20_000)]
    whole = 0
    for x in values:
        expected = round(x, 6)
        got = rounded(x)
        assert type(got) is type(expected) and got == expected and math.copysign(1, got) == math.copysign(1, expected), x
        whole += isinstance(x, float) and x.is_integer()
    assert 1000 < whole < len(values) - 1000        # both paths were taken
    assert math.isnan(rounded(math.nan))

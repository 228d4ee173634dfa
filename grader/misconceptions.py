"""Named wrong methods: what a student gets by a typical mistake, and the right reasoning.

Each method is a small function of the part's situation that returns a
``Candidate`` (the wrong answer it produces, its name, and an explanation with
the problem's own numbers) or None where it does not apply.  A wrong answer that
equals a candidate's is named in the feedback.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from grader import solver
from grader.answers import aligned, equal_aligned
from grader.context import Situation
from grader.solver import INVALID


NAMES = {
    # output sizes
    "forgot-plus-one": "forgot the +1",
    "ignored-padding": "ignored the padding",
    "padding-once": "added P instead of 2P",
    "ignored-stride": "ignored the stride",
    "forgot-dilation": "used F instead of the dilated size",
    "rounded-invalid": "rounded a configuration that does not fit",
    "gave-the-fraction": "gave a fraction of a position for a configuration that does not fit",
    "depth-is-input-depth": "kept the input depth instead of K",
    "pool-padding": "used the conv formula with padding for pooling",
    "pool-changed-depth": "changed the depth in pooling",
    "channels-first": "wrote the depth first (C×H×W, as PyTorch prints shapes) instead of W×H×C",
    # parameter counts
    "forgot-biases": "forgot the biases",
    "one-bias-per-layer": "one bias for the whole layer",
    "bias-per-weight": "one bias per weight",
    "forgot-input-depth": "forgot the input depth (H·W instead of H·W·C)",
    "one-filter-only": "counted one filter only",
    "ignored-groups": "ignored the groups",
    "counted-biases": "counted the biases as weights",
    "counted-outputs": "counted the output's values instead of the parameters",
    "no-weight-sharing": "counted a filter once per output position (no weight sharing)",
    "bias-per-input": "one bias per input instead of per unit",
    "counted-params-of-a-fixed-layer": "counted parameters of a layer that learns none",
    "only-conv-layers": "counted only the conv layers",
    "only-fc-layers": "counted only the fully connected layers",
    "transposed": "transposed W",
    "gave-input-length": "gave the input length, not the units",
    # forward passes
    "flipped-kernel": "flipped the kernel (true convolution instead of cross-correlation)",
    "did-not-flip": "did not flip the kernel (cross-correlation instead of convolution)",
    "flipped-one-axis": "flipped only the rows or only the columns",
    "transposed-kernel": "used the transposed filter",
    "forgot-bias": "forgot the bias",
    "one-channel-only": "convolved one input channel only",
    "forgot-relu": "copied the input unchanged through ReLU",
    "relu-abs": "took absolute values instead of ReLU",
    "relu-min": "kept the negatives instead of the positives",
    "average-instead-of-max": "average instead of max pooling",
    "max-instead-of-average": "max instead of average pooling",
    "min-instead-of-max": "took the smallest value instead of the largest",
    "pool-stride-1": "slid the pooling window by 1",
    "pooled-before-relu": "pooled the conv output, skipping ReLU",
    "channels-last": "nested the volume row, column, then map (H×W×C) instead of one matrix per map",
    "transposed-output": "wrote the output column by column (transposed)",
    # single formulas
    "padding-f-minus-one": "P = F − 1 instead of (F − 1)/2",
    "padding-f": "P = F instead of (F − 1)/2",
    "padding-half-f": "P = F/2 instead of (F − 1)/2",
    "same-ignored-stride": "ignored the stride with padding='same'",
    "floor-instead-of-ceil": "rounded down instead of up",
    "valid-formula-for-same": "used the 'valid' formula for 'same'",
    "valid-ignored-stride": "ignored the stride with padding='valid'",
    "same-formula-for-valid": "used the 'same' formula for 'valid'",
    "lecture-rule-in-keras": "applied the lecture's 'does not fit' rule to Keras",
    "dilation-times-f": "d·F instead of d(F − 1) + 1",
    "dilation-forgot-plus-one": "d(F − 1) without the +1",
    "dilation-added": "F + d instead of d(F − 1) + 1",
    "threshold-geq": "used ≥ 0 instead of > 0",
    "gave-the-sum": "gave w·x + b instead of the output",
    "sign-flipped": "subtracted the update instead of adding it",
    "forgot-alpha": "forgot the learning rate",
    "used-d-not-error": "used d instead of the error d − y",
    "no-update": "did not update the weights",
}


@dataclass(frozen=True)
class Candidate:
    id: str
    wrong: Any                    # the answer this method gives, or a predicate on the given answer
    why: str                      # the right reasoning, with the numbers of the problem

    @property
    def name(self) -> str:
        return NAMES[self.id]

    def matches(self, given: Any) -> bool:
        return self._matches(given, _along_first(given) if type(given) is list else None)

    def _matches(self, given: Any, along: tuple[tuple[int, ...], Any] | None) -> bool:
        """matches(), with `along` the given list's _along_first() (None for no list, or an empty one)."""
        if callable(self.wrong):
            return bool(self.wrong(given))
        if type(given) is list:
            if along is not None and _told_apart(self.wrong, along):
                return False
            if (whole := self.whole) is not None:
                return equal_aligned(whole, given)
        return same(self.wrong, given)

    @property
    def whole(self) -> list | None:
        """The answer as nested lists when it is an array of whole numbers, which same() compares
        exactly: then a given list matches it when the two are equal as lists (once the leading 1s
        that aligned() drops are dropped), without arrays. Worked out once: the candidates of a
        question several students drew are kept, and a wrong matrix is checked against each.
        (Kept by hand: functools.cached_property takes a lock on every read in Python 3.11.)"""
        kept = self.__dict__
        if "_whole" not in kept:
            kept["_whole"] = self._whole()
        return kept["_whole"]

    def _whole(self) -> list | None:
        wrong = self.wrong
        if isinstance(wrong, np.ndarray) and wrong.dtype.kind in "iu":      # a layer rerun on integers
            return wrong.tolist() if wrong.ndim and wrong.size else None
        if isinstance(wrong, str) or np.ndim(wrong) == 0:
            return None
        try:
            x = np.asarray(self.wrong, dtype=float)
        except (ValueError, TypeError):
            return None
        if x.size == 0 or not np.isfinite(x).all() or not (np.mod(x, 1) == 0).all():
            return None
        return x.tolist()


RELATIVE = 1e-2      # how near a fraction must be to a method's to be recognized as it: 2.33 for 7/3


def same(a: Any, b: Any, rel: float = RELATIVE) -> bool:
    """Equality for recognizing a method, cell by cell: integers exactly; a fraction such as
    7/3 to 1%, since a student writes 2.33."""
    if a is None or b is None:
        return False
    if isinstance(a, str) or isinstance(b, str):     # 'invalid': a word is no array (== would compare cells)
        return isinstance(a, str) and isinstance(b, str) and a == b
    if _plain(a) and _plain(b):        # two numbers: the same test as below, without arrays
        x, y = float(a), float(b)
        return x == y if x % 1 == 0 else abs(x - y) <= 1e-9 + rel * abs(y)
    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (ValueError, TypeError):
        return False
    x, y = aligned(x, y)
    if x.shape != y.shape:
        return False
    with np.errstate(invalid="ignore"):
        whole = np.equal(np.mod(x, 1), 0)
    return bool(np.where(whole, x == y, np.isclose(x, y, rtol=rel, atol=1e-9)).all())


def first_match(methods: list[Candidate], given: Any) -> Candidate | None:
    """The first of the methods whose answer the given one is (Candidate.matches). A given list's
    lengths and first entry, which tell it apart from most methods' answers, are read once for all."""
    along = _along_first(given) if type(given) is list else None
    for c in methods:
        if c._matches(given, along):
            return c
    return None


def _told_apart(wrong: Any, along: tuple[tuple[int, ...], Any]) -> bool:
    """Whether a method's answer (an array or a list) and a list answer, given by its lengths along
    its first entries and that entry (_along_first), are told apart, as matches()
    would tell them, by their shapes and first entries alone: aligned() drops leading 1s, which
    keeps the first entry first, so a list of another shape (read along its first entries: a ragged
    list matches nothing anyway) or another first entry is not the method's answer. Most wrong
    answers are told apart from most methods' so, without arrays (a class checks some 50,000).
    False where it cannot tell: a first entry that is not a plain finite number, an integer too
    large for a float, or the same shape and first entry (the rest may differ)."""
    if type(wrong) is np.ndarray:
        if not wrong.size:
            return False
        theirs, x = wrong.shape, wrong.flat[0].item()
    elif type(wrong) is list:
        if (first := _along_first(wrong)) is None:
            return False
        theirs, x = first
    else:
        return False
    shape, y = along
    while len(shape) > len(theirs) and shape[0] == 1:
        shape = shape[1:]
    while len(theirs) > len(shape) and theirs[0] == 1:
        theirs = theirs[1:]
    if shape != theirs:
        return True
    if not (_comparable(x) and _comparable(y)):     # a word, NaN, a large integer: the whole comparison decides
        return False
    if x % 1 == 0:                       # same() and equal_aligned() compare whole entries exactly
        return x != y
    return not abs(x - y) <= 1e-9 + RELATIVE * abs(y)      # same()'s tolerance for a fraction


def _comparable(value: Any) -> bool:
    """A plain number that compares as a float does: finite, and whole numbers below it exact."""
    return type(value) in (int, float) and -2 ** 53 < value < 2 ** 53


def _along_first(value: list) -> tuple[tuple[int, ...], Any] | None:
    """A nested list's lengths along its first entries, and its first entry (None at an empty list)."""
    shape = []
    while type(value) is list:
        if not value:
            return None
        shape.append(len(value))
        value = value[0]
    return tuple(shape), value


def _plain(x: Any) -> bool:
    return type(x) in (int, float, np.int64, np.float64) and math.isfinite(x)


Method = Callable[[Situation], "Candidate | list[Candidate] | None"]
REGISTRY: dict[str, list[Method]] = {}


def method(*situations: str) -> Callable[[Method], Method]:
    def register(fn: Method) -> Method:
        for s in situations:
            REGISTRY.setdefault(s, []).append(fn)
        return fn
    return register


def candidates(s: Situation) -> list[Candidate]:
    key = s.query if s.layer_kind is None else f"{s.query}:{s.layer_kind}"
    out: list[Candidate] = []
    for fn in REGISTRY.get(key, []):
        try:
            found = fn(s)
        except (ArithmeticError, ValueError, TypeError, IndexError, KeyError):
            continue   # a method that does not apply to these numbers names nothing
        out.extend(c for c in (found if isinstance(found, list) else [found]) if c is not None)
    return out


# -- output sizes -------------------------------------------------------------------------------

def _size_numbers(s: Situation) -> tuple[int, int, int, int, int] | None:
    if s.layer_kind is None:                               # out_size(w1, f, s=1, p=0, d=1)
        args = list(s.numbers["args"])
        w1, f, st, p, d = (args + [1, 0, 1][len(args) - 2:])[:5]
    else:
        n = s.numbers
        w1, f, st, p, d = n.get("w1"), n.get("f"), n.get("s"), n.get("p", 0), n.get("d", 1)
    if INVALID in (w1,) or w1 is None:
        return None
    return int(w1), int(f), int(st), int(p), int(d)


def _fraction(num: int, den: int) -> float:
    return num / den


def _conv_size_methods(s: Situation, depth: int | None = None) -> list[Candidate]:
    """The named methods of a conv layer's output size; those of a size that does not fit judge a
    shape of that depth when `depth` is given (the others give the size alone)."""
    nums = _size_numbers(s)
    if nums is None:
        return []
    w1, f, st, p, d = nums
    fe = solver.effective_size(f, d)
    fits = (w1 - fe + 2 * p) % st == 0 and w1 - fe + 2 * p >= 0
    right = f"$W_2 = (W_1 - F + 2P)/S + 1 = ({w1} - {fe} + 2 \\cdot {p})/{st} + 1"
    right += f" = {(w1 - fe + 2 * p) // st + 1}$" if fits else "$, which is not a whole number: **invalid**"
    out = [
        Candidate("forgot-plus-one", _fraction(w1 - fe + 2 * p, st),
                  f"(W1 − F + 2P)/S counts the steps, not the positions; the first position counts too: {right}."),
        Candidate("ignored-padding", _fraction(w1 - fe, st) + 1,
                  f"zero padding adds P = {p} on both sides: {right}.") if p else None,
        Candidate("padding-once", _fraction(w1 - fe + p, st) + 1,
                  f"padding is added on both sides, so 2P: {right}.") if p else None,
        Candidate("ignored-stride", w1 - fe + 2 * p + 1,
                  f"with stride S = {st} the filter jumps {st} positions at a time: {right}.") if st > 1 else None,
        Candidate("forgot-dilation", _fraction(w1 - f + 2 * p, st) + 1,
                  f"a dilated filter covers d(F − 1) + 1 = {fe}: {right}.") if d > 1 else None,
    ]
    if not fits and w1 - fe + 2 * p >= 0:
        out.extend(_does_not_fit(Fraction(w1 - fe + 2 * p, st) + 1, right, depth))
    return [c for c in out if c is not None]


def _does_not_fit(size: Fraction, right: str, depth: int | None = None) -> list[Candidate]:
    """How a size that does not fit (`size`, not whole) is given by a student who did not notice:
    rounded down or up, or as the fraction itself (to a decimal or two); with `depth`, as a shape of
    that size on both sides and that depth."""
    whole = (math.floor(size), math.ceil(size))

    def side(given: Any) -> float | None:
        if depth is not None:
            if type(given) is not list or len(given) != 3 or given[0] != given[1] or given[2] != depth:
                return None
            given = given[0]
        return given if type(given) in (int, float) and math.isfinite(given) else None

    def rounded(given: Any) -> bool:
        return side(given) in whole

    def fraction(given: Any) -> bool:
        w = side(given)
        return w is not None and w not in whole and abs(w - size) < 0.051

    return [Candidate("rounded-invalid", rounded,
                      f"{right}. The windows do not tile the input, so the layer cannot be applied as given "
                      "(libraries silently drop the last columns; the lecture calls it invalid)."),
            Candidate("gave-the-fraction", fraction,
                      f"{right}. A window stands at whole positions only: {float(size):.4g} positions "
                      "means the windows do not tile the input, and the layer cannot be applied as given.")]


@method("size:conv", "out_size")
def conv_size(s: Situation) -> list[Candidate]:
    return _conv_size_methods(s)


@method("shape:conv")
def conv_shape(s: Situation) -> list[Candidate]:
    n = s.numbers
    if INVALID in (n["w1"], n["h1"]):
        return []
    found = []
    if n["h1"] == n["w1"]:          # a size method gives the shape of a square input
        for c in _conv_size_methods(s, depth=n["k"]):
            found.append(c if callable(c.wrong) else Candidate(c.id, [c.wrong, c.wrong, n["k"]], c.why))
    right = s.results[s.index].shape
    if INVALID not in right and n["c"] != n["k"]:
        found.append(Candidate("depth-is-input-depth", [right[2], right[1], n["c"]],
                               f"each of the K = {n['k']} filters makes one map, so the depth is K = {n['k']}, "
                               f"not the input's C = {n['c']}."))
    return found


@method("size:maxpool", "size:avgpool", "shape:maxpool", "shape:avgpool", "pool_size")
def pool_size(s: Situation) -> list[Candidate]:
    if s.layer_kind is None:
        args = s.numbers["args"]
        w1, f, st = args[0], args[1], args[2] if len(args) > 2 and args[2] is not None else args[1]
        c = None
    else:
        w1, f, st, c = s.numbers["w1"], s.numbers["f"], s.numbers["s"], s.numbers["c"]
    if w1 == INVALID:
        return []
    fits = (w1 - f) % st == 0
    right = f"$W_2 = (W_1 - F)/S + 1 = ({w1} - {f})/{st} + 1" + (
        f" = {(w1 - f) // st + 1}$" if fits else "$, which is not a whole number: **invalid**")

    def shaped(w2: Any) -> Any:
        return [w2, w2, c] if s.query == "shape" else w2

    out = [Candidate("forgot-plus-one", shaped((w1 - f) / st), f"count the first position too: {right}."),
           Candidate("ignored-stride", shaped(w1 - f + 1),
                     f"the window jumps S = {st} positions at a time: {right}.") if st > 1 else None,
           Candidate("pool-padding", shaped((w1 - f + 2) / st + 1),
                     f"pooling has no padding here: {right}.")]
    if not fits and w1 >= f:
        out.extend(_does_not_fit(Fraction(w1 - f, st) + 1, right, depth=c if s.query == "shape" else None))
    if s.query == "shape" and c is not None and fits:
        w2 = (w1 - f) // st + 1
        out.append(Candidate("pool-changed-depth", lambda g: isinstance(g, list) and len(g) == 3 and g[:2] == [w2, w2] and g[2] != c,
                             f"pooling works on each map alone, so the depth stays C = {c}: {right}."))
    return [x for x in out if x is not None]


@method("shape:conv", "shape:maxpool", "shape:avgpool", "shape:relu")
def channels_first(s: Situation) -> list[Candidate]:
    """A volume's shape in the order PyTorch prints a tensor's, (C, H, W), for the lecture's W×H×C:
    every number right, the depth in the wrong place. After a layer's own methods, which name a
    wrong number first."""
    shape = s.results[s.index].shape             # channels first, as hw computes
    if not isinstance(shape, tuple) or len(shape) != 3 or INVALID in shape:
        return []
    c, h, w = shape
    if c == w:                                      # the same answer in both orders
        return []
    return [Candidate("channels-first", [c, h, w],
                      f"the lecture writes a volume W×H×C, the width and the height first and the depth "
                      f"last: {w}×{h}×{c}, submitted as [{w}, {h}, {c}]; [{c}, {h}, {w}] is the order in "
                      "which PyTorch prints a tensor's shape (C, H, W).")]


# -- parameter counts ---------------------------------------------------------------------------

def _conv_counts(s: Situation) -> tuple[int, int, int, int] | None:
    if s.layer_kind is None:                               # conv_params(f, c, k, g=1)
        args = list(s.numbers["args"]) + [1]
        return int(args[0]), int(args[1]), int(args[2]), int(args[3])
    n = s.numbers
    return n["f"], n["c"], n["k"], n.get("g", 1)


@method("params:conv", "weights:conv", "biases:conv", "conv_params", "conv_weights")
def conv_counts(s: Situation) -> list[Candidate]:
    f, c, k, g = _conv_counts(s)
    weights = f * f * (c // g) * k
    depth = f"C/g = {c}/{g}" if g > 1 else f"C = {c}"
    formula = (f"each of the K = {k} filters is {f}×{f}×{c // g} ({depth}): {f}·{f}·{c // g}·{k} = {weights} weights"
               f", plus one bias per filter, K = {k}")
    query = "params" if s.query == "conv_params" else "weights" if s.query == "conv_weights" else s.query
    if query == "biases":
        return [Candidate("forgot-biases", 0, f"every filter has one bias: K = {k}."),
                Candidate("one-bias-per-layer", 1, f"every filter has its own bias: K = {k}."),
                Candidate("bias-per-weight", weights, f"one bias per filter, not per weight: K = {k}.")]
    total = weights + (k if query == "params" else 0)
    extra = k if query == "params" else 0
    out = [Candidate("forgot-input-depth", f * f * k + extra,
                     f"a filter spans the whole input depth; {formula}.") if c // g > 1 else None,
           Candidate("one-filter-only", f * f * (c // g) + (1 if query == "params" else 0),
                     f"the layer has K = {k} filters; {formula}.") if k > 1 else None,
           Candidate("ignored-groups", f * f * c * k + extra,
                     f"with groups = {g} each filter sees only {c // g} channels; {formula}.") if g > 1 else None]
    if query == "params":
        out.append(Candidate("forgot-biases", weights, f"{formula}: {total}."))
    else:
        out.append(Candidate("counted-biases", weights + k,
                             f"the weights alone are {f}·{f}·{c // g}·{k} = {weights}; the {k} biases are not weights."))
    out.extend(_per_position(s, f * f * (c // g) + (1 if query == "params" else 0),
                             f"{formula}: {total}" if query == "params"
                             else f"the weights are {f}·{f}·{c // g}·{k} = {weights}"))
    return [x for x in out if x is not None and not same(x.wrong, total)]


def _per_position(s: Situation, per_filter: int, formula: str) -> list[Candidate]:
    """A conv layer's parameters counted per output position: its output's size, or a filter's
    parameters (`per_filter`) for every output value, as if each position had filters of its own."""
    shape = s.results[s.index].shape if s.layer_kind == "conv" else None
    if shape is None or INVALID in shape or shape[1] * shape[2] == 1:
        return []
    k, h2, w2 = shape
    outputs = k * h2 * w2
    return [Candidate("counted-outputs", outputs,
                      f"{w2}×{h2}×{k} = {outputs} is how many numbers the layer outputs, not what it learns; "
                      f"{formula}."),
            Candidate("no-weight-sharing", per_filter * outputs,
                      f"a filter's weights are shared by every position it slides to (parameter sharing), "
                      f"so they are counted once, not for each of the {w2}×{h2} positions; {formula}.")]


@method("params:fc", "weights:fc", "fc_params")
def fc_counts(s: Situation) -> list[Candidate]:
    if s.layer_kind is None:
        d, n = s.numbers["args"][:2]
        query = "params"
    else:
        d, n, query = s.numbers["d"], s.numbers["n"], s.query
    if d == INVALID:
        return []
    right = f"W is {n}×{d} (one row per unit): {n}·{d} = {n * d} weights" + (f", plus {n} biases" if query == "params" else "")
    out = [Candidate("forgot-biases", n * d, f"{right}.") if query == "params" else
           Candidate("counted-biases", n * d + n, f"{right}.")]
    prev = s.numbers.get("prev_shape")
    if prev is not None and len(prev) == 3 and INVALID not in prev:
        c, h, w = prev
        out.append(Candidate("forgot-input-depth", n * h * w + (n if query == "params" else 0),
                             f"the flattened input has W·H·C = {w}·{h}·{c} = {d} numbers; {right}."))
    out.append(Candidate("bias-per-input", n * d + d,
                         f"one bias per unit (output), not per input; {right}.") if query == "params" else None)
    return [x for x in out if x is not None]


@method("params:maxpool", "params:avgpool", "params:relu", "params:flatten")
def no_params(s: Situation) -> Candidate:
    return Candidate("counted-params-of-a-fixed-layer", lambda g: isinstance(g, (int, float)) and g != 0,
                     f"{s.layer_kind} computes a fixed function ({'max or mean of a window' if 'pool' in s.layer_kind else 'no weights'}): "
                     "it has 0 learnable parameters.")


@method("params:all", "weights:all")
def total_params(s: Situation) -> list[Candidate]:
    layers = [r for r in s.results[1:] if r.kind in ("conv", "fc")]
    if any(INVALID in (r.weights, r.biases) for r in layers):
        return []
    weights = sum(r.weights for r in layers)
    biases = sum(r.biases for r in layers)
    out = []
    if s.query == "params" and biases:
        out.append(Candidate("forgot-biases", weights,
                             f"every conv filter and every fc unit has a bias: {weights} weights + {biases} biases."))
    convs = [r for r in layers if r.kind == "conv"]
    if convs:
        no_depth = sum((r.weight_shape[2] * r.weight_shape[3] * r.weight_shape[0] if r.kind == "conv" else r.weights)
                       + (r.biases if s.query == "params" else 0) for r in layers)
        out.append(Candidate("forgot-input-depth", no_depth,
                             "each conv filter spans the whole depth of its input: F·F·C·K weights per layer."))
    fcs = [r for r in layers if r.kind == "fc"]
    if convs and fcs:
        out.append(Candidate("only-conv-layers", sum(r.weights + (r.biases if s.query == "params" else 0) for r in convs),
                             "the fully connected layers have parameters too (usually most of them)."))
        out.append(Candidate("only-fc-layers", sum(r.weights + (r.biases if s.query == "params" else 0) for r in fcs),
                             "the conv layers have parameters too: F·F·C·K weights"
                             + (" and K biases" if s.query == "params" else "") + " each."))
    return out


@method("weight_shape:fc")
def fc_weight_shape(s: Situation) -> Candidate:
    d, n = s.numbers["d"], s.numbers["n"]
    return Candidate("transposed", [d, n],
                     f"y = Wx maps {d} inputs to {n} outputs, so W has one row per output: {n}×{d}.")


@method("shape:flatten", "shape:fc")
def flat_length(s: Situation) -> list[Candidate]:
    prev = s.numbers["prev_shape"]
    if len(prev) != 3 or INVALID in prev:
        return []
    c, h, w = prev
    if s.layer_kind == "flatten":
        return [Candidate("forgot-input-depth", [h * w],
                          f"every one of the {c} maps is stretched out: W·H·C = {w}·{h}·{c} = {w * h * c}.")]
    return [Candidate("gave-input-length", [c * h * w],
                      f"a fully connected layer outputs one number per unit: [{s.numbers['n']}].")]


from grader import misconceptions_values  # noqa: E402,F401  (registers the value and formula methods)


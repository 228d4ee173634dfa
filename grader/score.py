"""Scoring one question: exact integers, tolerances, shapes, matrices with partial credit,
error carried forward, and the named misconceptions."""
from __future__ import annotations

from dataclasses import replace
from itertools import compress, count
from operator import eq, ne
from typing import Any, Callable

import numpy as np

from grader.answers import aligned, encode, equal_aligned, lecture_shape, whole_list
from grader.context import Situation, as_volume, rebuild, situation
from grader.misconceptions import candidates, first_match
from grader.network import Layer, run
from grader.solver import INVALID
from grader.worked import entry_text, operation, size_text, steps_text
from problems import jsontext


def rounded(score: float) -> float:
    """round(score, 6), as results.json keeps scores. A whole number is its own: Python rounds a
    float to a number of digits through its decimal text, some 30 times the cost of the check, and a
    class has 300,000 scores to round, most of them whole."""
    return score if type(score) is float and score.is_integer() else round(score, 6)


def part_result(score: float, points: float, expected: Any, given: Any, feedback: str, tags: list[str]
                ) -> dict[str, Any]:
    """A scored part as results.json records it (made straight as that dict: a class has some 200,000)."""
    return {"score": rounded(score), "max": points, "expected": expected, "given": given, "feedback": feedback,
            "tags": tags}


def _dims(a: np.ndarray) -> str:
    if a.size == 0 and a.ndim > 0:        # [] or [[]]: no entries, whatever its nesting
        return "an empty list"
    if a.ndim == 0:
        return "a number"
    if a.ndim == 1:
        return f"a vector of {a.shape[0]}"
    if a.ndim == 2:
        return f"a {a.shape[0]}×{a.shape[1]} matrix"
    return f"{a.shape[0]} {'map' if a.shape[0] == 1 else 'maps'} of {a.shape[1]}×{a.shape[2]}"


def _count(n: int) -> str:
    return "1 number" if n == 1 else f"{n} numbers"


def _rounding(decimals: int | None) -> float:
    """How far an answer rounded to `decimals` places may be from the exact one (none: 0)."""
    return 0.0 if decimals is None else 0.5 * 10.0 ** -decimals * (1 + 1e-9)


def _close(expected: np.ndarray, given: np.ndarray, tolerance: float, decimals: int | None = None) -> np.ndarray:
    exact = (np.mod(expected, 1) == 0).all()
    if exact:
        return given == expected
    close = np.isclose(given, expected, rtol=tolerance, atol=tolerance * 1e-3)
    return close if decimals is None else close | (np.abs(given - expected) <= _rounding(decimals))


def _close_number(expected: float, given: float, tolerance: float, decimals: int | None = None) -> bool:
    """_close for one number, without arrays (a class compares some 50,000 wrong numbers): the same
    arithmetic as NumPy's mod and isclose, |given - expected| <= atol + rtol * |expected|."""
    if expected % 1 == 0:
        return given == expected
    difference = abs(given - expected)
    return difference <= tolerance * 1e-3 + tolerance * abs(expected) or difference <= _rounding(decimals)


def _where(index: tuple, ndim: int) -> str:
    if ndim == 1:
        return f"entry {index[0] + 1}"
    if ndim == 2:
        return f"row {index[0] + 1}, column {index[1] + 1}"
    return f"map {index[0] + 1}, row {index[1] + 1}, column {index[2] + 1}"


WRONG_LISTED = 3      # wrong entries named one by one; past that, the first and how many more


def compare(expected: Any, given: Any, part: dict[str, Any]) -> tuple[float, str]:
    """The fraction of the part that is right, and what is wrong in words."""
    if expected == INVALID:
        return (1.0, "Correct.") if given == INVALID else (0.0, "This configuration does not fit: the answer is invalid.")
    if given == INVALID:
        return 0.0, "It fits: the answer is not invalid."
    shape_query = part["query"] in ("shape", "weight_shape")
    if isinstance(expected, list) and not isinstance(given, list) and len(expected) == 1:
        given = [given]
    if not isinstance(expected, list):
        if isinstance(given, list):
            shown = _dims(np.asarray(given, dtype=float)) if _rectangular(given) else "a list"
            return 0.0, f"Expected a number, got {shown}."
        ok = _close_number(float(expected), float(given), part["tolerance"], part.get("decimals"))
        return (1.0, "Correct.") if ok else (0.0, f"Wrong: the answer is {encode(expected)}.")
    if (judged := _whole_entries(expected, given)) is not None:       # whole numbers: on the lists
        return _verdict(expected, *judged, shape_query, part)
    e, g = np.asarray(expected, dtype=float), np.asarray(given, dtype=float) if _rectangular(given) else None
    if g is None:
        return 0.0, "The rows of the answer have different lengths."
    key = e
    g, e = aligned(g, e)
    if g.size == 1 and e.size == 1:       # 3 for [[3]]: a 1x1 result written as a number
        g = g.reshape(e.shape)
    if g.shape != e.shape:
        what = "a shape of" if shape_query else "expected"
        named = e if g.size else key        # against an empty list, the key's shape as it is written
        return 0.0, (f"Wrong shape: {what} {_dims(named)}, got {_dims(g)}." if not shape_query
                     else f"Expected {_count(len(expected))} ({'W×H×C' if len(expected) == 3 else 'the shape'}), got {g.size}.")
    ok = _close(e, g, part["tolerance"], part.get("decimals"))
    wrong = [(i, encode(e[i]), encode(g[i])) for i in map(tuple, np.argwhere(~ok)[:WRONG_LISTED])]
    return _verdict(expected, int(ok.sum()), ok.size, e.ndim, wrong, shape_query, part)


def _verdict(expected: list, right: int, size: int, ndim: int, wrong: list[tuple[tuple, Any, Any]],
             shape_query: bool, part: dict[str, Any]) -> tuple[float, str]:
    """compare() of an array of the expected shape: `right` of its `size` entries are, and `wrong`
    holds the first few others (where, expected, given)."""
    if right == size:
        return 1.0, "Correct."
    if shape_query:
        return 0.0, f"Wrong: the shape is {'×'.join(str(v) for v in expected)}."
    if size == 1:
        return 0.0, f"Wrong: the one entry is {wrong[0][1]}, not {wrong[0][2]}."
    each = [f"{_where(i, ndim)} (expected {e}, got {g})" for i, e, g in wrong]
    if size - right <= WRONG_LISTED:
        where = "wrong: " + (each[0] if len(each) == 1 else ", ".join(each[:-1]) + " and " + each[-1])
    else:
        where = f"the first wrong: {each[0]}, and {size - right - 1} more"
    detail = f"{right} of {size} entries are right; {where}."
    if part.get("all_or_nothing"):
        return 0.0, detail + " This part is all or nothing."
    return right / size, detail


def _whole_entries(expected: list, given: list) -> tuple[int, int, int, list[tuple[tuple, int, int]]] | None:
    """What compare() finds of two arrays of whole numbers written as lists, worked out on the lists
    (a class has some 10,000 wrong matrices; each made into arrays costs more than the comparing):
    the entries right, their number, the dimensions and the first few wrong (where, expected,
    given). None unless both are rectangular lists of Python ints (int_grid) and of one shape, once
    aligned() as lists."""
    if (grids := _aligned_grids(expected, given)) is None:
        return None
    e_shape, e_flat, g_flat = grids
    wrong = list(compress(count(), map(ne, e_flat, g_flat)))
    listed = [(_unravel(k, e_shape), e_flat[k], g_flat[k]) for k in wrong[:WRONG_LISTED]]
    return len(e_flat) - len(wrong), len(e_flat), len(e_shape), listed


def _aligned_grids(expected: Any, given: Any) -> tuple[tuple, list, list] | None:
    """Two int_grid()s compared as aligned() compares arrays (the leading 1s one has beyond the
    other dropped): their shape and both lists of entries; None unless both are int grids of one
    shape, with entries."""
    e, g = int_grid(expected), int_grid(given)
    if e is None or g is None:
        return None
    (e_shape, e_flat), (g_shape, g_flat) = e, g
    while len(e_shape) > len(g_shape) and e_shape[0] == 1:
        e_shape = e_shape[1:]
    while len(g_shape) > len(e_shape) and g_shape[0] == 1:
        g_shape = g_shape[1:]
    if e_shape != g_shape or not e_flat:
        return None
    return e_shape, e_flat, g_flat


def int_grid(value: Any) -> tuple[tuple, list] | None:
    """A nested list of Python ints (whole_list) that is rectangular: its shape and its entries in
    order (row by row); None for anything else, a ragged list among them."""
    if type(value) is not list:
        return None
    shape, first = [], value
    while type(first) is list:
        shape.append(len(first))
        first = first[0] if first else None
    flat = [value]
    for length in shape:
        level = []
        for item in flat:
            if type(item) is not list or len(item) != length:
                return None
            level.extend(item)
        flat = level
    return (tuple(shape), flat) if set(map(type, flat)) <= _INT else None


_INT = {int}


def _unravel(k: int, shape: tuple) -> tuple:
    index = []
    for length in reversed(shape):
        k, i = divmod(k, length)
        index.append(i)
    return tuple(reversed(index))


def right_cells(expected: Any, given: Any, tolerance: float, decimals: int | None = None
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """A matrix or volume answer as compare() judges it: the answer given, shaped as the expected
    one (a 1-map volume for a matrix), and which of its entries are right; None when it is not an
    array of the expected shape."""
    if not (isinstance(expected, list) and isinstance(given, list)) or not _rectangular(given):
        return None
    e = np.asarray(expected, dtype=float)
    g, e = aligned(np.asarray(given), e)
    if e.ndim < 2 or g.shape != e.shape:
        return None
    return g, _close(e, g.astype(float), tolerance, decimals)


def whole_cells(expected: list, given: list) -> tuple[list, list] | None:
    """right_cells() of two nested lists of whole numbers (int_grid), worked out on the lists:
    the given entries as nested lists, shaped as compared, and which are right (equal, as
    right_cells compares whole numbers). None for other answers, where right_cells gives None,
    and for more than three dimensions."""
    if (grids := _aligned_grids(expected, given)) is None or len(grids[0]) not in (2, 3):
        return None
    e_shape, e_flat, g_flat = grids
    right = list(map(eq, e_flat, g_flat))
    return _nested(g_flat, e_shape), _nested(right, e_shape)


def _nested(flat: list, shape: tuple) -> list:
    """Entries in order (row by row) as nested lists of `shape` (two or three dimensions)."""
    width = shape[-1]
    rows = [flat[i:i + width] for i in range(0, len(flat), width)]
    if len(shape) == 2:
        return rows
    return [rows[i:i + shape[1]] for i in range(0, len(rows), shape[1])]


def _rectangular(value: Any) -> bool:
    try:
        np.asarray(value, dtype=float)
        return True
    except (ValueError, TypeError):
        return False


def follow_through(question: dict, name: str, parts_given: dict[str, Any], found: tuple[list, str] | None
                   ) -> tuple[Any, str] | None:
    """What this part would be if computed from the student's own answer to the step before
    (`found`: own_results), and that step's part."""
    if found is None:
        return None
    own, source = found
    out = own[question["parts"][name]["layer"]]
    if question["parts"][name]["query"] == "value":
        if out.value is None:
            return None
        value = out.value[0] if np.ndim(parts_given[source]) == 2 and out.value.shape[0] == 1 else out.value
        return encode(value), source
    return lecture_shape(out.shape), source


def own_results(question: dict, name: str, parts_given: dict[str, Any], results: list | None
                ) -> tuple[list, str] | None:
    """The network's results as the student's own answer to the step before makes them (the part
    _follows_from names): that step's result holding the answer, and the layers after it up to this
    part's redone from it; and the step's part. None when there is no such step, or its answer is
    the key's, is no value or shape of the step, or does not fit the layers."""
    part = question["parts"][name]
    source = _follows_from(question, name)
    if results is None or source is None or parts_given.get(source) is None:
        return None
    index, first = part["layer"], question["parts"][source]["layer"]
    earlier = parts_given[source]
    layers = [Layer(r.kind, r.options) for r in results[first + 1:index + 1]]
    try:
        if part["query"] == "value":
            # a later layer redone from the student's own earlier matrix
            volume = as_volume(earlier)
            if volume is None or _same(earlier, question["parts"][source]["answer"]):
                return None
            start, *redone = run(volume, None, layers)
        else:
            if not isinstance(earlier, list) or len(earlier) not in (1, 3) \
                    or _same(earlier, question["parts"][source]["answer"]):
                return None
            shape = (earlier[2], earlier[1], earlier[0]) if len(earlier) == 3 else tuple(earlier)
            if any(type(v) not in (int, float) or v != int(v) for v in shape):
                return None         # 3.5 is no size to carry forward
            start, *redone = run(None, tuple(int(v) for v in shape), layers)
    except Exception:  # noqa: BLE001 - the student's answer may not fit the layer
        return None
    return [*results[:first], replace(results[first], shape=start.shape, value=start.value),
            *(replace(out, as_matrix=key.as_matrix) for out, key in zip(redone, results[first + 1:])),
            *results[index + 1:]], source


def _same(a: Any, b: Any) -> bool:
    """Whether a student's answer to a step is the key's (then nothing is carried forward from it).
    Whole numbers are the same exactly, as compare() scores them; others to NumPy's default tolerance."""
    if not isinstance(a, list) or not isinstance(b, list):
        return encode(a) == encode(b)
    if whole_list(a) and whole_list(b):
        return equal_aligned(a, b)
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    x, y = aligned(x, y)
    return x.shape == y.shape and np.allclose(x, y)


def _kept(question: dict[str, Any], key: Any, compute: Callable[[], Any]) -> Any:
    """compute(), a value that depends on the question's record alone: kept with a record that
    several variants share (grader.manifest.SharedRecord), so it is computed once for them."""
    derived = getattr(question, "derived", None)
    if derived is None:
        return compute()
    if key not in derived:
        derived[key] = compute()
    return derived[key]


def score_question(qid: str, question: dict[str, Any], given: dict[str, Any], problems: dict[str, str]
                   ) -> dict[str, dict[str, Any]]:
    """Each part's result (part_result)."""
    return score_parts(qid, question, given, problems)[0]


def needs_judging(question: dict[str, Any], given: dict[str, Any], problems: dict[str, str]) -> bool:
    """Whether score_parts() judges an answer of the question (_judged), which reruns its reference
    network: an answer that was read, and is not exactly the key's."""
    for name, part in question["parts"].items():
        value = given.get(name)
        if value is not None and name not in problems and not (value == part["answer"]
                                                                and type(value) is type(part["answer"])):
            return True
    return False


def score_parts(qid: str, question: dict[str, Any], given: dict[str, Any], problems: dict[str, str],
                rebuilt: list | None = None) -> tuple[dict[str, dict[str, Any]], float]:
    """Each part's result (part_result), and the question's score: the sum of the parts' scores
    before they are rounded. `rebuilt`: the reference network, rebuild(question), when the caller
    has it already (grader.batch)."""
    network: list = [] if rebuilt is None else [rebuilt]    # else rebuilt only when a wrong answer needs it

    def results() -> list | None:
        if not network:
            network.append(_kept(question, "results", lambda: rebuild(question)))
        return network[0]

    out: dict[str, dict[str, Any]] = {}
    total = 0
    for name, part in question["parts"].items():
        expected, points = part["answer"], part["points"]
        value = given.get(name)
        if name in problems:
            out[name] = part_result(0.0, points, expected, None, f"Could not read your answer: {problems[name]}.",
                                    ["unreadable"])
            total += 0.0        # as sum() of the scores gives it: 0.0 for a question of blank parts
            continue
        if value is None:
            out[name] = part_result(0.0, points, expected, None, "No answer.", ["unanswered"])
            total += 0.0
            continue
        if value == expected and type(value) is type(expected):   # the common case: exactly the key
            out[name] = part_result(points, points, expected, value, "Correct.", ["correct"])
            total += points
            continue
        derived = getattr(question, "derived", None)
        if derived is None:
            fraction, feedback, tags = _judged(qid, question, name, value, given, results)
        else:       # students who drew the question alike and answered alike are told alike
            source = _kept(question, ("source", name), lambda: _follows_from(question, name))
            key = ("judged", qid, name, _exactly(value), None if source is None else _exactly(given.get(source)))
            if key not in derived:
                derived[key] = _judged(qid, question, name, value, given, results)
            fraction, feedback, tags = derived[key]
            tags = list(tags)
        out[name] = part_result(points * fraction, points, expected, value, feedback, tags)
        total += points * fraction
    return out, total


def _judged(qid: str, question: dict, name: str, value: Any, given: dict[str, Any],
            results: Callable[[], list | None]) -> tuple[float, str, list[str]]:
    """An answer that is not the key's exactly: the fraction right, the feedback, the tags. It
    depends on the record, the part, the answer and, for a step that can follow through, the
    answer to the step before (_follows_from) alone."""
    part = question["parts"][name]
    fraction, feedback = compare(part["answer"], value, part)
    tags = ["correct"] if fraction == 1 else ["partial"] if fraction > 0 else ["wrong"]
    own = None
    if fraction < 1:
        own = own_results(question, name, given, results())
        carried = follow_through(question, name, given, own)
        if carried is not None and compare(carried[0], value, part)[0] == 1:
            fraction = 1.0
            feedback = (f"Follows correctly from your answer to {qid}.{carried[1]}, which was wrong: "
                        "full credit for this step (error carried forward).")
            tags = ["follow-through"]
    if fraction < 1:
        feedback, tags = _misconception(question, name, value, results, feedback, tags)
        if tags[-1] in ("wrong", "partial"):
            feedback, tags = _misconception_on_own(qid, question, name, value, own, feedback, tags)
        if tags[-1] in ("wrong", "partial"):         # no misconception named it: how it is worked out
            feedback = _with_working(feedback, question, name, value, results, _key_input(qid, question, name, own))
    return fraction, feedback, tags


def _follows_from(question: dict, name: str) -> str | None:
    """The part whose answer this part's can follow through from (follow_through), if any: the
    nearest earlier layer asked the same way (a conv's shape for the shape after the ReLU that
    follows it, when the ReLU's is not asked; the first asked, of several parts on that layer)."""
    part = question["parts"][name]
    if part["query"] not in ("value", "shape") or not isinstance(part["layer"], int) or part["layer"] < 2:
        return None
    source, nearest = None, 0
    for n, p in question["parts"].items():
        layer = p["layer"]
        if p["query"] == part["query"] and type(layer) is int and nearest < layer < part["layer"]:
            source, nearest = n, layer
    return source


def _exactly(value: Any) -> Any:
    """An answer as a key that tells apart what compares equal in Python (1, 1.0 and True; 0.0 and -0.0)."""
    kind = type(value)
    if value is None or kind is int or kind is str:
        return kind, value
    return kind, repr(value) if kind is float else jsontext.text(value)


def _key_input(qid: str, question: dict, name: str, own: tuple[list, str] | None) -> str | None:
    """What a step's working is done on, named, when the student's answer to the step before is
    not the key's (own_results): the key's answer to it, or the key's output of the layer between."""
    if own is None:
        return None
    source = own[1]
    if question["parts"][source]["layer"] == question["parts"][name]["layer"] - 1:
        return f"the expected answer to {qid}.{source} (yours differs)"
    return f"the previous layer's output, from the expected answer to {qid}.{source} (yours differs)"


def _with_working(feedback: str, question: dict, name: str, value: Any, results: Callable[[], list | None],
                  key_input: str | None = None) -> str:
    """The feedback of a wrong answer, followed by how the part is worked out (grader.worked): for a
    matrix, the wrong entries compare() names, or its size when its shape is wrong; otherwise the key's worked
    solution, the same for every student who drew the question. A record that cannot be explained
    (edited by hand) leaves the feedback as it was. `key_input`: what the working is on, named
    (_key_input), when the student's answer to the step before is not the key's."""
    part = question["parts"][name]
    try:
        if isinstance(part["answer"], list) and (found := operation(question, name, results())) is not None:
            kind, x, options, called = found
            if key_input is not None and called == "the previous layer's output":
                called = key_input
            cells = _wrong_cells(part["answer"], value, part)
            if cells is None:           # not a matrix of the expected shape: how big it is
                return f"{feedback} Worked out, the size: {size_text(kind, x, options)}" \
                    if feedback.startswith("Wrong shape") else feedback
            if cells[0] == 1:
                return f"{feedback} Worked out: {entry_text(kind, x, options, (0, 0, 0), called)}"
            worked = []
            for wrong in cells[1]:      # the entries compare() named
                where = _where(wrong, len(wrong))
                text = entry_text(kind, x, options, wrong if len(wrong) == 3 else (0, *wrong), called)
                worked.append(f"{where[:1].upper() if worked else where[:1]}{where[1:]}: {text}")
            return f"{feedback} Worked out, " + " ".join(worked)
        text = _kept(question, ("worked", name), lambda: steps_text(question, name, results()))
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return feedback
    return f"{feedback} Worked out: {text}" if text else feedback


def _wrong_cells(expected: Any, given: Any, part: dict[str, Any]) -> tuple[int, list[tuple[int, ...]]] | None:
    """right_cells() in brief: the number of entries, and where the first few wrong ones are (as
    compare() names them); worked out on the lists for whole numbers (compare's _whole_entries)."""
    if (judged := _whole_entries(expected, given)) is not None:
        _, size, ndim, listed = judged
        return (size, [index for index, _, _ in listed]) if ndim >= 2 else None
    cells = right_cells(expected, given, part["tolerance"], part.get("decimals"))
    if cells is None:
        return None
    return cells[1].size, [tuple(int(v) for v in wrong) for wrong in np.argwhere(~cells[1])[:WRONG_LISTED]]


def _candidates(question: dict, name: str, results: Callable[[], list | None]) -> list:
    """What the named wrong methods give for a part: the same for everyone who drew the question."""
    s: Situation | None = situation(question, question["parts"][name], results())
    return [] if s is None else candidates(s)


NOTATION = frozenset({"channels-first", "channels-last", "transposed-output"})   # how an answer is written


def _misconception_on_own(qid: str, question: dict, name: str, value: Any, found: tuple[list, str] | None,
                         feedback: str, tags: list[str]) -> tuple[str, list[str]]:
    """A named wrong method of this step applied to the student's own wrong answer to the step
    before: ReLU forgotten on their own conv output, average pooling of their own ReLU output, ...
    Not a way of writing answers down (NOTATION): a student who writes so would have written their
    earlier answer so too, and a slip in each of two answers would too often look like one."""
    if found is None:
        return feedback, tags
    own, source = found
    s = situation(question, question["parts"][name], own)
    first = None if s is None else first_match([c for c in candidates(s) if c.id not in NOTATION], value)
    if first is None:
        return feedback, tags
    why = first.why[:1].upper() + first.why[1:]
    return (f"{feedback} Misconception, on your own answer to {qid}.{source}: {first.name}. {why}",
            tags + [first.id])


def _misconception(question: dict, name: str, value: Any, results: Callable[[], list | None], feedback: str,
                   tags: list[str]) -> tuple[str, list[str]]:
    methods = _kept(question, ("candidates", name), lambda: _candidates(question, name, results))
    first = first_match(methods, value)
    if first is None:
        return feedback, tags
    why = first.why[:1].upper() + first.why[1:]
    return f"{feedback} Misconception: {first.name}. {why}", tags + [first.id]

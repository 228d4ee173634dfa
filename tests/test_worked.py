"""A wrong answer that no misconception explains is followed by how the part is worked out: the
key's formula with the variant's numbers, or, for a matrix, its first wrong entry worked out."""
import numpy as np
import pytest
from conftest import question_record_from

from grader.score import score_question
from problems.bank import bank
from problems.build import Question, question_record
from problems.rng import Rng
from problems.sample import sample_params

X4 = "[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]"

TEMPLATES = {
    # by hand: cross-correlation with stride 2 gives [[-1, 3], [15, 19]]; ReLU [[0, 3], [15, 19]]; pool [[19]]
    "forward": f"""
        id: t
        family: forward-pass
        params: {{x: {X4}, w: [[1, 2], [0, -1]]}}
        network: {{input: x, layers: [{{conv: {{weights: w, stride: 2}}}}, relu, {{maxpool: {{size: 2, stride: 2}}}}]}}
        ask: {{conv: {{value: 1}}, relu: {{value: 2}}, pool: {{value: 3}}}}
        """,
    # two channels, zero padding 1, bias 3: the top-left window is zeros but for x[0][0] of each channel
    "channels": """
        id: t
        family: forward-pass
        params:
          x: [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0, 1], [0, 1, 0], [1, 0, 1]]]
          w: [[[[1, 1], [1, 1]], [[2, 0], [0, 2]]]]
          b: [3]
        network: {input: x, layers: [{conv: {weights: w, bias: b, pad: 1}}]}
        ask: {conv: {value: 1}}
        """,
    # the lecture's convolution flips the kernel: [[1, 2], [3, 4]] becomes [[4, 3], [2, 1]]
    "flipped": """
        id: t
        family: conv-vs-correlation
        params: {x: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w: [[1, 2], [3, 4]]}
        ask: {conv: {expr: "convolve(x, w)"}}
        """,
    # the lecture's layer: 32x32x3, ten 5x5 filters: 5*5*3*10 = 750 weights + 10 biases = 760
    "params": """
        id: t
        family: conv-params
        network: {input: {shape: [32, 32, 3]}, layers: [{conv: {filters: 10, size: 5, stride: 1, pad: 2}}]}
        ask: {total: {params: 1}}
        """,
}


def record(name, tmp_path):
    return question_record_from(TEMPLATES[name], tmp_path / f"{name}.yaml")


def feedback(question, part, given, others=None):
    result = score_question("q1", question, {part: given, **(others or {})}, {})[part]
    assert result["score"] < result["max"]
    return result["feedback"]


def test_a_wrong_conv_entry_is_worked_out_from_its_window(tmp_path):
    question = record("forward", tmp_path)
    assert feedback(question, "conv", [[-1, 3], [15, 20]]) == (
        "3 of 4 entries are right; wrong: row 2, column 2 (expected 19, got 20). Worked out, row 2, column 2: "
        "the 2×2 window at rows 3–4, columns 3–4 of the input, element by element with the kernel: "
        "$11 \\cdot 1 + 12 \\cdot 2 + 15 \\cdot 0 + 16 \\cdot (-1) = 19$.")


def test_each_wrong_entry_named_is_worked_out(tmp_path):
    question = record("forward", tmp_path)
    text = feedback(question, "conv", [[-1, 4], [15, 20]])
    assert text.endswith(
        "Worked out, row 1, column 2: the 2×2 window at rows 1–2, columns 3–4 of the input, element by element "
        "with the kernel: $3 \\cdot 1 + 4 \\cdot 2 + 7 \\cdot 0 + 8 \\cdot (-1) = 3$. Row 2, column 2: the 2×2 window "
        "at rows 3–4, columns 3–4 of the input, element by element with the kernel: "
        "$11 \\cdot 1 + 12 \\cdot 2 + 15 \\cdot 0 + 16 \\cdot (-1) = 19$.")
    # four wrong: the three that the feedback names are worked out
    assert feedback(question, "conv", [[0, 0], [0, 0]]).count("window at rows") == 3


def test_a_wrong_relu_or_pooling_entry_is_worked_out_from_the_step_before(tmp_path):
    question = record("forward", tmp_path)
    right_conv = {"conv": [[-1, 3], [15, 19]]}
    assert feedback(question, "relu", [[0, 3], [0, 19]], right_conv).endswith(
        "Worked out, row 2, column 1: ReLU of the same entry of the previous layer's output: $\\max(0, 15) = 15$.")
    assert feedback(question, "pool", [[18]], {**right_conv, "relu": [[0, 3], [15, 19]]}) == (
        "Wrong: the one entry is 19, not 18. Worked out: the 2×2 window at rows 1–2, columns 1–2 of the "
        "previous layer's output: $\\max(0, 3, 15, 19) = 19$.")


def test_a_step_after_a_wrong_one_says_its_working_is_on_the_key_s_answer(tmp_path):
    # the student's conv, flipped, is [[15, 19], [31, 35]] and their ReLU follows from it; their
    # pooling, 30, is neither the key's 19 nor their own 35: the working is on the key's ReLU
    question = record("forward", tmp_path)
    flipped = [[15, 19], [31, 35]]
    assert feedback(question, "pool", [[30]], {"conv": flipped, "relu": flipped}) == (
        "Wrong: the one entry is 19, not 30. Worked out: the 2×2 window at rows 1–2, columns 1–2 of the "
        "expected answer to q1.relu (yours differs): $\\max(0, 3, 15, 19) = 19$.")


def test_a_padded_window_over_two_channels_shows_its_zeros_and_the_bias(tmp_path):
    question = record("channels", tmp_path)
    expected = np.array(question["parts"]["conv"]["answer"])
    given = expected.copy()
    given.reshape(-1)[0] += 1                       # the top-left entry, 6 by hand, given as 7
    text = feedback(question, "conv", given.tolist())
    assert text.endswith(
        "the 2×2 window at rows 1–2, columns 1–2 of the input padded with 1 ring of zeros, over its 2 channels, "
        "element by element with the kernel: $0 \\cdot 1 + 0 \\cdot 1 + 0 \\cdot 1 + 1 \\cdot 1 + "
        "0 \\cdot 2 + 0 \\cdot 0 + 0 \\cdot 0 + 1 \\cdot 2 + 3 = 6$.")


def test_the_lecture_s_convolution_is_worked_out_with_the_kernel_rotated(tmp_path):
    question = record("flipped", tmp_path)
    # by hand: the top-left window [[1, 2], [4, 5]] against [[4, 3], [2, 1]]: 4 + 6 + 8 + 5 = 23
    assert feedback(question, "conv", [[0, 33], [53, 63]]).endswith(
        "Worked out, row 1, column 1: the 2×2 window at rows 1–2, columns 1–2 of the input, element by element "
        "with the kernel rotated by 180°: $1 \\cdot 4 + 2 \\cdot 3 + 4 \\cdot 2 + 5 \\cdot 1 = 23$.")


def test_a_wrong_count_gets_the_formula_with_its_numbers(tmp_path):
    question = record("params", tmp_path)
    text = feedback(question, "total", 761)
    assert text.startswith("Wrong: the answer is 760. Worked out: ")
    assert "5 \\cdot 5 \\cdot 3 \\cdot 10 = 750" in text and "$750 + 10 = 760$." in text


def test_a_named_misconception_gets_no_working(tmp_path):
    forgot_biases = feedback(record("params", tmp_path), "total", 750)
    assert "Misconception: forgot the biases" in forgot_biases and "Worked out" not in forgot_biases


def test_a_matrix_of_the_wrong_shape_gets_its_size_worked_out(tmp_path):
    # 4x4 input, 2x2 filter, stride 2: (4 - 2)/2 + 1 = 2 by hand
    assert feedback(record("forward", tmp_path), "conv", [[1, 2, 3]]) == (
        "Wrong shape: expected a 2×2 matrix, got a 1×3 matrix. Worked out, the size: "
        "$W_2 = (W_1 - F + 2P)/S + 1 = (4 - 2 + 2 \\cdot 0)/2 + 1 = 2$. The depth is the number of filters, "
        "$K = 1$: the output is $2 \\times 2 \\times 1$.")
    # the lecture's convolution of a 3x3 input with a 2x2 kernel: (3 - 2)/1 + 1 = 2
    assert feedback(record("flipped", tmp_path), "conv", [[23]]).startswith(
        "Wrong shape: expected a 2×2 matrix, got a 1×1 matrix. Worked out, the size: "
        "$W_2 = (W_1 - F + 2P)/S + 1 = (3 - 2 + 2 \\cdot 0)/1 + 1 = 2$.")


def _off(value):
    """A wrong answer of the same kind: a number one more, the first entry of a list one more."""
    if value == "invalid":
        return 1
    if isinstance(value, list):
        array = np.array(value, dtype=float)
        array.reshape(-1)[0] += 1
        return array.tolist()
    return value + 1


@pytest.mark.parametrize("template_id", sorted(bank()))
def test_every_wrong_part_of_the_bank_is_named_or_worked_out(template_id):
    template = bank()[template_id]
    from grader.solve import solve
    for seed in range(3):
        params = sample_params(template, Rng.from_seed(seed))
        question = question_record(Question("q1", template, params, solve(template, params)))
        for name, part in question["parts"].items():
            right = {other: p["answer"] for other, p in question["parts"].items()}
            result = score_question("q1", question, {**right, name: _off(part["answer"])}, {})[name]
            assert result["score"] < result["max"], (template_id, name)
            assert "Misconception:" in result["feedback"] or "Worked out" in result["feedback"], \
                (template_id, seed, name, result["feedback"])
            if isinstance(part["answer"], list) and isinstance(part["answer"][0], list):     # a matrix or volume
                wider = np.pad(np.array(part["answer"], dtype=float), [(0, 0)] * (np.ndim(part["answer"]) - 1)
                               + [(0, 1)]).tolist()
                result = score_question("q1", question, {**right, name: wider}, {})[name]
                assert result["feedback"].startswith("Wrong shape"), (template_id, name, result["feedback"])
                assert "Misconception:" in result["feedback"] or "Worked out, the size: " in result["feedback"], \
                    (template_id, seed, name, result["feedback"])


@pytest.mark.parametrize("seed", range(6))
def test_a_worked_entry_adds_up_to_the_solver_s_entry_with_groups_dilation_stride_and_padding(seed):
    """The entry worked out in words, for every entry of random layers, against the reference solver
    (itself checked against PyTorch in test_solve_torch)."""
    from grader.solver import conv2d, maxpool2d
    from grader.worked import entry_text

    rnd = np.random.default_rng(seed)
    groups = int(rnd.choice([1, 2]))
    c, k = 2 * groups, 2 * groups
    f, d, s, p = int(rnd.choice([1, 2, 3])), int(rnd.choice([1, 2])), int(rnd.choice([1, 2])), int(rnd.choice([0, 1]))
    size = s * 3 + d * (f - 1) + 1 - 2 * p           # three steps of the stride fit
    x = rnd.integers(-3, 4, (c, size, size))
    w = rnd.integers(-2, 3, (k, c // groups, f, f))
    b = rnd.integers(-2, 3, k)
    out = conv2d(x, w, b, stride=s, pad=p, dilation=d, groups=groups)
    options = {"weights": w, "bias": b, "stride": s, "pad": p, "dilation": d, "groups": groups}
    for index in np.ndindex(out.shape):
        text = entry_text("conv", x, options, index, "the input")
        assert text.endswith(f" = {out[index]}$."), (index, text)
        assert text.count("\\cdot") == (c // groups) * f * f            # every product written out
    pooled = maxpool2d(out, size=2, stride=1)
    for index in np.ndindex(pooled.shape):
        assert entry_text("maxpool", out, {"size": 2, "stride": 1}, index, "it").endswith(f" = {pooled[index]}$.")


def test_a_window_sum_is_written_term_by_term_and_a_long_one_abbreviated():
    from grader.explain_values import _sum_of_products
    assert _sum_of_products(np.array([[1, -2], [3, 0]]), np.array([[2, 1], [-1, 4]])) == \
        "1 \\cdot 2 + (-2) \\cdot 1 + 3 \\cdot (-1) + 0 \\cdot 4"
    assert _sum_of_products(np.array([0.5, 1.0]), np.array([2, -0.25])) == "0.5 \\cdot 2 + 1 \\cdot (-0.25)"
    assert _sum_of_products(np.array([1 / 3]), np.array([np.float32(3)])) == "0.333333 \\cdot 3"
    long = _sum_of_products(np.arange(30), np.ones(30, dtype=int))     # 30 terms: the first 9, ..., the last 3
    assert long == " + ".join([f"{i} \\cdot 1" for i in range(9)] + ["\\dots"] + [f"{i} \\cdot 1" for i in (27, 28, 29)])

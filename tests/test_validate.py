"""hw validate's notes: what is valid but most likely a slip of the template's author."""
from grader.solve import solve
from problems.bank import bank
from problems.sample import sample_params
from problems.validate import instance_rng

NEVER_FITS = """\
id: never-fits
family: forward-pass
params:
  x: {matrix: [2, 4, 4], ints: [-1, 2]}
  w: {matrix: [2, 2, 3, 3], ints: [-1, 1]}
network:
  input: x
  layers:
    - conv: {weights: w, stride: STRIDE, pad: 1}
    - relu
    - maxpool: {size: 2}
ask:
  conv: {value: 1}
  relu: {value: 2}
  pool: {value: 3}
statement: Convolve, then ReLU, then pool.
"""


def test_a_forward_pass_that_never_fits_is_noted_with_its_line(hw, write):
    # (4 - 3 + 2*1)/2 + 1 = 2.5 for every draw of x and w: nobody could compute the conv
    write("t.yaml", NEVER_FITS.replace("STRIDE", "2"))
    result = hw("validate", "t.yaml")
    assert result.exit_code == 0
    assert result.stdout == "1 of 1 file(s) valid.\n"
    assert result.stderr.splitlines() == [
        "Note: t.yaml:13: parts 'conv', 'relu', 'pool' are invalid in all 64 instances sampled: a layer's size "
        "never fits ((W1 - F + 2P)/S + 1 is never a whole number of 1 or more), so every student's answer would "
        "be 'invalid'; "
        "if that is not meant, change the stride or padding, or add a require that the size fits"]


def test_a_forward_pass_that_fits_gets_no_note(hw, write):
    write("t.yaml", NEVER_FITS.replace("STRIDE", "1"))      # (4 - 3 + 2)/1 + 1 = 4
    result = hw("validate", "t.yaml")
    assert (result.exit_code, result.stderr) == (0, "")


def test_the_lecture_s_fixed_configuration_that_does_not_fit_gets_no_note(hw, write):
    # 7x7 input, 3x3 filter, stride 3: (7 - 3)/3 + 1 = 2.33, and `invalid` is the point of asking
    write("t.yaml", """\
        id: lecture-stride-3
        family: output-size
        network:
          input: {shape: [7, 7, 1]}
          layers:
            - conv: {filters: 1, size: 3, stride: 3}
        ask:
          w2: {size: 1}
        statement: Does stride 3 fit?
        """)
    assert hw("solve", "t.yaml").stdout.strip().endswith('"answers": {"w2": "invalid"}}')
    result = hw("validate", "t.yaml")
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_question_that_fits_one_time_in_three_gets_no_note(hw):
    # the bank's output-size-fit is invalid in all eight instances validate renders, and fits in later ones
    template = bank()["output-size-fit"]
    answers = [solve(template, sample_params(template, instance_rng(seed, "validate", template.id))).answers["w2"]
               for seed in range(16)]
    assert answers[:8] == ["invalid"] * 8 and any(a != "invalid" for a in answers[8:])
    result = hw("validate")
    assert result.exit_code == 0
    assert "Note:" not in result.stderr


def test_generating_says_so_too_and_writes_the_class(hw, write, tmp_path):
    write("t.yaml", NEVER_FITS.replace("STRIDE", "2"))
    write("a.yaml", "title: Quiz\nproblems:\n  - template: ./t.yaml\n  - template: output-size-fit\n")
    result = hw("generate", "--assignment", "a.yaml", "--versions", "2", "--format", "md", "--out", "o")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Note: t.yaml:13: parts 'conv', 'relu', 'pool' are invalid in all 64 instances sampled: a layer's size "
        "never fits ((W1 - F + 2P)/S + 1 is never a whole number of 1 or more), so every student's answer would "
        "be 'invalid'; "
        "if that is not meant, change the stride or padding, or add a require that the size fits"]
    assert (tmp_path / "o" / "keys" / "B.md").is_file()


def test_generating_the_bundled_homework_notes_nothing(hw):
    result = hw("generate", "--seed", "42", "--format", "md")
    assert (result.exit_code, result.stderr) == (0, "")


def test_answers_students_round_by_hand_are_noted_unless_the_part_says_how(hw, write):
    body = ('id: thirds\nfamily: pooling\nparams:\n  n: {choice: [1, 2, 4]}\nask:\n'
            '  a: {expr: "n / 3"DECIMALS}\n  b: {expr: "n / 4"}\nstatement: Divide.\n')
    write("t.yaml", body.replace("DECIMALS", ""))
    result = hw("validate", "t.yaml")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [        # n / 4 has at most 2 decimals: no note for b
        "Note: t.yaml:6: part 'a' has answers such as 0.333333 that students round by hand, but its tolerance is "
        "the default relative 1e-6, so an answer to 2 decimals would be marked wrong; give it decimals: 2 (or the "
        "places you ask for)"]
    write("t.yaml", body.replace("DECIMALS", ", decimals: 2"))
    assert hw("validate", "t.yaml").stderr == ""


SOMETIMES_FITS = """\
id: sometimes-fits
family: forward-pass
params:
  n: {choice: [4, 5]}
  x: {matrix: [n, n], ints: [0, 3]}
  w: {matrix: [3, 3], ints: [-1, 1]}
network:
  input: x
  layers:
    - conv: {weights: w, stride: 2}
    - relu
ask:
  conv: {value: 1}
  relu: {value: 2}
statement: Convolve, then ReLU.
"""


def test_a_forward_pass_that_fits_some_students_only_is_noted(hw, write):
    # (n - 3)/2 + 1: 2 for n = 5, 1.5 for n = 4; counted here from the draws of n, by the formula
    write("t.yaml", SOMETIMES_FITS)
    from problems.load import load_template
    template = load_template("t.yaml")
    unfit = sum((sample_params(template, instance_rng(seed, "validate", template.id))["n"] - 3) % 2 != 0
                for seed in range(64))
    assert 0 < unfit < 64
    expected = [f"Note: t.yaml:13: parts 'conv', 'relu' are invalid in some of 64 instances sampled ('conv' in "
                f"{unfit}, 'relu' in {unfit}; such as n = 4) and fit in the others: some students would be given a "
                "forward pass that cannot be computed; if that is not meant, add a require that the size fits"]
    result = hw("validate", "t.yaml")
    assert (result.exit_code, result.stderr.splitlines()) == (0, expected)
    write("a.yaml", "title: Quiz\nproblems:\n  - template: ./t.yaml\n")
    result = hw("generate", "--assignment", "a.yaml", "--versions", "2", "--format", "md", "--out", "o")
    assert (result.exit_code, result.stderr.splitlines()) == (0, expected)
    write("t.yaml", SOMETIMES_FITS.replace("network:", 'require:\n  - "(n - 3) % 2 == 0"\nnetwork:'))
    assert hw("validate", "t.yaml").stderr == ""

"""Hostile and broken templates: each gets its exact message, exit 1, and nothing in it runs."""
import pytest

OK_ASK = 'ask:\n  a: {expr: "n"}\nstatement: hi\n'

CASES = {
    "code-in-expression": (
        'params:\n  n: "().__class__.__mro__[1].__subclasses__()"\n' + OK_ASK,
        "t.yaml:6: only the listed functions may be called in '().__class__.__mro__[1].__subclasses__()'"),
    "code-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{{ n.__class__.__base__.__subclasses__() }}"\n',
        "t.yaml:9: statement: not allowed: access to attribute '__class__' of 'int' object is unsafe."),
    "sandbox-escape-through-a-method": (
        'params:\n  n: [1, 2]\nask:\n  a: {expr: "n.tofile(\'pwned\')"}\nstatement: hi\n',
        "t.yaml:8: only the listed functions may be called in \"n.tofile('pwned')\""),
    "huge-power": (
        'params:\n  n: "10 ** 1000000"\n' + OK_ASK,
        "t.yaml:6: the exponent of ** must be a number of at most 64 in '10 ** 1000000'"),
    "power-of-powers": (           # each exponent is small, the number has 9 ** (64 ** 5) digits
        'params:\n  n: "((((9 ** 64) ** 64) ** 64) ** 64) ** 64"\n' + OK_ASK,
        "t.yaml:6: ** would give a number of 2**1024 or more in '((((9 ** 64) ** 64) ** 64) ** 64) ** 64'"),
    "squares-of-squares": (        # 2**60 squared five times over: 1,920 bits
        'params:\n  a: "2 ** 60"\n  b: "a * a"\n  c: "b * b"\n  d: "c * c"\n  e: "d * d"\n  n: "e * e"\n'
        + OK_ASK,
        "t.yaml:11: * would give a number of 2**1024 or more in 'e * e'"),
    "float-overflow": (
        'params:\n  n: "1e300 ** 2"\n' + OK_ASK,
        "t.yaml:6: ** gives a number too large for a float in '1e300 ** 2'"),
    "huge-matrix": (
        'params:\n  n: {matrix: [100000, 100000], ints: [0, 1]}\n' + OK_ASK,
        "t.yaml:6: param 'n': a matrix of 100000 x 100000 is larger than allowed (64 per side, 4096 numbers)"),
    "impossible-require": (
        'params:\n  n: {range: [1, 5]}\nrequire:\n  - "n > 10"\n' + OK_ASK,
        "t.yaml:8: template 't': require 'n > 10' did not hold in 1000 sample(s)"),
    "param-kind-misspelled": (
        'params:\n  n: {chioce: [1, 2]}\n' + OK_ASK,
        "t.yaml:6: param 'n' needs exactly one of: choice, range, matrix; did you mean 'choice'?"),
    "param-kind-missing": (        # the kinds are listed once, not again as "expected one of"
        'params:\n  n: {points: 2}\n' + OK_ASK,
        "t.yaml:6: param 'n' needs exactly one of: choice, range, matrix"),
    "unclosed-parenthesis": (
        'params:\n  n: "(3 + 4"\n' + OK_ASK,
        "t.yaml:6: syntax error in expression '(3 + 4': it ends before its closing ')'"),
    "expression-ends-too-soon": (
        'params:\n  n: "3 +"\n' + OK_ASK,
        "t.yaml:6: syntax error in expression '3 +': it ends too soon"),
    "two-numbers-in-a-row": (
        'params:\n  n: "3 4"\n' + OK_ASK,
        "t.yaml:6: syntax error in expression '3 4': expected an operator or the end, got a number"),
    "stray-character": (           # the column is the expression's own: '$' is its third character
        'params:\n  n: "3 $ 4"\n' + OK_ASK,
        "t.yaml:6: syntax error in expression '3 $ 4': unexpected character '$' at column 3"),
    "undefined-name": (
        'params:\n  n: 3\nask:\n  a: {expr: "m + 1"}\nstatement: hi\n',
        "t.yaml:8: undefined name 'm' in 'm + 1' (params so far: n)"),
    "undefined-name-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{{ nn }}"\n',
        "t.yaml:9: statement: 'nn' is undefined"),
    "unclosed-if-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{% if n %}x"\n',
        "t.yaml:9: statement: syntax error: the text ends inside {% if %}: close it with {% endif %}"),
    "unclosed-print-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{{ n"\n',
        "t.yaml:9: statement: syntax error: the text ends before '}}' closes a '{{'"),
    "wrong-end-tag-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{% if n %}x{% endfor %}"\n',
        "t.yaml:9: statement: syntax error: {% endfor %} inside {% if %}, which {% endif %} must close first"),
    "syntax-error-in-a-literal-block": (        # the file's line of the error, two below the key
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: |\n  One.\n  {{ n + }}\n',
        "t.yaml:11: statement: syntax error: unexpected '}}'"),
    "missing-ask": (
        'params:\n  n: 3\nstatement: hi\n',
        "t.yaml:1: missing required key 'ask'"),
    "unknown-layer": (
        'network:\n  input: {shape: [7, 7, 3]}\n  layers:\n    - convv: {filters: 1, size: 3}\n'
        'ask:\n  a: {size: 1}\nstatement: hi\n',
        "t.yaml:8: unknown layer 'convv'; did you mean 'conv'?"),
    "yaml-syntax-error": (
        'params:\n  n: [1, 2\nask: {}\n',
        "t.yaml:7: YAML syntax error: expected ',' or ']', but got ':'"),
    "unknown-key": (
        'parms:\n  n: 3\n' + OK_ASK,
        "t.yaml:5: unknown key 'parms' in the template; did you mean 'params'?"),
    "exponential-aliases": (
        'x: &a ["lol", "lol"]\ny: &b [*a, *a, *a, *a]\nz: [*b, *b, *b, *b]\n',
        "t.yaml:6: YAML aliases (*name) are not allowed in hw files"),
    "value-of-a-shape-only-network": (
        'network:\n  input: {shape: [7, 7, 3]}\n  layers:\n    - relu\nask:\n  a: {value: 1}\nstatement: hi\n',
        "t.yaml:10: value needs a network whose input is an array param, not only a shape"),
    "decimals-out-of-range": (
        'params:\n  n: 3\nask:\n  a: {expr: "n / 7", decimals: 9}\nstatement: hi\n',
        "t.yaml:8: decimals must be a whole number from 0 to 6 (answers rounded so are right)"),
    "value-of-a-conv-without-weights": (        # the numbers after it cannot be worked out
        'params:\n  x: {matrix: [4, 4], ints: [0, 2]}\nnetwork:\n  input: x\n  layers:\n'
        '    - conv: {filters: 2, size: 3}\n    - relu\nask:\n  a: {value: 2}\nstatement: hi\n',
        "t.yaml:13: value 2 needs the numbers of layer 1 (conv): give it weights: (an array param) rather than "
        "filters and size alone"),
    "value-of-an-fc-without-weights": (
        'params:\n  x: {matrix: [4, 4], ints: [0, 2]}\nnetwork:\n  input: x\n  layers:\n'
        '    - flatten\n    - fc: {units: 3}\nask:\n  a: {value: 2}\nstatement: hi\n',
        "t.yaml:13: value 2 needs the numbers of layer 2 (fc): give it weights: (an array param) rather than "
        "units alone"),
    "weights-of-the-wrong-depth": (
        'params:\n  x: {matrix: [3, 4, 4], ints: [0, 1]}\n  w: {matrix: [1, 2, 3, 3], ints: [0, 1]}\n'
        'network:\n  input: x\n  layers:\n    - conv: {weights: w}\nask:\n  a: {value: 1}\nstatement: hi\n',
        "t.yaml:11: layer 1 (conv): weights have depth 2 but the input has 3 channels"),
    "macro-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"\n',
        "t.yaml:9: statement: macro is not allowed in a statement"),
    "power-of-powers-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{{ ((9 ** 64) ** 64) ** 64 }}"\n',
        "t.yaml:9: statement: ** would give a number of 2**1024 or more"),
    "string-bomb-in-statement": (
        'params:\n  n: 3\nask:\n  a: {expr: "n"}\nstatement: "{{ \'ab\' * 9000 * 9000 }}"\n',
        "t.yaml:9: statement: repetition longer than 10000 items"),
}


@pytest.mark.parametrize("body, message", CASES.values(), ids=CASES.keys())
def test_broken_template_is_reported_by_validate_and_solve(hw, write, tmp_path, body, message):
    write("t.yaml", body, header=True)
    validated = hw("validate", "t.yaml")
    assert validated.exit_code == 1
    assert validated.stderr.splitlines()[0] == f"Error: {message}"
    assert "Traceback" not in validated.output
    solved = hw("solve", "t.yaml")
    assert solved.exit_code == 1
    assert solved.stderr.splitlines()[0] == f"Error: {message}"
    assert solved.stdout == ""
    assert not (tmp_path / "pwned").exists()


def test_every_error_of_a_file_is_reported_at_once(hw, write):
    write("t.yaml", """\
        id: Bad Id
        title: T
        family: output-sise
        points: 2
        colour: red
        ask:
          a: {expr: "1", points: 1}
        statement: hi
        """)
    result = hw("validate", "t.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: t.yaml:5: unknown key 'colour' in the template (expected one of: id, title, family, points, "
        "params, require, network, ask, statement, solution)",
        "Error: t.yaml:1: id must use only a-z, 0-9 and '-'",
        "Error: t.yaml:3: unknown family 'output-sise'; did you mean 'output-size'?",
        "Error: t.yaml:4: points is 2 but the parts add up to 1",
    ]


def test_one_broken_file_does_not_stop_the_others(hw, write):
    write("good.yaml", 'params:\n  n: 3\n' + OK_ASK, header=True)
    write("bad.yaml", 'params:\n  n: [\n', header=True)
    result = hw("validate", "bad.yaml", "good.yaml")
    assert result.exit_code == 1
    assert result.stdout == "1 of 2 file(s) valid.\n"
    assert result.stderr.startswith("Error: bad.yaml:")


def test_deep_nesting_is_refused(hw, write):
    write("t.yaml", "id: " + "[" * 5000 + "]" * 5000 + "\n")
    result = hw("validate", "t.yaml")
    assert result.exit_code == 1
    assert result.stderr == "Error: t.yaml: nested deeper than 32 levels\n"


def test_a_large_file_is_refused_before_it_is_parsed(hw, write):
    write("t.yaml", "# " + "x" * 300_000 + "\n")
    result = hw("validate", "t.yaml")
    assert result.exit_code == 1
    assert result.stderr == "Error: t.yaml: file is larger than 256 KiB\n"


def test_a_template_without_statement_solves_but_does_not_validate(hw, write):
    write("t.yaml", 'id: t\nfamily: output-size\nask:\n  a: {expr: "out_size(7, 3, 2)"}\n')
    solved = hw("solve", "t.yaml")
    assert solved.exit_code == 0 and '"a": 3' in solved.stdout
    validated = hw("validate", "t.yaml")
    assert validated.exit_code == 1
    assert validated.stderr == "Error: t.yaml: missing statement: students would see no question\n"


@pytest.mark.parametrize("text, message", [
    ("x.__class__", "the attribute '__class__' is not available (only T, ndim, shape, size of an array)"),
    ("x.tofile", "the attribute 'tofile' is not available (only T, ndim, shape, size of an array)"),
    ("(1).__class__.__base__", "the attribute '__class__' is not available (only T, ndim, shape, size of an array)"),
    ("x['shape']", "indexing by a name is not available"),
    ("x[0][1]", "cannot index a whole number: only a list or an array has entries"),
    ("x | center(100000000)", "syntax error in expression 'x | center(100000000)': no filter named 'center' after '|'"),
    ("len.__self__", "the attribute '__self__' is not available (only T, ndim, shape, size of an array)"),
    ("x is divisibleby 3", "test is not available in expressions"),
    ("'a' ~ 'b'", "concat is not available in expressions"),
    ("x > 0", "an array is neither true nor false; use any(...) or all(...)"),
])
def test_expressions_reach_nothing_but_params_and_listed_functions(text, message):
    import numpy as np
    from problems.checker import COMPILER
    from problems.errors import ExpressionError

    with pytest.raises(ExpressionError) as error:
        COMPILER.compile(text if text != "x > 0" else "1 if x > 0 else 2").evaluate({"x": np.arange(4)})
    assert error.value.message.startswith(message)


def test_expression_arithmetic_matches_python():
    from problems.checker import COMPILER
    cases = {"(7 - 3 + 2 * 1) // 2 + 1": 4, "7 / 2": 3.5, "-7 // 2": -4, "7 % 3": 1, "2 ** 10": 1024,
             "1 < 2 <= 2": True, "1 < 2 > 3": False, "not 0 and 3": 3, "0 or 5": 5, "3 if 1 > 2 else 4": 4,
             "[1, 2][1]": 2, "max(3, 4) + min(1, 2)": 5, "out_size(7, 3, s=2)": 3, "'a' in ['a', 'b']": True}
    for text, value in cases.items():
        assert COMPILER.compile(text).evaluate({}) == value, text


def test_whole_numbers_stop_just_below_2_to_the_1024():
    """The bound is exact either way: 2**1023 (1,024 bits) is a number, 2**1024 is refused, by ** and
    by * alike; floats and negative bases keep Python's arithmetic."""
    from problems.checker import COMPILER
    from problems.errors import ExpressionError

    allowed = {"2 ** 32 ** 1 * 2 ** 32": 2**64, "(2 ** 64) ** 15 * 2 ** 63": 2**1023, "(-2) ** 63": -2**63,
               "((2 ** 64) ** 15 * 2 ** 63 - 1) * 1": 2**1023 - 1, "0 * (2 ** 64) ** 15": 0, "2.0 ** 64": 2.0**64}
    for text, value in allowed.items():
        assert COMPILER.compile(text).evaluate({}) == value, text
    for text in ("(2 ** 64) ** 16", "(2 ** 64) ** 15 * 2 ** 64", "(2 ** 64) ** 15 * 2 ** 63 * 2",
                 "(-2) ** 64 * (-2) ** 64 * (2 ** 64) ** 14"):
        with pytest.raises(ExpressionError) as error:
            COMPILER.compile(text).evaluate({})
        assert "would give a number of 2**1024 or more" in error.value.message, text


def test_a_require_that_computes_a_lot_gives_up_within_seconds(hw, write):
    import time
    write("t.yaml", 'params:\n  x: {matrix: [64, 64], ints: [0, 9]}\n  w: {matrix: [2, 2], ints: [0, 9]}\n'
          'require:\n  - "sum(correlate(x, w)) < 0"\n' + OK_ASK.replace('"n"', '"1"'), header=True)
    start = time.monotonic()
    result = hw("validate", "t.yaml")
    assert result.exit_code == 1
    assert "require 'sum(correlate(x, w)) < 0' did not hold in" in result.stderr
    assert time.monotonic() - start < 20      # a bound on runaway work, not a speed measurement


def test_a_layer_too_large_to_work_by_hand_is_refused(hw, write):
    write("t.yaml", 'params:\n  x: {matrix: [64, 64], ints: [0, 1]}\n  w: {matrix: [64, 1, 1, 1], ints: [0, 1]}\n'
          'network:\n  input: x\n  layers:\n    - conv: {weights: w}\n'
          'ask:\n  a: {value: 1}\nstatement: hi\n', header=True)
    result = hw("solve", "t.yaml")
    assert result.exit_code == 1
    assert result.stderr == ("Error: t.yaml:11: layer 1 (conv): 262144 output values: more than 10000, "
                             "too large for a problem worked by hand\n")

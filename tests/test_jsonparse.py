"""grader.jsonparse.loads gives what json.loads gives: the same values of the same types, or the same
exception, whichever parser did the work."""
import json
import math
import random

import pytest

from grader import jsonparse


def same(a, b) -> bool:
    """Equal and of the same types all the way down (0 is not 0.0, -0.0 is not 0.0, NaN is NaN); with
    a stack of its own, not recursion: Python 3.12 and later parse text nested deeper than the
    interpreter's recursion limit."""
    stack = [(a, b)]
    while stack:
        a, b = stack.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, float):
            if repr(a) != repr(b):
                return False
        elif isinstance(a, list):
            if len(a) != len(b):
                return False
            stack.extend(zip(a, b))
        elif isinstance(a, dict):
            if list(a) != list(b):
                return False
            stack.extend((a[k], b[k]) for k in a)
        elif a != b:
            return False
    return True


def outcome(parse, text, **kw):
    try:
        return "value", parse(text, **kw)
    except Exception as e:      # the exception's type and message are part of the contract
        return "error", (type(e), str(e))


def check(text, **kw):
    expected, got = outcome(json.loads, text, **kw), outcome(jsonparse.loads, text, **kw)
    assert expected[0] == got[0], (text, expected, got)
    if expected[0] == "value":
        assert same(expected[1], got[1]), (text, expected, got)
    else:
        assert expected[1] == got[1], (text, expected, got)


EDGES = [
    "0", "-0", "-0.0", "1e-400", "1e400", "-1e400", "1E+2", "0.1", "5e-324", "1.7976931348623157e308",
    "2.2250738585072014e-308", "123456789012345678.5", "NaN", "Infinity", "-Infinity", "[NaN]",
    "999999999999999999", "-999999999999999999", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "89544164577251475456", "[1, 123456789012345678901234567890]", "0.1234567890123456789012",
    '{"a": 1, "a": 2}', '"\\/"', '"\\ud800"', '"\\udc00x"', '"\\ud83d\\ude00"', '"\\u0000"', '"\t"',
    "\ufeff{}", " [1] ", "[1,]", "01", "1.", ".5", "", "{", '{"a" 1}', "[1] x", "tru", "nul",
    '{"student_id": "s1", "answers": {"q1": {"a": [[1, -2], [3, 4]]}}}',
    "[" * 2000 + "]" * 2000, "[" * 1100 + "]" * 1100, '"x\ud800y"',
]


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_edges_as_str_and_bytes(text):
    check(text)
    try:
        data = text.encode()
    except UnicodeEncodeError:      # a lone surrogate has no UTF-8
        return
    check(data)
    check(b"\xef\xbb\xbf" + data)


def test_nesting_up_to_1024_levels_parses_at_any_stack_depth():
    # json.loads's limit is the interpreter's recursion limit less the frames already on the stack, so
    # the same text parses or not by where it is parsed from; orjson's is 1,024 levels wherever it is
    # called.  Deeper, json.loads is tried, and raises as it would.
    if jsonparse.orjson is None:
        pytest.skip("orjson is not installed: json.loads parses everything")

    def nested(depth):
        return "[" * depth + "1" + "]" * depth

    value = jsonparse.loads(nested(1024))
    for _ in range(1024):
        value, = value
    assert value == 1
    # deeper, what json.loads does here: RecursionError on Python 3.11, a value on 3.12 and later
    # (whose limit for C code is not the interpreter's recursion limit)
    check(nested(1025).encode())


BYTES = [b'"\xff"', b"\xff", b'{"a": "\xc3"}', b'"\xed\xa0\x80"', b"\xfe\xff\x00[\x00]", b"[1]\x00",
         '"два"'.encode("utf-16"), b'{"a": 1}'.decode().encode("utf-32")]


@pytest.mark.parametrize("data", BYTES, ids=range(len(BYTES)))
def test_bytes_that_are_not_utf_8_fail_or_parse_as_json_loads(data):
    check(data)


def _reject(name):
    raise ValueError(f"{name} is not allowed in JSON")


@pytest.mark.parametrize("text", ["NaN", '{"a": [1, Infinity]}', "-Infinity", "[1, 2]"])
def test_parse_constant_is_json_loads(text):
    check(text, parse_constant=_reject)
    check(text.encode(), parse_constant=_reject)


def random_number(rnd: random.Random) -> str:
    digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 24))).lstrip("0") or "0"
    text = rnd.choice(["", "-"]) + digits
    if rnd.random() < 0.5:
        text += "." + "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 20)))
    if rnd.random() < 0.3:
        text += rnd.choice("eE") + rnd.choice(["", "+", "-"]) + str(rnd.randint(0, 330))
    return text


def random_text(rnd: random.Random, depth: int = 0) -> str:
    kind = rnd.random()
    if depth > 3 or kind < 0.5:
        return rnd.choice([random_number(rnd), random_number(rnd), '"a\\u00e9\\n"', '"два"', "true", "null"])
    items = [random_text(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    if kind < 0.75:
        return "[" + ", ".join(items) + "]"
    return "{" + ", ".join(f'"k{rnd.randint(0, 3)}": {item}' for item in items) + "}"


def test_random_text_parses_as_json_loads():
    rnd = random.Random(11)
    for _ in range(3000):
        text = random_text(rnd)
        check(text)
        check(text.encode())


def test_random_numbers_parse_as_json_loads():
    rnd = random.Random(12)
    for _ in range(20000):
        check(random_number(rnd))


def test_written_floats_round_trip():
    rnd = random.Random(13)
    values = [rnd.uniform(-1e6, 1e6) for _ in range(5000)] + [math.ldexp(rnd.random(), rnd.randint(-1070, 1020))
                                                              for _ in range(5000)]
    text = json.dumps(values)
    assert same(jsonparse.loads(text), values)
    assert same(jsonparse.loads(text.encode()), values)


def test_without_orjson_json_loads_does_it_all(monkeypatch):
    monkeypatch.setattr(jsonparse, "orjson", None)
    for text in ["18446744073709551616", "[1, 2.5]", "NaN", "[1,]"]:
        check(text)


# Columns counted by hand: the backslash that opens the escape.
SURROGATES = [
    ('"\\ud800"', 2, "\\ud800"),                      # a high half alone
    ('"ab\\udc00"', 4, "\\udc00"),                    # a low half alone
    ('["ok", "\\ud83d\\ude00\\udfff"]', 21, "\\udfff"),  # a pair, then a low half left over
    ('"\\ud800\\\\udc00"', 2, "\\ud800"),              # the low half is text after an escaped backslash
    ('"\\\\\\uDBFF"', 4, "\\udbff"),                   # an escaped backslash, then the escape
    ('{"k\\ud800": 1}', 4, "\\ud800"),                # in a key
    ('{"a": [\n  "x",\n  "\\udead"\n]}', 4, "\\udead"),   # on line 3
    ('"\\ud83d\\ude00"', None, None),                 # a pair: one character
    ('"\\uD800\\uDC00"', None, None),
    ('"\\\\ud800"', None, None),                       # a backslash, then the letters ud800
    ('"\\u00e9\\u20ac"', None, None),
]


@pytest.mark.parametrize("text, column, escape", SURROGATES, ids=range(len(SURROGATES)))
def test_loads_characters_refuses_a_lone_surrogate_escape_where_it_stands(text, column, escape):
    for data in (text, text.encode(), text.encode("utf-16")):
        if column is None:
            assert same(jsonparse.loads_characters(data), json.loads(data))
            continue
        with pytest.raises(json.JSONDecodeError) as refused:
            jsonparse.loads_characters(data)
        assert refused.value.msg == f"{escape} is half of a UTF-16 surrogate pair, not a character"
        assert refused.value.colno == column and refused.value.lineno == (3 if "\n" in text else 1)
        check(data)     # loads() is json.loads's still: it takes the text

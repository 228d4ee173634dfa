"""JSON parsed as json.loads parses it, by orjson where its result is sure to be the same.

Grading a class parses every submission and every variant's record of the
manifest (some 14 KB of text each); orjson's parser takes 40% of the standard
library's time for that.  Its results are json.loads's but in two ways:

- text json.loads accepts and orjson refuses (NaN and Infinity, 1e400, a lone
  surrogate escape, a byte order mark, nesting deeper than 1,024): orjson
  raises, and the text is parsed again by json.loads, which gives its value,
  or its own error and message;
- an integer beyond 64 bits, which orjson returns as a float: text with a run
  of 19 digits or more (the longest 64-bit integer that is sure to come back as
  an integer has 18) is parsed by json.loads without trying orjson.

So every value, type and error is json.loads's (tests compare the two on
random and on edge-case text), but for nesting: json.loads refuses text nested
deeper than the interpreter's recursion limit less the frames already on the
stack (so the same text parses or not by where it is parsed from), orjson text
nested deeper than 1,024 levels, wherever it is called.  What is deeper than
that is parsed again by json.loads, which raises RecursionError as before; an
answer nested this deep is then refused by the answer's own checks ("nested
deeper than 4 levels").  Without orjson (a platform it has no wheel
for) json.loads parses everything.

`loads_characters` is loads() for what hw reads from users (submissions, a
manifest): a lone surrogate escape ("\\ud800", half of a UTF-16 pair) is no
character, and a string holding one could not be written to any UTF-8 file
later (results.json, a feedback page), so it is refused where it stands.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

try:
    import orjson
except ImportError:         # pragma: no cover - orjson is a dependency; a platform without its wheel
    orjson = None

_DIGITS = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))     # a digit -> "0", anything else -> " "
_DIGITS_STR = str.maketrans({chr(b): "0" if 48 <= b <= 57 else " " for b in range(128)})
_LONG = 19
_RUN, _RUN_STR = b"0" * _LONG, "0" * _LONG      # 19 digits in a row, once translated


def _long_number(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        return _RUN in text.translate(_DIGITS)
    return _RUN_STR in text.translate(_DIGITS_STR)


def loads(text: str | bytes, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """json.loads(text, parse_constant=parse_constant): the same value, or the same exception."""
    return _parsed(text, parse_constant)[0]


def loads_characters(text: str | bytes, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """loads(), but for text with a lone surrogate escape, which raises json.JSONDecodeError at it
    ("\\ud800 is half of a UTF-16 surrogate pair, not a character"). orjson refuses such text
    itself, so only what json.loads parsed is looked through."""
    value, by_orjson = _parsed(text, parse_constant)
    if not by_orjson:
        if isinstance(text, bytes):         # as json.loads decodes it (UTF-8, -16 or -32)
            text = text.decode(json.detect_encoding(text), "surrogatepass")
        if "\\u" in text:
            _refuse_lone_surrogates(text)
    return value


def _parsed(text: str | bytes, parse_constant: Callable[[str], Any] | None) -> tuple[Any, bool]:
    """The value, and whether orjson parsed it."""
    if orjson is not None and not _long_number(text):
        try:
            return orjson.loads(text), True
        except orjson.JSONDecodeError:
            pass
    if parse_constant is None:
        return json.loads(text), False
    return json.loads(text, parse_constant=parse_constant), False


_SURROGATE_ESCAPE = re.compile(r"(\\+)u([dD][89abAB][0-9a-fA-F]{2}|[dD][c-fC-F][0-9a-fA-F]{2})")


def _refuse_lone_surrogates(text: str) -> None:
    """json.JSONDecodeError at the first escape of half a surrogate pair that is not paired, as
    json.loads pairs them (a high half, then at once a low one) in text it has parsed (so every
    backslash is in a string, and an even run of them is backslashes, not an escape)."""
    paired_until = 0
    for m in _SURROGATE_ESCAPE.finditer(text):
        if len(m.group(1)) % 2 == 0 or m.start() < paired_until:
            continue
        at, code = m.end(1) - 1, int(m.group(2), 16)
        if code < 0xDC00:
            low = _SURROGATE_ESCAPE.match(text, m.end())
            if low and len(low.group(1)) == 1 and int(low.group(2), 16) >= 0xDC00:
                paired_until = low.end()
                continue
        raise json.JSONDecodeError(f"\\u{m.group(2).lower()} is half of a UTF-16 surrogate pair, not a character",
                                   text, at)

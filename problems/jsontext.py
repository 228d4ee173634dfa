"""JSON text of small values, written thousands of times per class (answers on feedback pages,
wrong answers counted for the report).

json.dumps builds an encoder for every call, which costs four times the
encoding of a short list; these encoders are made once.  Their text is
json.dumps's: separators ", " and ": ", NaN allowed, no sorting.  The values are
parsed JSON and so never cyclic: the cycle check is left out.
"""
from __future__ import annotations

import json
from json import encoder as _encoder
from typing import Any, Callable


def _make(ensure_ascii: bool) -> Callable[[Any], str]:
    plain = json.JSONEncoder(ensure_ascii=ensure_ascii, check_circular=False)
    if _encoder.c_make_encoder is None:        # a Python without the json C speedups
        return plain.encode
    strings = _encoder.encode_basestring_ascii if ensure_ascii else _encoder.encode_basestring
    make = _encoder.c_make_encoder(None, plain.default, strings, None, ": ", ", ", False, False, True)

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return strings(value)
        return "".join(make(value, 0))
    return encode


text = _make(ensure_ascii=False)     # json.dumps(value, ensure_ascii=False)
ascii_text = _make(ensure_ascii=True)    # json.dumps(value)

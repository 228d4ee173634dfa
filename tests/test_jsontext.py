"""The reused JSON encoders write what json.dumps writes."""
import json
import math

import pytest

from problems import jsontext

VALUES = [0, -3, 2.5, 1e-7, 1e22, math.nan, math.inf, -math.inf, True, None, "invalid", "Ünïcode \"q\" \\ \n",
          [], {}, [[1, -2], [3, 1]], [[[0.5, 1], [2, 3]], [[4, 5], [6, 7]]], {"b": [1, {"a": None}], "a": "x"},
          [1, "два", 2.0, None, [True, False]]]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_text_as_json_dumps(value):
    assert jsontext.text(value) == json.dumps(value, ensure_ascii=False)
    assert jsontext.ascii_text(value) == json.dumps(value)

"""Reading a manifest for grading: each variant is parsed when a submission needs it.

A class of 5,000 has a manifest of some 70 MB; as Python objects that is ten
times more.  hw generate writes one variant per line, so the variants can be
found by line and parsed one at a time; a manifest laid out otherwise (edited
by hand, say) is parsed whole, as before.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

from problems.errors import HwError

VARIANTS_OPENING = ',\n  "variants": {\n'
CACHE = 64


class LazyVariants(Mapping):
    """Variant id -> its record, parsed from its own line on first use (a few kept)."""

    def __init__(self, text: str, spans: "OrderedDict[str, tuple[int, int]]"):
        self._text = text
        self._spans = spans
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def __getitem__(self, variant_id: str) -> dict[str, Any]:
        if variant_id in self._cache:
            self._cache.move_to_end(variant_id)
            return self._cache[variant_id]
        start, end = self._spans[variant_id]
        record = json.loads(self._text[start:end])
        self._cache[variant_id] = record
        if len(self._cache) > CACHE:
            self._cache.popitem(last=False)
        return record

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, variant_id: object) -> bool:
        return variant_id in self._spans


def _index(text: str, opening: int) -> OrderedDict | None:
    """The span of each variant's record, when the variants stand one per line as hw writes them."""
    decoder = json.JSONDecoder()
    spans: OrderedDict[str, tuple[int, int]] = OrderedDict()
    position = opening + len(VARIANTS_OPENING)
    while True:
        end_of_line = text.find("\n", position)
        if end_of_line < 0:
            return None
        line = text[position:end_of_line]
        if line == "  }":
            return spans if text[end_of_line:].strip() == "}" else None
        if not line.startswith("    \""):
            return None
        key, after = decoder.raw_decode(text, position + 4)
        if text[after:after + 2] != ": " or not isinstance(key, str):
            return None
        stop = end_of_line - 1 if text[end_of_line - 1] == "," else end_of_line
        spans[key] = (after + 2, stop)
        position = end_of_line + 1


def load_manifest(path: str) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise HwError("no manifest here: run hw generate first, or give --manifest", file=path)
    try:
        text = file.read_text(encoding="utf-8")
        opening = text.find(VARIANTS_OPENING)
        spans = _index(text, opening) if opening > 0 else None
        if spans:
            manifest = json.loads(text[:opening] + "\n}")
            manifest["variants"] = LazyVariants(text, spans)
        else:
            manifest = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as e:
        raise HwError(f"not a manifest written by hw generate: {e}", file=path) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("variants"), Mapping) or not manifest["variants"]:
        raise HwError("not a manifest written by hw generate (no variants)", file=path)
    return manifest


def first_variant(manifest: dict[str, Any]) -> dict[str, Any]:
    """Any variant: they share the questions' titles, families, points and parts."""
    return manifest["variants"][next(iter(manifest["variants"]))]

"""Checking a template's `network` and `ask` sections."""
from __future__ import annotations

import re
from typing import Any

from problems.checker import Checker, kind_of, suggest
from problems.spec import LayerSpec, NetworkSpec, Part

LAYER_OPTIONS = {
    "conv": ("weights", "bias", "filters", "size", "stride", "pad", "dilation", "groups", "flip"),
    "maxpool": ("size", "stride"), "avgpool": ("size", "stride"),
    "relu": (), "flatten": (), "fc": ("units", "weights", "bias"),
}
QUERIES = ("value", "shape", "size", "params", "weights", "biases", "weight_shape", "expr")
PART_OPTIONS = ("points", "tolerance", "decimals", "all_or_nothing")
PART_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
DEFAULT_TOLERANCE = 1e-6


def network_spec(c: Checker, raw: Any, known: list[str]) -> NetworkSpec | None:
    path = ("network",)
    if not isinstance(raw, dict):
        c.error(path, "network must be a mapping with input and layers")
        return None
    c.keys(raw, ("input", "layers"), path, "network")
    input_param, input_shape = None, ()
    source = raw.get("input")
    if isinstance(source, str):
        if source not in known:
            c.error(path + ("input",), f"input {source!r} is not a param{suggest(source, known)}")
        input_param = source
    elif isinstance(source, dict) and set(source) == {"shape"} and isinstance(source["shape"], list) \
            and len(source["shape"]) in (1, 3):
        input_shape = tuple(c.value(v, path + ("input", "shape", i), known) for i, v in enumerate(source["shape"]))
    else:
        c.error(path + ("input",), "input must name an array param, or be {shape: [W, H, C]} or {shape: [N]}")
    layers_raw = raw.get("layers")
    if not isinstance(layers_raw, list) or not layers_raw:
        c.error(path + ("layers",), "layers must be a non-empty list")
        layers_raw = []
    layers = [_layer(c, item, path + ("layers", i), known) for i, item in enumerate(layers_raw)]
    return NetworkSpec(input_param, input_shape, tuple(layers), c.lines.get(path))


def _layer(c: Checker, item: Any, path: tuple, known: list[str]) -> LayerSpec:
    line = c.lines.get(path)
    if isinstance(item, str):
        kind, options = item, {}
    elif isinstance(item, dict) and len(item) == 1:
        kind, options = next(iter(item.items()))
        options = {} if options is None else options
    else:
        c.error(path, "a layer is a name (relu) or one name with its options (conv: {...})")
        return LayerSpec("?", (), line)
    if kind not in LAYER_OPTIONS:
        c.error(path, f"unknown layer {kind!r}{suggest(kind, LAYER_OPTIONS)}")
        return LayerSpec(str(kind), (), line)
    if not isinstance(options, dict):
        c.error(path, f"the options of {kind} must be a mapping, not {kind_of(options)}")
        return LayerSpec(kind, (), line)
    c.keys(options, LAYER_OPTIONS[kind], path + (kind,), f"layer {kind}")
    values = tuple((k, c.value(v, path + (kind, k), known)) for k, v in options.items() if k in LAYER_OPTIONS[kind])
    given = set(options)
    if kind == "conv" and ("weights" in given) == bool({"filters", "size"} & given):
        c.error(path, "conv needs either weights: <array param> or filters: K and size: F")
    elif kind == "conv" and "weights" not in given and not {"filters", "size"} <= given:
        c.error(path, "conv needs both filters: K and size: F")
    if kind == "fc" and ("weights" in given) == ("units" in given):
        c.error(path, "fc needs either units: N or weights: <array param>")
    return LayerSpec(kind, values, line)


def parts_spec(c: Checker, raw: Any, network: NetworkSpec | None, known: list[str], points: Any) -> list[Part]:
    if raw is None:
        return []
    if not isinstance(raw, dict) or not raw:
        c.error(("ask",), "ask must be a mapping of part name: query")
        return []
    if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0):
        c.error(("points",), "points must be a number >= 0")
        points = None
    parts = [p for p in (_part(c, name, spec, network, known) for name, spec in raw.items()) if p]
    given = [p for p in parts if p.points is not None]
    if parts and not given:
        if points is None:
            return [_with_points(p, 1.0) for p in parts]
        shares = [round(points / len(parts), 4)] * len(parts)
        shares[-1] = round(points - sum(shares[:-1]), 4)   # the parts add up to the template's points exactly
        return [_with_points(p, share) for p, share in zip(parts, shares)]
    if len(given) != len(parts):
        c.error(("ask",), "give points to every part, or to none (the template's points are then shared)")
    elif points is not None and abs(sum(p.points for p in parts) - points) > 1e-9:
        c.error(("points",), f"points is {points} but the parts add up to {sum(p.points for p in parts):g}")
    return parts


def _with_points(part: Part, points: float) -> Part:
    from dataclasses import replace
    return replace(part, points=points)


def _part(c: Checker, name: Any, spec: Any, network: NetworkSpec | None, known: list[str]) -> Part | None:
    path = ("ask", name)
    if not isinstance(name, str) or not PART_PATTERN.match(name):
        c.error(path, f"part name {name!r} may use only letters, digits, '_' and '-'")
        return None
    if not isinstance(spec, dict):
        c.error(path, f"part {name!r} must be a mapping such as {{value: 1, points: 2}}")
        return None
    c.keys(spec, QUERIES + PART_OPTIONS, path, f"part {name!r}")
    queries = [q for q in QUERIES if q in spec]
    if len(queries) != 1:
        c.error(path, f"part {name!r} needs exactly one query of: {', '.join(QUERIES)}")
        return None
    query, arg = queries[0], spec[queries[0]]
    expr, layer = None, None
    if query == "expr":
        expr = c.expr(arg, path + ("expr",), known)
    elif network is None:
        c.error(path, f"part {name!r} asks for {query} but the template has no network")
    else:
        layer = _layer_index(c, query, arg, path + (query,), network)
    points = spec.get("points")
    if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0):
        c.error(path + ("points",), "points must be a number >= 0")
    tolerance = spec.get("tolerance", DEFAULT_TOLERANCE)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 1:
        c.error(path + ("tolerance",), "tolerance must be a relative tolerance in [0, 1)")
    exact = spec.get("all_or_nothing", False)
    if not isinstance(exact, bool):
        c.error(path + ("all_or_nothing",), "all_or_nothing must be true or false")
    decimals = spec.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6):
        c.error(path + ("decimals",), "decimals must be a whole number from 0 to 6 (answers rounded so are right)")
        decimals = None
    return Part(name, query, layer, expr, float(points) if points is not None else None,
                float(tolerance) if isinstance(tolerance, (int, float)) else DEFAULT_TOLERANCE,
                exact is True, c.lines.get(path), decimals)


def _layer_index(c: Checker, query: str, arg: Any, path: tuple, network: NetworkSpec) -> int | str | None:
    count = len(network.layers)
    if arg == "all" and query in ("params", "weights", "biases"):
        return "all"
    lowest = 0 if query in ("value", "shape") else 1
    if isinstance(arg, bool) or not isinstance(arg, int) or not lowest <= arg <= count:
        extra = " or 'all'" if query in ("params", "weights", "biases") else ""
        c.error(path, f"{query} must be a layer number from {lowest} to {count}{extra}")
        return None
    if query == "value" and network.input_param is None:
        c.error(path, "value needs a network whose input is an array param, not only a shape")
    elif query == "value":
        unknown = next((i for i, layer in enumerate(network.layers[:arg], start=1)
                        if layer.kind in ("conv", "fc") and "weights" not in dict(layer.options)), None)
        if unknown is not None:
            kind = network.layers[unknown - 1].kind
            c.error(path, f"value {arg} needs the numbers of layer {unknown} ({kind}): give it weights: (an "
                          f"array param) rather than {'filters and size' if kind == 'conv' else 'units'} alone")
    if query in ("weights", "biases", "weight_shape") and network.layers[arg - 1].kind not in ("conv", "fc"):
        c.error(path, f"layer {arg} ({network.layers[arg - 1].kind}) has no {query.replace('_', ' ')}")
    return arg

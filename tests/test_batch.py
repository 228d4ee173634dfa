"""grader.batch.rebuild_many against grader.context.rebuild, record by record, on random networks."""
import random

import numpy as np
import pytest

from grader.batch import conv_changes, rebuild_many
from grader.context import rebuild


def _ints(rng, *shape, low=-4, high=4):
    return np.array([rng.randint(low, high) for _ in range(int(np.prod(shape)))]).reshape(shape).tolist()


def _layout(rng):
    """A network's layout as a template draws one: input size, layers and their scalar options."""
    channels = rng.choice([1, 1, 2, 3])
    size = rng.randint(3, 9)
    layers = []
    conv = {"f": rng.randint(1, 3), "k": rng.choice([1, 2]), "stride": rng.choice([1, 1, 2, 3]),
            "pad": rng.choice([0, 0, 1, 2]), "dilation": rng.choice([1, 1, 2]), "flip": rng.choice([None, False, True]),
            "bias": rng.choice(["none", "array", "scalar", "false"]), "plain": channels == 1 and rng.random() < 0.5}
    layers.append(("conv", conv))
    for kind in rng.sample(["relu", "maxpool", "avgpool", "relu", "conv2"], rng.randint(0, 3)):
        layers.append((kind, {"size": rng.choice([1, 2, 3]), "stride": rng.choice([None, 1, 2])}))
    return {"channels": channels, "size": size, "layers": layers, "matrix": channels == 1 and rng.random() < 0.5,
            "floats": rng.random() < 0.1}


def _record(rng, layout):
    """A question's record, as the manifest holds one, of that layout with numbers of its own."""
    c, size = layout["channels"], layout["size"]
    params = {"x": _ints(rng, size, size) if layout["matrix"] else _ints(rng, c, size, size)}
    if layout["floats"]:
        params["x"] = (np.asarray(params["x"]) + 0.5).tolist()
    layers, depth = [], c
    for kind, o in layout["layers"]:
        if kind in ("conv", "conv2"):
            o = o if kind == "conv" else layout["layers"][0][1]
            name = f"w{len(layers)}"
            params[name] = (_ints(rng, o["f"], o["f"], low=-2, high=2) if o["plain"] and depth == 1 and o["k"] == 1
                            else _ints(rng, o["k"], depth, o["f"], o["f"], low=-2, high=2))
            options = {"weights": {"param": name}, "stride": o["stride"]}
            if o["pad"]:
                options["pad"] = o["pad"]
            if o["dilation"] > 1:
                options["dilation"] = o["dilation"]
            if o["flip"] is not None:
                options["flip"] = o["flip"]
            if o["bias"] == "array":
                params[f"b{len(layers)}"] = _ints(rng, o["k"])
                options["bias"] = {"param": f"b{len(layers)}"}
            elif o["bias"] == "scalar":
                options["bias"] = 1
            elif o["bias"] == "false":
                options["bias"] = False
            depth = o["k"]
            layers.append({"kind": "conv", "options": options})
        elif kind == "relu":
            layers.append({"kind": "relu", "options": {}})
        else:
            options = {"size": o["size"]} if o["stride"] is None else {"size": o["size"], "stride": o["stride"]}
            layers.append({"kind": kind, "options": options})
    return {"network": {"input_value": {"param": "x"}, "layers": layers}, "params": params}


def _same(a, b):
    """Two LayerResult lists are the same, field by field (arrays: values, type and shape)."""
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert (x.kind, x.shape, x.as_matrix, x.weights, x.biases, x.weight_shape) == \
               (y.kind, y.shape, y.as_matrix, y.weights, y.biases, y.weight_shape)
        assert x.options.keys() == y.options.keys()
        for key in x.options:
            assert np.array_equal(x.options[key], y.options[key]) and type(x.options[key]) is type(y.options[key])
        if x.value is None or y.value is None:
            assert x.value is None and y.value is None
        else:
            assert x.value.dtype == y.value.dtype and x.value.shape == y.value.shape
            assert np.array_equal(x.value, y.value)


def test_stacked_networks_are_rebuild_s_record_by_record():
    rng = random.Random(5)
    stacked = plain = 0
    for _ in range(600):
        layout = _layout(rng)
        records = [_record(rng, layout) for _ in range(rng.randint(1, 5))]
        for record, found in zip(records, rebuild_many(records)):
            try:
                expected = rebuild(record)
            except Exception:           # noqa: BLE001 - a layout that does not fit: never stacked
                assert found is None
                continue
            if found is None:
                plain += 1
            else:
                stacked += 1
                _same(found, expected)
    assert stacked > 500 and plain > 500           # both ways were taken, often


def test_the_lecture_s_homework_is_stacked_and_a_mixed_list_keeps_its_order():
    """The 5x5 homework (conv stride 2, ReLU, 2x2 max pool) drawn for many students, among records
    that are not stacked: one without an input, one alone of its layout."""
    rng = random.Random(1)
    layers = [{"kind": "conv", "options": {"weights": {"param": "w"}, "stride": 2}},
              {"kind": "relu", "options": {}}, {"kind": "maxpool", "options": {"size": 2}}]
    homework = [{"network": {"input_value": {"param": "x"}, "layers": layers},
                 "params": {"x": _ints(rng, 5, 5), "w": _ints(rng, 3, 3, low=-1, high=2)}} for _ in range(6)]
    shapes = {"network": {"input_value": None, "input_shape": [32, 32, 3],
                          "layers": [{"kind": "conv", "options": {"filters": 4, "size": 3}}]}, "params": {}}
    alone = {"network": {"input_value": {"param": "x"}, "layers": layers[:1]},
             "params": {"x": _ints(rng, 4, 4), "w": _ints(rng, 3, 3)}}
    records = homework[:3] + [shapes, alone] + homework[3:]
    found = rebuild_many(records)
    assert [f is not None for f in found] == [True, True, True, False, False, True, True, True]
    for record, results in zip(records, found):
        if results is not None:
            _same(results, rebuild(record))
    x, w = np.asarray(homework[0]["params"]["x"]), np.asarray(homework[0]["params"]["w"])
    conv = [[int((x[2 * i:2 * i + 3, 2 * j:2 * j + 3] * w).sum()) for j in range(2)] for i in range(2)]
    assert found[0][1].value[0].tolist() == conv                          # worked out by hand's formula
    assert found[0][3].value[0].tolist() == [[max(0, max(max(row) for row in conv))]]


@pytest.mark.parametrize("edit", ["points", "groups"])
def test_a_layout_the_stacked_run_does_not_cover_is_left_to_rebuild(edit):
    rng = random.Random(2)
    options = {"weights": {"param": "w"}, "groups": 2} if edit == "groups" else {"weights": {"param": "w"}}
    depth = 1 if edit == "groups" else 2
    records = [{"network": {"input_value": {"param": "x"}, "layers": [{"kind": "conv", "options": options}]},
                "params": {"x": _ints(rng, 2, 4, 4), "w": _ints(rng, 2, depth, 2, 2)}} for _ in range(3)]
    if edit == "points":
        records[1]["params"]["w"] = _ints(rng, 2, depth, 3, 3)     # another layout: two of one, one of another
    found = rebuild_many(records)
    if edit == "groups":
        assert found == [None, None, None]
    else:
        assert found[1] is None and found[0] is not None and found[2] is not None
        for i in (0, 2):
            _same(found[i], rebuild(records[i]))


def test_a_stacked_conv_layer_s_reruns_are_the_plain_reruns_and_name_the_same_methods():
    """The named wrong methods rerun a conv layer with changed options (flipped, stride 1, no
    padding, no bias, W transposed, one input channel only); a network run stacked has those reruns already. Each is the
    plain rerun's value, and conv_value names the same methods with the same numbers either way."""
    from grader.context import Situation
    from grader.misconceptions_values import _rerun, conv_value

    rng = random.Random(9)
    checked = set()
    for _ in range(300):
        layout = _layout(rng)
        records = [_record(rng, layout) for _ in range(3)]
        for record, found in zip(records, rebuild_many(records)):
            if found is None:
                continue
            plain = rebuild(record)
            for index, layer in enumerate(plain):
                if layer.kind != "conv":
                    continue
                for changes in conv_changes(layer.options):
                    stacked_value = _rerun(Situation("value", "conv", results=found, index=index), **changes)
                    plain_value = _rerun(Situation("value", "conv", results=plain, index=index), **changes)
                    if plain_value is None:
                        assert stacked_value is None
                        continue
                    assert stacked_value.dtype == plain_value.dtype and np.array_equal(stacked_value, plain_value)
                    assert stacked_value.shape == plain_value.shape
                    checked.add(next(iter(changes)))
                mine = conv_value(Situation("value", "conv", results=found, index=index))
                theirs = conv_value(Situation("value", "conv", results=plain, index=index))
                assert [(c.id, c.why, c.wrong.tolist()) for c in mine] == [(c.id, c.why, c.wrong.tolist()) for c in theirs]
    assert checked == {"flip", "stride", "pad", "bias", "transposed", "only_channel"}


def test_stacked_reruns_are_found_and_not_recomputed(monkeypatch):
    """A stacked network's reruns come from its table: the plain run is not called for them."""
    import grader.misconceptions_values as values
    from grader.context import Situation

    rng = random.Random(3)
    layers = [{"kind": "conv", "options": {"weights": {"param": "w"}, "stride": 2, "pad": 1, "bias": {"param": "b"}}}]
    records = [{"network": {"input_value": {"param": "x"}, "layers": layers},
                "params": {"x": _ints(rng, 5, 5), "w": _ints(rng, 3, 3), "b": [2]}} for _ in range(4)]
    found = rebuild_many(records)
    assert len(found[0].reruns) == 5          # flipped, stride 1, no padding, no bias, transposed
    monkeypatch.setattr(values, "run", lambda *a: pytest.fail("the plain run was called"))
    for results in found:
        assert len(values.conv_value(Situation("value", "conv", results=results, index=1))) >= 4

"""`hw solve` on random templates with fixed params, checked against PyTorch (skipped without it)."""
import json

import numpy as np
import pytest
import yaml

torch = pytest.importorskip("torch")
F = torch.nn.functional


def t(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64)


def configs(count, seed=2024):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        groups = int(rng.choice([1, 2]))
        c, k = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
        f, s, p, d = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(0, 2)), int(rng.integers(1, 3))
        h = int(rng.integers(4, 9))
        yield dict(
            x=rng.integers(-3, 4, size=(c, h, h)).tolist(),
            w=rng.integers(-2, 3, size=(k, c // groups, f, f)).tolist(),
            b=rng.integers(-2, 3, size=k).tolist(),
            s=s, p=p, d=d, g=groups, pool=str(rng.choice(["maxpool", "avgpool"])))


@pytest.mark.parametrize("cfg", list(configs(40)))
def test_solve_agrees_with_torch(hw, write, cfg):
    template = {
        "id": "random", "family": "forward-pass",
        "params": {"x": cfg["x"], "w": cfg["w"], "b": cfg["b"]},
        "network": {"input": "x", "layers": [
            {"conv": {"weights": "w", "bias": "b", "stride": cfg["s"], "pad": cfg["p"],
                      "dilation": cfg["d"], "groups": cfg["g"]}},
            "relu",
            {cfg["pool"]: {"size": 2, "stride": 2}}]},
        "ask": {"conv": {"value": 1}, "relu": {"value": 2}, "pool": {"value": 3}, "shape": {"shape": 1},
                "params": {"params": "all"}},
    }
    write("t.yaml", yaml.safe_dump(template))
    result = hw("solve", "t.yaml")
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)["answers"]

    x, w, b = t(cfg["x"])[None], t(cfg["w"]), t(cfg["b"])
    k, cg, f, _ = w.shape
    assert answers["params"] == k * cg * f * f + k
    span = cfg["d"] * (f - 1) + 1
    fits = (x.shape[2] - span + 2 * cfg["p"]) % cfg["s"] == 0 and x.shape[2] + 2 * cfg["p"] >= span
    if not fits:   # torch floors; the lecture's rule says the stride does not fit
        assert answers["conv"] == answers["relu"] == answers["pool"] == answers["shape"] == "invalid"
        return
    conv = F.conv2d(x, w, b, stride=cfg["s"], padding=cfg["p"], dilation=cfg["d"], groups=cfg["g"])
    assert np.allclose(answers["conv"], conv[0].numpy())
    assert answers["shape"] == [conv.shape[3], conv.shape[2], conv.shape[1]]
    relu = F.relu(conv)
    assert np.allclose(answers["relu"], relu[0].numpy())
    if conv.shape[2] % 2:
        assert answers["pool"] == "invalid"
    else:
        pool = (F.max_pool2d if cfg["pool"] == "maxpool" else F.avg_pool2d)(relu, 2, 2)
        assert np.allclose(answers["pool"], pool[0].numpy())


def test_fully_connected_chain_agrees_with_torch(hw, write):
    rng = np.random.default_rng(3)
    x, w1, b1, w2 = (rng.integers(-3, 4, size=s).tolist() for s in [(2, 3, 3), (5, 18), (5,), (4, 5)])
    write("t.yaml", yaml.safe_dump({
        "id": "fc", "family": "fully-connected", "params": {"x": x, "w1": w1, "b1": b1, "w2": w2},
        "network": {"input": "x", "layers": [{"fc": {"weights": "w1", "bias": "b1"}}, "relu",
                                              {"fc": {"weights": "w2", "bias": False}}]},
        "ask": {"h": {"value": 1}, "out": {"value": 3}, "n": {"params": "all"}}}))
    answers = json.loads(hw("solve", "t.yaml").stdout)["answers"]
    h = F.linear(t(x).reshape(-1), t(w1), t(b1))
    out = F.linear(F.relu(h), t(w2))
    assert np.allclose(answers["h"], h.numpy()) and np.allclose(answers["out"], out.numpy())
    assert answers["n"] == 5 * 18 + 5 + 4 * 5

"""Each named wrong method, recognized in a wrong answer worked out by hand, beside a plain wrong answer."""
import pytest
from conftest import question_record_from

from grader.score import score_question

X4 = "[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]"
W2 = "[[1, 2], [0, -1]]"
# by hand: cross-correlation with stride 2 gives [[-1, 3], [15, 19]]; the flipped kernel [[-1, 0], [2, 1]]
# gives [[15, 19], [31, 35]]; the transposed kernel [[1, 0], [2, -1]] gives [[5, 9], [21, 25]]

TEMPLATES = {
    "size": """
        id: t
        family: output-size
        params: {w1: 13, f: 3, s: 2, p: 4}
        network: {input: {shape: [w1, w1, 3]}, layers: [{conv: {filters: 2, size: f, stride: s, pad: p}}]}
        ask: {w2: {size: 1}}
        """,
    "invalid": """
        id: t
        family: output-size
        network: {input: {shape: [7, 7, 1]}, layers: [{conv: {filters: 1, size: 3, stride: 3}}]}
        ask: {w2: {size: 1}}
        """,
    "pool-odd": """
        id: t
        family: pooling
        network: {input: {shape: [7, 7, 4]}, layers: [{maxpool: {size: 2, stride: 2}}]}
        ask: {w2: {size: 1}, volume: {shape: 1}}
        """,
    "volume-odd": """
        id: t
        family: output-volume
        network: {input: {shape: [7, 7, 3]}, layers: [{conv: {filters: 5, size: 3, stride: 3}}]}
        ask: {volume: {shape: 1}}
        """,
    "dilated": """
        id: t
        family: dilation-groups
        network: {input: {shape: [16, 16, 1]}, layers: [{conv: {filters: 1, size: 3, dilation: 2}}]}
        ask: {w2: {size: 1}, eff: {expr: "effective_size(5, 3)"}}
        """,
    "volume": """
        id: t
        family: output-volume
        network: {input: {shape: [32, 32, 3]}, layers: [{conv: {filters: 10, size: 5, stride: 1, pad: 2}}]}
        ask: {volume: {shape: 1}, params: {params: 1}, weights: {weights: 1}, biases: {biases: 1}}
        """,
    "groups": """
        id: t
        family: dilation-groups
        network: {input: {shape: [28, 28, 32]}, layers: [{conv: {filters: 64, size: 3, pad: 1, groups: 4}}]}
        ask: {weights: {weights: 1}}
        """,
    "pool": """
        id: t
        family: pooling
        network: {input: {shape: [8, 8, 6]}, layers: [{maxpool: {size: 2, stride: 2}}]}
        ask: {w2: {size: 1}, params: {params: 1}, volume: {shape: 1}}
        """,
    "fc": """
        id: t
        family: fully-connected
        network: {input: {shape: [4, 4, 8]}, layers: [flatten, {fc: {units: 10}}]}
        ask: {length: {shape: 1}, params: {params: 2}, w: {weight_shape: 2}}
        """,
    "forward": f"""
        id: t
        family: forward-pass
        params: {{x: {X4}, w: {W2}}}
        network: {{input: x, layers: [{{conv: {{weights: w, stride: 2}}}}, relu, {{maxpool: {{size: 2, stride: 2}}}}]}}
        ask: {{conv: {{value: 1}}, relu: {{value: 2}}, pool: {{value: 3}}}}
        """,
    "bias": """
        id: t
        family: forward-pass
        params: {x: [[1, 2], [3, 4]], w: [[1, 0], [0, -1]], b: 2}
        network: {input: x, layers: [{conv: {weights: w, bias: b, pad: 1}}]}
        ask: {conv: {value: 1}}
        """,
    "maps": """
        id: t
        family: forward-pass
        params: {x: [[1, 2, 0], [0, 1, 3], [2, 0, 1]], w: [[[[1, 0], [0, 1]]], [[[0, 1], [1, 0]]]]}
        network: {input: x, layers: [{conv: {weights: w}}, relu]}
        ask: {conv: {value: 1}, relu: {value: 2}}
        """,
    "channels": """
        id: t
        family: forward-pass
        params:
          x: [[[1, 2, 0], [0, 1, 3], [2, 0, 1]], [[0, 1, 1], [2, 0, 0], [1, 1, 2]]]
          w: [[[[1, 0], [0, 1]], [[0, 1], [1, 0]]]]
          b: [1]
        network: {input: x, layers: [{conv: {weights: w, bias: b}}]}
        ask: {conv: {value: 1}}
        """,
    "correlation": f"""
        id: t
        family: conv-vs-correlation
        params: {{x: {X4}, w: {W2}}}
        ask: {{conv: {{expr: "convolve(x, w, 2)"}}, corr: {{expr: "correlate(x, w, 2)"}}}}
        """,
    "one-axis": """
        id: t
        family: conv-vs-correlation
        params: {x: [[1, 0, 2], [0, 3, 1], [2, 1, 0]], w: [[1, 2], [0, -1]]}
        ask: {conv: {expr: "convolve(x, w)"}}
        """,
    "padding": """
        id: t
        family: same-padding
        ask: {p: {expr: "same_pad(5)"}}
        """,
    "keras": """
        id: t
        family: keras-padding
        ask: {valid: {expr: "keras_size(7, 3, 2, 'valid')"}, same: {expr: "keras_size(7, 3, 2, 'same')"}}
        """,
    "perceptron": """
        id: t
        family: perceptron
        params: {w: [1, -2, 0], x: [1, 1, 1]}
        ask: {y: {expr: "perceptron_output(w, x, 0)"}, w_new: {expr: "perceptron_update(w, x, 1, 0.5, 0)"}}
        """,
    "tracing": """
        id: t
        family: shape-tracing
        network:
          input: {shape: [8, 8, 3]}
          layers: [{conv: {filters: 4, size: 3, pad: 1}}, relu, {maxpool: {size: 2}}, {fc: {units: 10}}]
        ask: {conv: {shape: 1}, total: {params: all}}
        """,
}

# (template, part, a wrong answer worked out by hand, the method it shows)
CASES = [
    # 13x13, F=3, S=2, P=4: right (13 - 3 + 8)/2 + 1 = 10
    ("size", "w2", 9, "forgot-plus-one"),                      # (13 - 3 + 8)/2
    ("size", "w2", 6, "ignored-padding"),                      # (13 - 3)/2 + 1
    ("size", "w2", 8, "padding-once"),                         # (13 - 3 + 4)/2 + 1
    ("size", "w2", 19, "ignored-stride"),                      # 13 - 3 + 8 + 1
    ("invalid", "w2", 2, "rounded-invalid"),                   # (7 - 3)/3 + 1 = 2.33 floored
    ("invalid", "w2", 3, "rounded-invalid"),                   # ... or rounded up
    ("invalid", "w2", 2.33, "gave-the-fraction"),              # ... or written down as it came out
    ("invalid", "w2", 2.3, "gave-the-fraction"),
    # 7x7x4, 2x2 pooling, stride 2: (7 - 2)/2 + 1 = 3.5
    ("pool-odd", "w2", 3, "rounded-invalid"),
    ("pool-odd", "w2", 3.5, "gave-the-fraction"),
    ("pool-odd", "volume", [4, 4, 4], "rounded-invalid"),
    ("pool-odd", "volume", [3.5, 3.5, 4], "gave-the-fraction"),
    # 7x7x3, five 3x3 filters, stride 3: (7 - 3)/3 + 1 = 2.33
    ("volume-odd", "volume", [2, 2, 5], "rounded-invalid"),
    ("volume-odd", "volume", [2.33, 2.33, 5], "gave-the-fraction"),
    ("dilated", "w2", 14, "forgot-dilation"),                  # (16 - 3) + 1 instead of (16 - 5) + 1 = 12
    ("dilated", "eff", 15, "dilation-times-f"),                # 3 * 5 instead of 3 * 4 + 1 = 13
    ("dilated", "eff", 12, "dilation-forgot-plus-one"),        # 3 * (5 - 1)
    ("dilated", "eff", 8, "dilation-added"),                   # 5 + 3
    ("volume", "volume", [28, 28, 10], "ignored-padding"),     # (32 - 5)/1 + 1
    ("volume", "volume", [32, 32, 3], "depth-is-input-depth"),
    ("volume", "volume", [10, 32, 32], "channels-first"),     # 32x32x10 as PyTorch prints it
    ("volume", "params", 750, "forgot-biases"),                # 5*5*3*10 without the 10 biases
    ("volume", "params", 260, "forgot-input-depth"),           # 5*5*10 + 10
    ("volume", "params", 76, "one-filter-only"),               # 5*5*3 + 1
    ("volume", "weights", 760, "counted-biases"),
    # the output is 32x32x10 = 10,240 numbers; a filter per position: 76 or 75 parameters for each
    ("volume", "params", 10240, "counted-outputs"),
    ("volume", "weights", 10240, "counted-outputs"),
    ("volume", "params", 778240, "no-weight-sharing"),
    ("volume", "weights", 768000, "no-weight-sharing"),
    ("volume", "biases", 0, "forgot-biases"),
    ("volume", "biases", 1, "one-bias-per-layer"),
    ("groups", "weights", 18432, "ignored-groups"),            # 3*3*32*64 instead of 3*3*8*64 = 4608
    ("pool", "w2", 3, "forgot-plus-one"),                      # (8 - 2)/2
    ("pool", "w2", 7, "ignored-stride"),                       # 8 - 2 + 1
    ("pool", "params", 24, "counted-params-of-a-fixed-layer"),
    ("pool", "volume", [4, 4, 3], "pool-changed-depth"),
    ("pool", "volume", [6, 4, 4], "channels-first"),          # 4x4x6
    ("fc", "length", [16], "forgot-input-depth"),              # 4*4 instead of 4*4*8 = 128
    ("fc", "params", 1280, "forgot-biases"),                   # 10*128
    ("fc", "params", 170, "forgot-input-depth"),               # 10*16 + 10
    ("fc", "params", 1408, "bias-per-input"),                  # 10*128 + 128
    ("fc", "w", [128, 10], "transposed"),
    ("forward", "conv", [[15, 19], [31, 35]], "flipped-kernel"),
    ("forward", "conv", [[-1, 1, 3], [7, 9, 11], [15, 17, 19]], "ignored-stride"),
    ("forward", "conv", [[5, 9], [21, 25]], "transposed-kernel"),
    ("forward", "relu", [[-1, 3], [15, 19]], "forgot-relu"),
    ("forward", "relu", [[1, 3], [15, 19]], "relu-abs"),
    ("forward", "relu", [[-1, 0], [0, 0]], "relu-min"),
    ("forward", "pool", [[9.25]], "average-instead-of-max"),   # (0 + 3 + 15 + 19)/4
    ("forward", "pool", [[0]], "min-instead-of-max"),
    # two filters on x: x[i][j] + x[i+1][j+1] gives [[2, 5], [0, 2]], x[i][j+1] + x[i+1][j] gives
    # [[2, 1], [3, 3]]; nested row, column, then map (H x W x C) they are [[[2, 2], [5, 1]], [[0, 3], [2, 3]]]
    ("maps", "conv", [[[2, 2], [5, 1]], [[0, 3], [2, 3]]], "channels-last"),
    ("maps", "relu", [[[2, 2], [5, 1]], [[0, 3], [2, 3]]], "channels-last"),
    # one filter over two channels: x0[i][j] + x0[i+1][j+1] is [[2, 5], [0, 2]], x1[i][j+1] + x1[i+1][j]
    # is [[3, 1], [1, 1]]; with b = 1 the map is [[6, 7], [2, 4]], from channel 1 or 2 alone [[3, 6], [1, 3]]
    # or [[4, 2], [2, 2]]
    ("channels", "conv", [[[3, 6], [1, 3]]], "one-channel-only"),
    ("channels", "conv", [[[4, 2], [2, 2]]], "one-channel-only"),
    ("channels", "conv", [[[5, 6], [1, 3]]], "forgot-bias"),
    ("forward", "conv", [[-1, 15], [3, 19]], "transposed-output"),       # [[-1, 3], [15, 19]] column by column
    ("forward", "relu", [[0, 15], [3, 19]], "transposed-output"),
    ("maps", "conv", [[[2, 0], [5, 2]], [[2, 3], [1, 3]]], "transposed-output"),   # each map transposed
    # padded by hand: out[i][j] = xp[i][j] - xp[i+1][j+1] + 2, so [[1, 0, 2], [-1, -1, 4], [2, 5, 6]]
    ("bias", "conv", [[-1, -2, 0], [-3, -3, 2], [0, 3, 4]], "forgot-bias"),
    ("bias", "conv", [[-1]], "ignored-padding"),                # 1*1 + 4*(-1) + 2 on the 2x2 input
    ("bias", "conv", [[3, 4, 2], [5, 5, 0], [2, -1, -2]], "flipped-kernel"),   # -xp[i][j] + xp[i+1][j+1] + 2
    ("correlation", "conv", [[-1, 3], [15, 19]], "did-not-flip"),
    ("correlation", "conv", [[5, 9], [21, 25]], "transposed-kernel"),
    ("correlation", "corr", [[15, 19], [31, 35]], "flipped-kernel"),
    # convolve(x, w) slides W rotated, [[-1, 0], [2, 1]]: [[2, 7], [5, -1]]; with only its rows
    # flipped, [[0, -1], [1, 2]], or only its columns, [[2, 1], [-1, 0]]:
    ("one-axis", "conv", [[6, 3], [1, 0]], "flipped-one-axis"),
    ("one-axis", "conv", [[2, -1], [1, 6]], "flipped-one-axis"),
    ("one-axis", "conv", [[-2, 3], [5, 5]], "did-not-flip"),   # W as it is
    ("padding", "p", 4, "padding-f-minus-one"),
    ("padding", "p", 5, "padding-f"),
    ("padding", "p", 2.5, "padding-half-f"),
    ("keras", "valid", 5, "valid-ignored-stride"),             # 7 - 3 + 1
    ("keras", "valid", 4, "same-formula-for-valid"),           # ceil(7/2)
    ("keras", "valid", 2, "forgot-plus-one"),                  # (7 - 3)/2
    ("keras", "same", 7, "same-ignored-stride"),
    ("keras", "same", 3, "floor-instead-of-ceil"),             # floor(7/2)
    ("perceptron", "y", -1, "gave-the-sum"),                   # w.x + b = 1 - 2 + 0 = -1
    ("perceptron", "w_new", [0.5, -2.5, -0.5], "sign-flipped"),  # w - 0.5 * (1 - 0) * x
    ("perceptron", "w_new", [2, -1, 1], "forgot-alpha"),       # w + (1 - 0) * x
    ("perceptron", "w_new", [1, -2, 0], "no-update"),
    ("tracing", "conv", [8, 8, 3], "depth-is-input-depth"),
    ("tracing", "conv", [4, 8, 8], "channels-first"),         # 8x8x4
    ("tracing", "total", 748, "forgot-biases"),                # 108 + 640 instead of 112 + 650 = 762
    ("tracing", "total", 112, "only-conv-layers"),
    ("tracing", "total", 650, "only-fc-layers"),               # 4*4*4 inputs to 10 units: 640 + 10
    ("tracing", "total", 690, "forgot-input-depth"),           # (3*3*4 + 4) + 650
]

# a plain wrong answer for each template part: none of the methods gives it
PLAIN = {("size", "w2"): 11, ("invalid", "w2"): 2.5, ("pool-odd", "volume"): [3, 3, 5],
         ("volume-odd", "volume"): [2, 2, 3], ("volume", "params"): 999, ("forward", "conv"): [[0, 0], [0, 0]],
         ("keras", "same"): 9, ("perceptron", "w_new"): [9, 9, 9], ("tracing", "total"): 5,
         ("pool", "w2"): 6, ("padding", "p"): 7, ("correlation", "conv"): [[1, 1], [1, 1]]}


def record(name, tmp_path):
    return question_record_from(TEMPLATES[name], tmp_path / f"{name}.yaml")


@pytest.mark.parametrize("name, part, given, tag", CASES, ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_misconception_is_named(tmp_path, name, part, given, tag):
    question = record(name, tmp_path)
    result = score_question("q1", question, {part: given}, {})[part]
    assert result["score"] < result["max"]
    assert tag in result["tags"], (result["feedback"], result["tags"])
    assert "Misconception:" in result["feedback"]


def test_the_two_map_volume_worked_by_hand_is_the_key(tmp_path):
    question = record("maps", tmp_path)
    result = score_question("q1", question, {"conv": [[[2, 5], [0, 2]], [[2, 1], [3, 3]]]}, {})["conv"]
    assert result["score"] == result["max"], result["feedback"]


def test_the_two_channel_map_worked_by_hand_is_the_key_and_one_channel_is_named(tmp_path):
    question = record("channels", tmp_path)
    assert question["parts"]["conv"]["answer"] == [[[6, 7], [2, 4]]]
    feedback = score_question("q1", question, {"conv": [[[4, 2], [2, 2]]]}, {})["conv"]["feedback"]
    assert feedback.endswith("Misconception: convolved one input channel only. You used channel 2 of the input "
                             "alone. A filter is as deep as its input: each entry sums the window times the "
                             "filter over all 2 channels, then adds the bias.")


@pytest.mark.parametrize("name, part", PLAIN, ids=[f"{n}-{p}" for n, p in PLAIN])
def test_a_plain_wrong_answer_names_no_misconception(tmp_path, name, part):
    question = record(name, tmp_path)
    result = score_question("q1", question, {part: PLAIN[(name, part)]}, {})[part]
    assert result["score"] < result["max"]
    assert "Misconception:" not in result["feedback"]
    assert result["tags"] == ["wrong"]


def test_parameter_sharing_is_explained_with_the_layer_s_numbers(tmp_path):
    feedback = score_question("q1", record("volume", tmp_path), {"weights": 768000}, {})["weights"]["feedback"]
    assert feedback.endswith("Misconception: counted a filter once per output position (no weight sharing). "
                             "A filter's weights are shared by every position it slides to (parameter sharing), "
                             "so they are counted once, not for each of the 32×32 positions; the weights are "
                             "5·5·3·10 = 750.")


def test_a_volume_that_does_not_fit_is_worked_out_in_words(tmp_path):
    feedback = score_question("q1", record("volume-odd", tmp_path), {"volume": [2, 2, 3]}, {})["volume"]["feedback"]
    assert feedback.endswith("The depth is the number of filters, $K = 5$: the output is **invalid**.")


def test_the_right_answer_is_never_a_misconception(tmp_path):
    question = record("size", tmp_path)
    result = score_question("q1", question, {"w2": 10}, {})["w2"]
    assert (result["score"], result["tags"], result["feedback"]) == (result["max"], ["correct"], "Correct.")


def test_misconception_explains_with_the_problems_numbers(tmp_path):
    question = record("size", tmp_path)
    feedback = score_question("q1", question, {"w2": 9}, {})["w2"]["feedback"]
    assert "forgot the +1" in feedback
    assert "(13 - 3 + 2 \\cdot 4)/2 + 1 = 10" in feedback


def test_the_bias_misconception_names_the_problem_s_bias(tmp_path):
    question = record("bias", tmp_path)
    feedback = score_question("q1", question, {"conv": [[-1, -2, 0], [-3, -3, 2], [0, 3, 4]]}, {})["conv"]["feedback"]
    assert feedback.endswith("Misconception: forgot the bias. Add the filter's bias b = 2 to every entry of its map.")
    padding = score_question("q1", question, {"conv": [[-1]]}, {})["conv"]["feedback"]
    assert padding.endswith("First surround the input with P = 1 ring of zeros, then slide the filter.")


def test_the_bias_misconception_names_each_filter_s_bias(tmp_path):
    # one pixel 1, filters 1 and 2 (1x1), biases 1 and -1: maps [[2]] and [[1]]; without biases [[1]], [[2]]
    TEMPLATES["biases"] = """
        id: t
        family: forward-pass
        params: {x: [[[1]]], w: [[[[1]]], [[[2]]]], b: [1, -1]}
        network: {input: x, layers: [{conv: {weights: w, bias: b}}]}
        ask: {conv: {value: 1}}
        """
    question = record("biases", tmp_path)
    assert question["parts"]["conv"]["answer"] == [[[2]], [[1]]]
    result = score_question("q1", question, {"conv": [[[1]], [[2]]]}, {})["conv"]
    assert "forgot-bias" in result["tags"]
    assert result["feedback"].endswith("Add each filter's bias to every entry of its map: b = (1, -1).")


def test_every_family_has_at_least_three_methods():
    from problems.spec import FAMILIES
    by_family = {}
    for name, _, _, tag in CASES:
        family = {"size": "output-size", "invalid": "output-size", "pool-odd": "pooling",
                  "volume-odd": "output-volume", "dilated": "dilation-groups",
                  "volume": "output-volume", "groups": "dilation-groups", "pool": "pooling",
                  "fc": "fully-connected", "forward": "forward-pass", "bias": "forward-pass", "maps": "forward-pass",
                  "channels": "forward-pass",
                  "correlation": "conv-vs-correlation", "one-axis": "conv-vs-correlation",
                  "padding": "same-padding", "keras": "keras-padding", "perceptron": "perceptron",
                  "tracing": "shape-tracing"}[name]
        by_family.setdefault(family, set()).add(tag)
    by_family["conv-params"] = {t for n, p, _, t in CASES if n == "volume" and p in ("params", "weights", "biases")}
    for family in FAMILIES:
        assert len(by_family.get(family, ())) >= 3, family


def test_shapes_follow_through_from_the_students_own_previous_shape(tmp_path):
    TEMPLATES["trace3"] = """
        id: t
        family: shape-tracing
        network:
          input: {shape: [8, 8, 3]}
          layers: [{conv: {filters: 4, size: 3, pad: 1}}, relu, {maxpool: {size: 2}}]
        ask: {conv: {shape: 1}, relu: {shape: 2}, pool: {shape: 3}}
        """
    question = record("trace3", tmp_path)
    # conv is 8x8x4; a student who wrote 6x6x4 (no padding) should get ReLU 6x6x4 and pooling 3x3x4 right
    scored = score_question("q1", question, {"conv": [6, 6, 4], "relu": [6, 6, 4], "pool": [3, 3, 4]}, {})
    assert scored["conv"]["score"] == 0 and "ignored-padding" in scored["conv"]["tags"]
    assert scored["relu"]["tags"] == ["follow-through"] and scored["relu"]["score"] == scored["relu"]["max"]
    assert scored["pool"]["tags"] == ["follow-through"] and scored["pool"]["score"] == scored["pool"]["max"]
    # a pooling shape that follows from nothing the student wrote earns nothing
    scored = score_question("q1", question, {"conv": [6, 6, 4], "relu": [6, 6, 4], "pool": [2, 2, 4]}, {})
    assert scored["pool"]["score"] == 0


def test_a_step_follows_through_across_a_layer_that_is_not_asked(tmp_path):
    # conv1 -> ReLU -> conv2, the ReLU's shape not asked: 8x8x3, 3x3 filters with P = 1 keep 8x8, so
    # the key is 8x8x4 then 8x8x6. A student who ignored the padding wrote 6x6x4; with P = 1 their
    # own 6x6x4 gives 6x6x6 (ReLU keeps the shape), which follows through
    TEMPLATES["skip-relu"] = """
        id: t
        family: shape-tracing
        network:
          input: {shape: [8, 8, 3]}
          layers: [{conv: {filters: 4, size: 3, pad: 1}}, relu, {conv: {filters: 6, size: 3, pad: 1}}]
        ask: {conv1: {shape: 1}, conv2: {shape: 3}}
        """
    question = record("skip-relu", tmp_path)
    scored = score_question("q1", question, {"conv1": [6, 6, 4], "conv2": [6, 6, 6]}, {})
    assert scored["conv2"]["tags"] == ["follow-through"] and scored["conv2"]["score"] == scored["conv2"]["max"]
    assert "from your answer to q1.conv1" in scored["conv2"]["feedback"]
    assert score_question("q1", question, {"conv1": [6, 6, 4], "conv2": [4, 4, 6]}, {})["conv2"]["score"] == 0


def test_a_pooled_value_follows_through_the_relu_of_the_student_s_own_conv(tmp_path):
    # "forward" with only the conv and the pooling asked: the key is conv [[-1, 3], [15, 19]], ReLU
    # [[0, 3], [15, 19]], pooled 19. With the flipped kernel the conv is [[15, 19], [31, 35]]: pooled 35;
    # with a slip to [[-2, 3], [15, 40]], ReLU gives [[0, 3], [15, 40]], pooled 40
    TEMPLATES["no-relu-asked"] = TEMPLATES["forward"].replace(
        "ask: {conv: {value: 1}, relu: {value: 2}, pool: {value: 3}}",
        "ask: {conv: {value: 1}, pool: {value: 3}}")
    question = record("no-relu-asked", tmp_path)
    assert list(question["parts"]) == ["conv", "pool"]
    for conv, pool in (([[15, 19], [31, 35]], [[35]]), ([[-2, 3], [15, 40]], [[40]])):
        scored = score_question("q1", question, {"conv": conv, "pool": pool}, {})["pool"]
        assert scored["tags"] == ["follow-through"] and scored["score"] == scored["max"]
    assert score_question("q1", question, {"conv": [[-2, 3], [15, 40]], "pool": [[19]]}, {})["pool"]["tags"] \
        == ["correct"]
    wrong = score_question("q1", question, {"conv": [[-2, 3], [15, 40]], "pool": [[18]]}, {})["pool"]["feedback"]
    assert wrong.endswith("Worked out: the 2×2 window at rows 1–2, columns 1–2 of the previous layer's output, "
                          "from the expected answer to q1.conv (yours differs): $\\max(0, 3, 15, 19) = 19$.")


def test_recognizing_a_number_agrees_with_the_cell_by_cell_rule():
    """same() on two numbers takes a shortcut; the array rule it shortcuts is the oracle."""
    import random

    from grader.misconceptions import same

    rnd = random.Random(3)
    pairs = [(7, 7), (7, 8), (2.33, 7 / 3), (2.3, 7 / 3), (0, 0.0), (1e-12, 0), (-4, -4.0), (3.5, 3.5 + 1e-9),
             (float("inf"), float("inf")), (float("nan"), 1.0), (10, 10.05), (10.5, 10.6)]
    pairs += [(rnd.choice([rnd.randint(-50, 50), rnd.uniform(-50, 50)]), rnd.choice([rnd.randint(-50, 50),
              rnd.uniform(-50, 50)])) for _ in range(500)]
    pairs += [(a, a * (1 + rnd.uniform(-0.02, 0.02))) for a in (rnd.uniform(-9, 9) for _ in range(500))]
    for a, b in pairs:
        assert same(a, b) == same([a], [b]), (a, b)
    assert same(2.33, 7 / 3) and not same(7, 8) and not same(2.3, 7 / 3)


def test_recognizing_a_whole_matrix_agrees_with_the_cell_by_cell_rule():
    """A candidate of whole numbers matches a list by list equality (Candidate.whole), after its shape
    and first entry (_told_apart); same(), the array rule, is the oracle: aligned volumes and
    matrices, wrong shapes, ragged lists, fractions, slips in the first entry and elsewhere."""
    import random

    import numpy as np

    from grader.misconceptions import Candidate, first_match, same

    rnd = random.Random(11)

    def nested(shape, draw):
        return [nested(shape[1:], draw) for _ in range(shape[0])] if shape else draw()

    checked = whole = 0
    for _ in range(3000):
        shape = tuple(rnd.randint(1, 3) for _ in range(rnd.randint(1, 3)))
        wrong = np.asarray(nested(shape, lambda: rnd.randint(-3, 3)))
        if rnd.random() < 0.2:
            wrong = wrong + rnd.choice([0.5, 1e-9, 0.0])          # fractions: the array rule's tolerance
        kind = rnd.random()
        if kind < 0.3:
            given = wrong.tolist()                               # the same, as ints or floats
        elif kind < 0.5:
            given = np.asarray(wrong).tolist()
            first = rnd.random() < 0.5          # the first entry slipped: told apart by it alone, or not
            flat = given
            while isinstance(flat[0], list):
                flat = flat[0 if first else rnd.randrange(len(flat))]
            flat[0 if first else rnd.randrange(len(flat))] += rnd.choice([1, 0.001, 1e-12])
        elif kind < 0.65:
            given = [np.asarray(wrong).tolist()]                 # one level more: a 1-map volume
        elif kind < 0.75:
            given = np.asarray(wrong).tolist()
            while isinstance(given, list) and len(given) == 1 and isinstance(given[0], list):
                given = given[0]                                 # the leading 1s dropped
        elif kind < 0.85:
            given = nested(tuple(rnd.randint(1, 3) for _ in range(rnd.randint(1, 3))),
                           lambda: rnd.choice([rnd.randint(-3, 3), float(rnd.randint(-3, 3))]))
        elif kind < 0.9:
            given = np.asarray(wrong).tolist()           # a first entry beyond a float's whole numbers,
            flat = given                                 # or a whole float: as an answer, once normalized,
            while isinstance(flat[0], list):             # may hold them (answers.normalize)
                flat = flat[0]
            flat[0] = rnd.choice([2 ** 53 + 1, -2 ** 60, 1e300, float(round(flat[0]))])
        else:
            given = [[1, 2], [3]] if rnd.random() < 0.5 else [[[1]], [2, 3]]     # ragged
        answer = wrong if rnd.random() < 0.7 else wrong.tolist()     # a method's array, or its list (a shape)
        candidate = Candidate("forgot-relu", answer, "")
        whole += candidate.whole is not None
        assert candidate.matches(given) == same(wrong, given), (wrong.tolist(), given)
        other = Candidate("forgot-bias", np.asarray(wrong) + 1, "")     # checked first
        first = other if same(np.asarray(wrong) + 1, given) else candidate if same(wrong, given) else None
        assert first_match([other, candidate], given) is first, given
        checked += same(wrong, given)
    assert whole > 2000 and checked > 800          # both sides of the rule were met, mostly by the list path


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_a_shared_record_scores_as_a_plain_one(tmp_path, name):
    """A record several variants share keeps the network rerun and the methods' answers
    (grader.manifest.SharedRecord); scoring from the kept values gives what scoring afresh gives,
    for the same answers and for others after them."""
    from grader.manifest import SharedRecord
    question = record(name, tmp_path)
    shared = SharedRecord(question)
    answers = [{part: given} for n, part, given, _ in CASES if n == name]
    answers += [{part: value} for (n, part), value in PLAIN.items() if n == name]
    for given in answers + answers[::-1]:
        assert score_question("q1", shared, given, {}) == score_question("q1", question, given, {})
    assert shared.derived                   # the second time round, from what was kept


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_invalid_for_a_configuration_that_fits_scores_zero_in_every_part(tmp_path, name):
    """'invalid' is a valid answer in the notation, so a student may write it anywhere, a matrix
    part included; where the configuration fits it is simply wrong (the methods' answers, arrays
    among them, are no match for a word)."""
    question = record(name, tmp_path)
    for part, expected in ((p, r["answer"]) for p, r in question["parts"].items()):
        result = score_question("q1", question, {part: "invalid"}, {})[part]
        if expected == "invalid":
            assert (result["score"], result["tags"]) == (result["max"], ["correct"])
        else:
            assert (result["score"], result["tags"]) == (0, ["wrong"]), (part, result)
            if isinstance(expected, list) and isinstance(expected[0], list):     # a matrix: no entry to work out
                assert result["feedback"] == "It fits: the answer is not invalid."
            else:                           # the part's worked solution shows that it fits
                assert result["feedback"].startswith("It fits: the answer is not invalid. Worked out: ")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_list_that_is_no_matrix_scores_zero_in_every_part(tmp_path, name):
    """[1, [2]] is read (lists of numbers), but it is no number, vector or matrix: 0 for the part,
    whatever it asks, and the submission is graded."""
    question = record(name, tmp_path)
    for part in question["parts"]:
        result = score_question("q1", question, {part: [1, [2]]}, {})[part]
        assert (result["score"], result["tags"]) == (0, ["wrong"]), (part, result)


def each_method_is_named(question, part, right, methods, where):
    """Each wrong method's answer, worked out by the test (`methods`: id -> answer, None where the method
    does not apply), given for `part`, is named, or a method whose answer is the same; how many were
    given. A fraction is given as a student writes it, to 3 digits (2.33, 0.333)."""
    def alike(a, b):
        return a == b if isinstance(a, list) or isinstance(b, list) else abs(a - b) <= 0.01 * abs(a) + 1e-9

    given_count = 0
    for method, value in methods.items():
        if value is None or value == right or not isinstance(value, list) and value < 0:
            continue
        given = value if isinstance(value, list) else int(value) if float(value).is_integer() else float(f"{value:.3g}")
        named = {m for m, v in methods.items() if v is not None and alike(v, given)}
        tags = score_question("q1", question, {part: given}, {})[part]["tags"]
        assert named & set(tags), (where, part, method, given, tags)
        given_count += 1
    return given_count


def test_each_wrong_size_method_is_named_on_random_layers(tmp_path):
    # 150 random conv layers; each named wrong method's size worked out here from the lecture's formula
    # (not by hw), given as the answer, must be named, or one of the methods that give the same number
    import random

    rnd = random.Random(11)
    checked = 0
    for i in range(150):
        w1, f, s, p, d = rnd.randint(5, 32), rnd.randint(1, 5), rnd.randint(1, 3), rnd.randint(0, 3), rnd.choice([1, 2])
        fe = d * (f - 1) + 1
        if (w1 - fe + 2 * p) % s or w1 - fe + 2 * p < 0:
            continue
        right = (w1 - fe + 2 * p) // s + 1
        methods = {"forgot-plus-one": (w1 - fe + 2 * p) / s, "ignored-stride": w1 - fe + 2 * p + 1 if s > 1 else None,
                   "ignored-padding": (w1 - fe) / s + 1 if p else None,
                   "padding-once": (w1 - fe + p) / s + 1 if p else None,
                   "forgot-dilation": (w1 - f + 2 * p) / s + 1 if d > 1 else None}
        TEMPLATES[f"random{i}"] = f"""
            id: t
            family: output-size
            network: {{input: {{shape: [{w1}, {w1}, 3]}}, layers: [{{conv: {{filters: 4, size: {f}, stride: {s},
                      pad: {p}, dilation: {d}}}}}]}}
            ask: {{w2: {{size: 1}}}}
            """
        question = record(f"random{i}", tmp_path)
        assert question["parts"]["w2"]["answer"] == right
        checked += each_method_is_named(question, "w2", right, methods, (w1, f, s, p, d))
    assert checked > 150


def test_each_wrong_forward_pass_method_is_named_on_random_convolutions(tmp_path):
    # random convs (channels, filters, stride, padding, bias); each method's wrong output computed in
    # the test by an independent convolution (tests/test_solver_properties.vectorized_conv), given as the
    # answer, must be named, or a method whose output is the same
    import json

    import numpy as np

    from test_solver_properties import random_configs, vectorized_conv

    checked = 0
    for i, (x, w, b, o) in enumerate(random_configs(80, seed=23)):
        if o["dilation"] != 1 or o["groups"] != 1:
            continue
        s, p = o["stride"], o["pad"]

        def conv(weights=w, bias=b, stride=s, pad=p):
            if (x.shape[1] - weights.shape[2] + 2 * pad) % stride or x.shape[1] + 2 * pad < weights.shape[2]:
                return None
            return vectorized_conv(x, weights, bias, stride, pad, 1, 1).tolist()

        methods = {"flipped-kernel": conv(weights=w[:, :, ::-1, ::-1]),
                   "ignored-stride": conv(stride=1) if s > 1 else None,
                   "ignored-padding": conv(pad=0) if p else None,
                   "forgot-bias": conv(bias=None) if b is not None and np.any(b != 0) else None,
                   "transposed-kernel": conv(weights=np.swapaxes(w, -1, -2))}
        b_param, b_option = (f", b: {json.dumps(b.tolist())}", ", bias: b") if b is not None else ("", "")
        TEMPLATES[f"conv{i}"] = f"""
            id: t
            family: forward-pass
            params: {{x: {json.dumps(x.tolist())}, w: {json.dumps(w.tolist())}{b_param}}}
            network: {{input: x, layers: [{{conv: {{weights: w, stride: {s}, pad: {p}{b_option}}}}}]}}
            ask: {{conv: {{value: 1}}}}
            """
        question = record(f"conv{i}", tmp_path)
        right = conv()
        assert np.array_equal(np.asarray(question["parts"]["conv"]["answer"]), right)
        checked += each_method_is_named(question, "conv", right, methods, i)     # a symmetric kernel: none
    assert checked > 60


def test_follow_through_credits_relu_and_pooling_of_the_students_own_wrong_conv(tmp_path):
    # random conv -> ReLU -> 2x2 max pooling; the student's conv is off in one entry, and their ReLU and
    # pooling are worked out here from that wrong conv (NumPy, not hw): both must get full credit
    import json

    import numpy as np

    rng = np.random.default_rng(5)
    checked = 0
    for i in range(40):
        h = int(rng.choice([5, 6, 7]))
        x, w = rng.integers(-3, 4, size=(h, h)), rng.integers(-1, 2, size=(2, 2))
        TEMPLATES[f"chain{i}"] = f"""
            id: t
            family: forward-pass
            params: {{x: {json.dumps(x.tolist())}, w: {json.dumps(w.tolist())}}}
            network: {{input: x, layers: [{{conv: {{weights: w}}}}, relu, {{maxpool: {{size: 2, stride: 1}}}}]}}
            ask: {{conv: {{value: 1}}, relu: {{value: 2}}, pool: {{value: 3}}}}
            """
        question = record(f"chain{i}", tmp_path)
        conv = np.array(question["parts"]["conv"]["answer"])
        wrong = conv.copy()
        wrong[int(rng.integers(0, h - 1)), int(rng.integers(0, h - 1))] += int(rng.choice([-3, 3]))
        relu = np.maximum(wrong, 0)
        pool = np.lib.stride_tricks.sliding_window_view(relu, (2, 2)).max(axis=(2, 3))
        given = {"conv": wrong.tolist(), "relu": relu.tolist(), "pool": pool.tolist()}
        result = score_question("q1", question, given, {})
        assert result["conv"]["score"] < result["conv"]["max"]
        for name, ours in (("relu", relu), ("pool", pool)):
            if ours.tolist() == question["parts"][name]["answer"]:
                assert result[name]["tags"] == ["correct"]          # the slip did not reach this step
                continue
            assert result[name]["tags"] == ["follow-through"], (i, name, result[name])
            assert result[name]["score"] == result[name]["max"]
            checked += 1
    assert checked > 20


def test_a_method_applied_to_the_student_s_own_wrong_earlier_step_is_named(tmp_path):
    # "forward" by hand: conv [[-1, 3], [15, 19]]; with the flipped kernel [[15, 19], [31, 35]], whose
    # ReLU is itself and whose 2x2 average is (15 + 19 + 31 + 35)/4 = 25 (its max, 35, would follow)
    question = record("forward", tmp_path)
    flipped = [[15, 19], [31, 35]]
    pool = score_question("q1", question, {"conv": flipped, "relu": flipped, "pool": [[25]]}, {})["pool"]
    assert (pool["score"], pool["tags"]) == (0, ["wrong", "average-instead-of-max"])
    assert "Misconception, on your own answer to q1.relu: average instead of max pooling." in pool["feedback"]
    # a slip in one conv entry, -2 for -1, then that conv copied through ReLU: 3 of 4 entries of the
    # key's ReLU [[0, 3], [15, 19]] are right, and ReLU forgotten on the student's own conv is named
    slip = [[-2, 3], [15, 19]]
    relu = score_question("q1", question, {"conv": slip, "relu": slip}, {})["relu"]
    assert (relu["score"], relu["tags"]) == (0.75, ["partial", "forgot-relu"])
    assert "on your own answer to q1.conv: copied the input unchanged through ReLU" in relu["feedback"]
    plain = score_question("q1", question, {"conv": slip, "relu": [[5, 5], [5, 5]]}, {})["relu"]
    assert plain["tags"] == ["wrong"] and "Misconception" not in plain["feedback"]


def test_a_size_method_on_the_student_s_own_wrong_shape_is_worked_with_their_numbers(tmp_path):
    # 8x8x3, four 3x3 filters, P = 1: 8x8x4, pooled 2x2 to 4x4x4. Padding ignored, the conv is 6x6x4;
    # its pooling is (6 - 2)/2 + 1 = 3, and 2x2x4 forgets the +1 on the student's own 6
    TEMPLATES["own-shapes"] = """
        id: t
        family: shape-tracing
        network:
          input: {shape: [8, 8, 3]}
          layers: [{conv: {filters: 4, size: 3, pad: 1}}, {maxpool: {size: 2}}]
        ask: {conv: {shape: 1}, pool: {shape: 2}}
        """
    question = record("own-shapes", tmp_path)
    result = score_question("q1", question, {"conv": [6, 6, 4], "pool": [2, 2, 4]}, {})
    assert result["conv"]["tags"] == ["wrong", "ignored-padding"]
    assert result["pool"]["tags"] == ["wrong", "forgot-plus-one"]
    assert result["pool"]["feedback"].endswith("Misconception, on your own answer to q1.conv: forgot the +1. "
                                               "Count the first position too: $W_2 = (W_1 - F)/S + 1 = (6 - 2)/2 + 1 = 3$.")
    # slips in two shapes, not the depth written first: the conv as 6x8x5 pools to 3x4x5, which
    # [5, 4, 3] writes depth first; a way of writing would show in the earlier answer too
    slips = score_question("q1", question, {"conv": [6, 8, 5], "pool": [5, 4, 3]}, {})
    assert slips["pool"]["tags"] == ["wrong"]
    # a width of 7.5 is no size: nothing is carried forward from it, not a width truncated to 7
    from grader.context import rebuild
    from grader.score import own_results
    assert own_results(question, "pool", {"conv": [7.5, 7.5, 4]}, rebuild(question)) is None
    assert own_results(question, "pool", {"conv": [7.0, 7.0, 4]}, rebuild(question)) is not None


def test_a_conv_off_by_one_in_a_large_entry_is_wrong_and_carried_forward(tmp_path):
    # x = [[1000000, 0], [0, 0]], w = [[1]]: conv = x and ReLU = x (by hand).
    # The student's conv is off by one in the large entry, and their ReLU follows from it: the
    # conv is wrong in that entry (whole numbers are exact), so the ReLU is credited as carried forward
    TEMPLATES["large"] = """
        id: t
        family: forward-pass
        params: {x: [[1000000, 0], [0, 0]], w: [[1]]}
        network: {input: x, layers: [{conv: {weights: w}}, relu]}
        ask: {conv: {value: 1}, relu: {value: 2}}
        """
    question = record("large", tmp_path)
    slip = [[1000001, 0], [0, 0]]
    result = score_question("q1", question, {"conv": slip, "relu": slip}, {})
    assert result["conv"]["score"] == 0.75 * result["conv"]["max"] and result["conv"]["tags"] == ["partial"]
    assert result["relu"]["tags"] == ["follow-through"] and result["relu"]["score"] == result["relu"]["max"]
    right = score_question("q1", question, {"conv": [[1000000, 0], [0, 0]], "relu": slip}, {})
    assert right["relu"]["tags"] == ["partial"]       # a right conv carries nothing: the ReLU is just off


def test_students_who_share_a_record_are_told_what_their_own_record_would_tell_them(tmp_path):
    # a record that several variants share keeps each judged answer for the next student who gives
    # it; what a later step is judged to be also depends on the answer to the step before. By hand:
    # x = [[1, -2], [3, 0]], w = [[1]]: conv = x, ReLU = [[1, 0], [3, 0]]
    from grader.manifest import SharedRecord

    TEMPLATES["shared"] = """
        id: t
        family: forward-pass
        params: {x: [[1, -2], [3, 0]], w: [[1]]}
        network: {input: x, layers: [{conv: {weights: w}}, relu]}
        ask: {conv: {value: 1}, relu: {value: 2}}
        """
    question = record("shared", tmp_path)
    shared = SharedRecord(question)
    students = [{"conv": [[1, -2], [4, 0]], "relu": [[1, 0], [4, 0]]},    # relu follows from the slip
                {"conv": [[1, -2], [3, 0]], "relu": [[1, 0], [4, 0]]},    # the same relu, from a right conv
                {"conv": [[1, -2], [4, 0]], "relu": [[1, 0], [4, 0]]},
                {"conv": [[1, -2], [4.0, 0]], "relu": [[1, 0], [4, 0]]},  # 4.0 is written as 4.0
                {"conv": [[1, -2], [3, 0]], "relu": [[1, 0], [4, 0]]}]
    told = [score_question("q1", shared, given, {}) for given in students]
    assert [t["relu"]["tags"] for t in told] == [["follow-through"], ["partial"], ["follow-through"],
                                                 ["follow-through"], ["partial"]]
    assert told == [score_question("q1", question, given, {}) for given in students]    # a record of one's own
    assert any(key[0] == "judged" for key in shared.derived)                            # it was kept


def test_shapes_follow_through_on_random_chains(tmp_path):
    # conv -> relu -> maxpool -> conv with shape questions; the student's first shape is wrong and
    # every later one is worked out here from it by the lecture's formulas: all of them are credited
    import random

    rnd = random.Random(9)

    def conv_size(w, f, s, p):
        return (w - f + 2 * p) // s + 1 if (w - f + 2 * p) % s == 0 and w - f + 2 * p >= 0 else None

    checked = 0
    for i in range(60):
        w1, k1, k2 = rnd.randint(8, 40), rnd.choice([4, 8, 16]), rnd.choice([8, 32])
        f, p, s2, f2 = rnd.choice([3, 5]), rnd.randint(0, 2), rnd.choice([1, 2]), rnd.choice([1, 3])
        right1 = conv_size(w1, f, 1, p)
        wrong1 = right1 + rnd.choice([-2, 2]) if right1 else None      # the student's slip, as even as the right one
        if not right1 or right1 % 2 or wrong1 % 2 or wrong1 < 4:
            continue
        pooled = wrong1 // 2
        after = conv_size(pooled, f2, s2, 0)
        if after is None:
            continue
        later = [[wrong1, wrong1, k1], [pooled, pooled, k1], [after, after, k2]]
        TEMPLATES[f"trace{i}"] = f"""
            id: t
            family: shape-tracing
            network:
              input: {{shape: [{w1}, {w1}, 3]}}
              layers: [{{conv: {{filters: {k1}, size: {f}, pad: {p}}}}}, relu, {{maxpool: {{size: 2}}}},
                       {{conv: {{filters: {k2}, size: {f2}, stride: {s2}}}}}]
            ask: {{conv1: {{shape: 1}}, relu: {{shape: 2}}, pool: {{shape: 3}}, conv2: {{shape: 4}}}}
            """
        question = record(f"trace{i}", tmp_path)
        assert question["parts"]["conv1"]["answer"] == [right1, right1, k1]
        given = {"conv1": later[0], "relu": later[0], "pool": later[1], "conv2": later[2]}
        result = score_question("q1", question, given, {})
        assert result["conv1"]["score"] == 0
        for name in ("relu", "pool", "conv2"):
            assert result[name]["tags"] == ["follow-through"], (i, name, result[name]["feedback"])
            checked += 1
    assert checked > 30


def test_each_wrong_count_method_is_named_on_random_conv_layers(tmp_path):
    # F·F·(C/g)·K weights and K biases, worked out here for random layers; each method's wrong count
    # given as the answer must be named, or a method giving the same number
    import random

    rnd = random.Random(13)
    checked = 0
    for i in range(80):
        g = rnd.choice([1, 1, 2, 4])
        c, k, f = g * rnd.randint(1, 16), g * rnd.randint(1, 16), rnd.choice([1, 3, 5, 7])
        weights, biases = f * f * (c // g) * k, k
        methods = {
            "params": {"forgot-biases": weights, "forgot-input-depth": f * f * k + k if c // g > 1 else None,
                       "one-filter-only": f * f * (c // g) + 1 if k > 1 else None,
                       "ignored-groups": f * f * c * k + k if g > 1 else None},
            "weights": {"counted-biases": weights + k, "forgot-input-depth": f * f * k if c // g > 1 else None,
                        "one-filter-only": f * f * (c // g) if k > 1 else None,
                        "ignored-groups": f * f * c * k if g > 1 else None},
            "biases": {"forgot-biases": 0, "one-bias-per-layer": 1, "bias-per-weight": weights}}
        right = {"params": weights + biases, "weights": weights, "biases": biases}
        TEMPLATES[f"count{i}"] = f"""
            id: t
            family: conv-params
            network: {{input: {{shape: [16, 16, {c}]}}, layers: [{{conv: {{filters: {k}, size: {f}, pad: {f // 2},
                      groups: {g}}}}}]}}
            ask: {{params: {{params: 1}}, weights: {{weights: 1}}, biases: {{biases: 1}}}}
            """
        question = record(f"count{i}", tmp_path)
        for part, answer in right.items():
            assert question["parts"][part]["answer"] == answer
            checked += each_method_is_named(question, part, answer, methods[part], (f, c, k, g))
    assert checked > 300


def test_each_wrong_pooling_and_keras_method_is_named_on_random_sizes(tmp_path):
    # pooling (W1 - F)/S + 1 and Keras' ceil((W1 - F + 1)/S) and ceil(W1/S), worked out here with math
    import math
    import random

    rnd = random.Random(17)
    checked = 0
    for i in range(80):
        f, s = rnd.randint(2, 4), rnd.randint(2, 4)
        w1 = f + s * rnd.randint(2, 10)                 # the pooling fits
        keras_w1 = w1 + rnd.randint(0, s - 1)           # Keras' sizes need not
        pool, valid, same = (w1 - f) // s + 1, math.ceil((keras_w1 - f + 1) / s), math.ceil(keras_w1 / s)
        parts = {
            "w2": (pool, {"forgot-plus-one": (w1 - f) / s, "ignored-stride": w1 - f + 1,
                          "pool-padding": (w1 - f + 2) / s + 1}),
            "valid": (valid, {"valid-ignored-stride": keras_w1 - f + 1, "same-formula-for-valid": same,
                              "forgot-plus-one": (keras_w1 - f) / s}),
            "same": (same, {"same-ignored-stride": keras_w1, "floor-instead-of-ceil": keras_w1 // s,
                            "valid-formula-for-same": valid})}
        TEMPLATES[f"pools{i}"] = f"""
            id: t
            family: pooling
            network: {{input: {{shape: [{w1}, {w1}, 4]}}, layers: [{{maxpool: {{size: {f}, stride: {s}}}}}]}}
            ask: {{w2: {{size: 1}}, valid: {{expr: "keras_size({keras_w1}, {f}, {s}, 'valid')"}},
                  same: {{expr: "keras_size({keras_w1}, {f}, {s}, 'same')"}}}}
            """
        question = record(f"pools{i}", tmp_path)
        for part, (right, methods) in parts.items():
            assert question["parts"][part]["answer"] == right
            checked += each_method_is_named(question, part, right, methods, (w1, keras_w1, f, s))
    assert checked > 300

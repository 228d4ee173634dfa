"""The reference solver against the lecture's worked examples, computed by hand."""
import numpy as np
import pytest

from grader import solver
from grader.network import Layer, run
from grader.solver import INVALID

# The homework at the end of Lecture 5: conv(depth=1, stride=2) -> ReLU -> MaxPool.
HOMEWORK_X = np.array([[1, 2, 3, 4, 5], [2, 2, 1, 1, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 1], [5, 1, 1, 1, 1]])
HOMEWORK_W = np.array([[0, -1, 0], [1, 1, 1], [0, -1, 0]])


@pytest.mark.parametrize("stride, expected", [(1, 5), (2, 3), (3, INVALID)])
def test_lecture_7x7_with_3x3_filter(stride, expected):
    # (7 - 3)/1 + 1 = 5; (7 - 3)/2 + 1 = 3; (7 - 3)/3 + 1 = 2.33 "oops": does not fit
    assert solver.output_size(7, 3, stride) == expected


def test_stride_that_does_not_fit_is_never_floored():
    assert solver.output_fraction(7, 3, 3) == pytest.approx(2 + 1 / 3)
    assert solver.output_size(7, 3, 3) == INVALID


def test_padding_one_keeps_7x7():
    # 7x7 input, 3x3 filter, stride 1, pad 1: (7 - 3 + 2)/1 + 1 = 7
    assert solver.output_size(7, 3, 1, 1) == 7


@pytest.mark.parametrize("f, p", [(3, 1), (5, 2), (7, 3), (1, 0)])
def test_same_padding_of_the_lecture(f, p):
    assert solver.same_padding(f) == p


def test_same_padding_does_not_exist_for_even_filters():
    assert solver.same_padding(4) == INVALID


def test_lecture_32x32x3_with_ten_5x5_filters():
    # output 32x32x10; each filter 5*5*3 + 1 = 76 parameters, 76 * 10 = 760
    results = run(None, (3, 32, 32), [Layer("conv", {"filters": 10, "size": 5, "stride": 1, "pad": 2})])
    assert results[1].shape == (10, 32, 32)
    assert (results[1].weights, results[1].biases, results[1].params) == (750, 10, 760)
    assert solver.conv_param_count(5, 3, 10) == 760


def test_1x1_convolution_64_to_32():
    # 56x56x64 through 32 filters of 1x1x64: 56x56x32, 64*32 weights + 32 biases = 2080
    results = run(None, (64, 56, 56), [Layer("conv", {"filters": 32, "size": 1})])
    assert results[1].shape == (32, 56, 56)
    assert results[1].params == 2080


def test_lecture_max_pooling_2x2_stride_2():
    x = np.array([[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]])
    assert solver.maxpool2d(x, size=2, stride=2).tolist() == [[[6, 8], [3, 4]]]


def test_average_pooling_by_hand():
    x = np.array([[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]])
    # (1+1+5+6)/4 = 3.25, (2+4+7+8)/4 = 5.25, (3+2+1+2)/4 = 2, (1+0+3+4)/4 = 2
    assert solver.avgpool2d(x, size=2, stride=2).tolist() == [[[3.25, 5.25], [2, 2]]]


def test_pooling_size_and_its_zero_parameters():
    assert solver.pool_size(224, 2, 2) == 112
    assert solver.pool_size(7, 2, 2) == INVALID
    results = run(None, (64, 224, 224), [Layer("maxpool", {"size": 2, "stride": 2})])
    assert results[1].shape == (64, 112, 112) and results[1].params == 0


def test_lecture_homework_by_hand():
    # window (0,0): -2 + (2+2+1) - 2 = 1; (0,2): -4 + 3 - 1 = -2; (2,0): -2 + 6 - 1 = 3; (2,2): -1 + 3 - 1 = 1
    conv = solver.conv2d(HOMEWORK_X[None], HOMEWORK_W[None, None], stride=2)
    assert conv.tolist() == [[[1, -2], [3, 1]]]
    relu = solver.relu(conv)
    assert relu.tolist() == [[[1, 0], [3, 1]]]
    assert solver.maxpool2d(relu, size=2, stride=2).tolist() == [[[3]]]


def test_zero_padding_and_bias_by_hand():
    x = np.array([[[1, 2], [3, 4]]])
    w = np.array([[[[1, 0, 0], [0, 0, 0], [0, 0, 1]]]])
    # padded input is 4x4 with x in the middle; each output = top-left + bottom-right neighbour + 10
    out = solver.conv2d(x, w, np.array([10]), stride=1, pad=1)
    assert out.tolist() == [[[10 + 0 + 4, 10 + 0 + 0], [10 + 0 + 0, 10 + 1 + 0]]]


def test_two_channels_two_filters_by_hand():
    x = np.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    w = np.array([[[[1]], [[1]]], [[[1]], [[-1]]]])   # 1x1: sum of the channels, difference
    out = solver.conv2d(x, w, np.array([0, 1]))
    assert out.tolist() == [[[6, 8], [10, 12]], [[-3, -3], [-3, -3]]]


def test_true_convolution_flips_the_kernel():
    x = np.array([[[1, 2], [3, 4]]])
    w = np.array([[[[1, 2], [3, 4]]]])
    assert solver.conv2d(x, w).tolist() == [[[1 + 4 + 9 + 16]]]          # cross-correlation: 30
    assert solver.convolve2d(x, w).tolist() == [[[1 * 4 + 2 * 3 + 3 * 2 + 4 * 1]]]   # flipped: 20


def test_dilation_effective_size_and_output():
    assert solver.effective_size(3, 2) == 5
    assert solver.output_size(7, 3, 1, 0, 2) == 3          # (7 - 5)/1 + 1
    x = np.arange(25).reshape(1, 5, 5)
    w = np.ones((1, 1, 2, 2), dtype=int)
    # dilation 2 reads x[0,0], x[0,2], x[2,0], x[2,2] = 0 + 2 + 10 + 12
    assert solver.conv2d(x, w, dilation=2)[0, 0, 0] == 24


def test_groups_weights():
    assert solver.conv_weight_count(3, 64, 128, groups=4) == 3 * 3 * 16 * 128
    x = np.array([[[1]], [[2]], [[3]], [[4]]])
    w = np.ones((2, 2, 1, 1), dtype=int)     # group 1 sees channels 1-2, group 2 channels 3-4
    assert solver.conv2d(x, w, groups=2).ravel().tolist() == [3, 7]


@pytest.mark.parametrize("w1, f, s, valid, same", [(7, 3, 2, 3, 4), (32, 5, 1, 28, 32), (10, 3, 3, 3, 4), (5, 2, 2, 2, 3)])
def test_keras_padding(w1, f, s, valid, same):
    # valid = ceil((W - F + 1)/S), same = ceil(W/S), worked out by hand
    assert solver.keras_output_size(w1, f, s, "valid") == valid
    assert solver.keras_output_size(w1, f, s, "same") == same


def test_fully_connected_on_flattened_volume():
    results = run(None, (3, 32, 32), [Layer("flatten"), Layer("fc", {"units": 10})])
    assert results[1].shape == (3072,)
    assert results[2].params == 3072 * 10 + 10


def test_two_layer_net_values():
    x = np.array([1, -1])
    w1 = np.array([[1, 2], [3, 1], [-1, -1]])      # W1 x = (-1, 2, 0) -> relu (0, 2, 0)
    w2 = np.array([[1, 1, 1], [2, 0, -1]])          # W2 h = (2, 0)
    results = run(x[None, None], None, [Layer("flatten"), Layer("fc", {"weights": w1, "bias": False}),
                                        Layer("relu"), Layer("fc", {"weights": w2, "bias": False})])
    assert results[2].value.tolist() == [-1, 2, 0]
    assert results[4].value.tolist() == [2, 0]
    assert results[2].weight_shape == (3, 2) and results[2].params == 6


def test_perceptron_step():
    w, x = np.array([1, -2, 0]), np.array([1, 1, 1])
    # w.x + b = -1 + 0 -> y = 0; d = 1: w + 0.5 * 1 * x = (1.5, -1.5, 0.5)
    assert solver.perceptron_output(w, x, 0) == 0
    assert solver.perceptron_update(w, x, 1, 0.5).tolist() == [1.5, -1.5, 0.5]
    # a right answer changes nothing
    assert solver.perceptron_update(w, x, 0, 0.5).tolist() == [1, -2, 0]


def test_network_keeps_invalid_after_a_bad_stride_but_counts_weights():
    results = run(None, (3, 7, 7), [Layer("conv", {"filters": 4, "size": 3, "stride": 3}), Layer("relu"),
                                     Layer("conv", {"filters": 2, "size": 1})])
    assert results[1].shape == (4, INVALID, INVALID)
    assert results[3].shape[1] == INVALID
    assert results[3].params == 4 * 2 + 2


def test_network_refuses_weights_of_the_wrong_depth():
    with pytest.raises(Exception, match="depth 2 but the input has 3 channels"):
        run(np.zeros((3, 4, 4)), None, [Layer("conv", {"weights": np.zeros((1, 2, 3, 3))})])


def test_the_key_works_a_dilated_window_and_a_grouped_filter_in_words():
    from grader.explain_values import conv_steps

    x = np.arange(16).reshape(4, 4)            # 0..15 row by row
    steps = conv_steps(x, np.ones((2, 2), dtype=int), None, stride=1, pad=0, dilation=2)
    first = steps[0]
    assert first[0] == ("First window (top left) of filter 1 (dilation 2: its taps are 2 apart, so the window "
                        "spans 3×3 and takes every 2nd row and column), element by element:")
    assert first[1].tolist() == [[0, 2], [8, 10]]                  # x[0:3:2, 0:3:2]
    assert first[3] == "$out_{1,1} = 0 \\cdot 1 + 2 \\cdot 1 + 8 \\cdot 1 + 10 \\cdot 1 = 20$"
    grouped = conv_steps(np.stack([x, x]), np.ones((2, 1, 1, 1), dtype=int), None, stride=1, pad=0, groups=2)
    assert grouped[0][0] == ("First window (top left) of filter 1, over the 1 channel of its group (the input's "
                             "2 channels in 2 groups), element by element:")
    assert grouped[-1][0].endswith("each of the 2 filters gives one map.")          # no bias, none named
    biased = conv_steps(np.stack([x, x]), np.ones((2, 2, 1, 1), dtype=int), [1, 2], stride=1, pad=0)
    assert biased[-1][0].endswith("each of the 2 filters gives one map with its own bias.")

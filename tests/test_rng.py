"""The version-proof generator: its documented algorithm, re-implemented here independently."""
import hashlib
from collections import Counter

from problems.rng import Rng


def reference_words(key: bytes, count: int) -> list[int]:
    """BLAKE2b-512(counter, key) blocks cut into 64-bit little-endian words, as docs/templates.md says."""
    words = []
    counter = 0
    while len(words) < count:
        block = hashlib.blake2b(counter.to_bytes(8, "little"), key=key).digest()
        words += [int.from_bytes(block[i:i + 8], "little") for i in range(0, 64, 8)]
        counter += 1
    return words[:count]


def reference_below(words: list[int], n: int) -> int:
    limit = 2**64 - 2**64 % n
    while True:
        w = words.pop(0)
        if w < limit:
            return w % n


def test_seed_key_and_stream_follow_the_documented_algorithm():
    key = hashlib.blake2b(b"hw-rng-v1:42", digest_size=32).digest()
    words = reference_words(key, 40)
    rng = Rng.from_seed(42)
    assert [rng.below(1000) for _ in range(20)] == [reference_below(words, 1000) for _ in range(20)]


def test_children_are_keyed_by_their_labels():
    parent = hashlib.blake2b(b"hw-rng-v1:7", digest_size=32).digest()
    key = hashlib.blake2b("s001\x1fq1".encode(), key=parent, digest_size=32).digest()
    words = reference_words(key, 10)
    child = Rng.from_seed(7).child("s001", "q1")
    assert [child.below(6) for _ in range(5)] == [reference_below(words, 6) for _ in range(5)]


def test_a_child_does_not_depend_on_the_parents_draws():
    a, b = Rng.from_seed(1), Rng.from_seed(1)
    a.below(10)
    assert [a.child("x").below(100) for _ in range(3)] == [b.child("x").below(100) for _ in range(3)]


def test_rejection_sampling_is_close_to_uniform():
    rng = Rng.from_seed("uniform")
    counts = Counter(rng.integer(-2, 2) for _ in range(10_000))
    assert set(counts) == {-2, -1, 0, 1, 2}
    assert all(1800 < c < 2200 for c in counts.values())   # expected 2000 each; 2200 is > 6 sigma off


def test_different_seeds_differ():
    assert [Rng.from_seed(1).below(10**9)] != [Rng.from_seed(2).below(10**9)]


def test_integers_are_the_numbers_integer_draws_one_by_one():
    # a bound with many rejections (just over 2**63) and block boundaries inside and between calls
    for lo, hi in ((0, 5), (-1, 1), (0, 2**63)):
        one, many = Rng.from_seed("m").child(lo), Rng.from_seed("m").child(lo)
        expected, got = [], []
        for count in (3, 0, 9, 1, 17, 8):
            expected += [one.integer(lo, hi) for _ in range(count)]
            got += many.integers(lo, hi, count)
            expected.append(one.below(7))       # single draws in between take up the same stream
            got.append(many.below(7))
        assert got == expected


def test_integers_follow_the_documented_algorithm():
    key = hashlib.blake2b(b"hw-rng-v1:3", digest_size=32).digest()
    words = reference_words(key, 60)
    assert Rng.from_seed(3).integers(-1, 1, 25) == [reference_below(words, 3) - 1 for _ in range(25)]

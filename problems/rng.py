"""A random generator that gives the same numbers on every Python and NumPy version.

Algorithm (version 1, documented in docs/templates.md):

* A generator is a 32-byte key.  Its stream is BLAKE2b-512(counter as 8 bytes
  little-endian, key=key) for counter = 0, 1, 2, ..., cut into 64-bit
  little-endian words.
* ``below(n)`` takes words until one is under the largest multiple of n that fits
  in 64 bits (rejection sampling, so there is no modulo bias) and returns it mod n.
* ``child(label)`` is a new generator keyed by BLAKE2b-256(label, key=key): streams
  of different students or questions never depend on each other's draws.

Nothing here touches ``random`` or ``numpy.random``: their algorithms and
seeding are free to change between releases, this one is not.
"""
from __future__ import annotations

import hashlib
import struct
from typing import Sequence, TypeVar

T = TypeVar("T")
_WORD = 2**64
_BLOCK = struct.Struct("<8Q")     # a BLAKE2b-512 block as eight little-endian 64-bit words


class Rng:
    def __init__(self, key: bytes):
        self._key = key
        self._counter = 0
        self._words: list[int] = []

    @classmethod
    def from_seed(cls, seed: int | str) -> "Rng":
        return cls(hashlib.blake2b(f"hw-rng-v1:{seed}".encode(), digest_size=32).digest())

    def child(self, *labels: object) -> "Rng":
        """An independent generator for a named sub-stream (a student, a question)."""
        label = "\x1f".join(str(x) for x in labels).encode()
        return Rng(hashlib.blake2b(label, key=self._key, digest_size=32).digest())

    def _refill(self) -> list[int]:
        """The next block's eight words, last first (they are taken from the end)."""
        block = hashlib.blake2b(self._counter.to_bytes(8, "little"), key=self._key).digest()
        self._counter += 1
        self._words = list(_BLOCK.unpack(block))[::-1]
        return self._words

    def _word(self) -> int:
        return (self._words or self._refill()).pop()

    def below(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("below() needs a positive bound")
        limit = _WORD - _WORD % n
        while True:
            w = self._word()
            if w < limit:
                return w % n

    def integer(self, lo: int, hi: int) -> int:
        """A uniform integer in [lo, hi], both ends included."""
        return lo + self.below(hi - lo + 1)

    def integers(self, lo: int, hi: int, count: int) -> list[int]:
        """`count` uniform integers in [lo, hi]: the same numbers as `count` calls of integer(lo, hi),
        drawn in one loop (a matrix of a template)."""
        n = hi - lo + 1
        if n <= 0:
            raise ValueError("integers() needs lo <= hi")
        limit = _WORD - _WORD % n
        out: list[int] = []
        words = self._words
        while len(out) < count:
            if not words:
                words = self._refill()
            w = words.pop()
            if w < limit:
                out.append(lo + w % n)
        return out

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

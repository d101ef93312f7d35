"""Distributor shards: one stable partition of distributors, shared by settlement and reconciliation.

A distributor's *key* is a stable hash of their user id, `crc32(user_id) mod KEYS` (Python's `hash()` is
salted per process, so it would move a distributor between shards from one container to the next). Shard
`k` of `N` holds the keys `key mod N == k`, so for any `N` dividing KEYS a distributor is in shard
`crc32(user_id) mod N`. `N` is configuration (FENXIAO_SETTLEMENT_SHARDS for settlement), not data: the
key, not the shard, is what a document stores (`commissions.shard_key`), so changing N needs no rewrite.

Why store the key on commission entries: a settlement shard then reads exactly its own frozen entries
through the index {status, shard_key, order_id} (an `$in` of at most KEYS / N keys), instead of every
shard streaming every frozen entry to drop the others' in Python.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

KEYS = 64  # the key space: N may be any of 1..KEYS; a divisor of KEYS keeps the shards even


def key_of(user_id: str) -> int:
    return zlib.crc32(user_id.encode()) % KEYS


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= KEYS or not 0 <= self.index < self.count:
            raise ValueError(f"shard {self.index} of {self.count}: the count must be 1..{KEYS}")

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def keys(self) -> list[int]:
        return [key for key in range(KEYS) if key % self.count == self.index]

    def holds(self, user_id: str) -> bool:
        return key_of(user_id) % self.count == self.index

    def entry_filter(self) -> dict[str, Any]:
        """The shard's commission entries (empty for the one shard that is everything)."""
        return {} if self.count == 1 else {"shard_key": {"$in": self.keys}}


EVERYTHING = Shard(0, 1)


def all_shards(count: int) -> list[Shard]:
    return [Shard(index, count) for index in range(count)]

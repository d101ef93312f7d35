"""Distinct paying users of a day and of a range, in bounded space: exact while small, then a sketch.

A day keeps its payers' ids while it has at most `CAP` of them (`payer_ids`, exact), and always a
HyperLogLog sketch of every payer (`payer_hll`). The day's 201st payer drops the ids for good
(`payers_over: true`, `payer_ids: []`): from then on the day's and any range's figure containing it is
the sketch's estimate, flagged as such. A range whose days are all under the cap is the exact union of
their ids.

The sketch: `P` = 10 bits of a 64-bit BLAKE2b hash of the id pick one of M = 1,024 registers, which
keeps the largest rank (leading zeros + 1) of the other 54 bits it has seen. It is stored sparse, one
field per register that is not 0 (`{"<register>": rank}`, ≤ 1,024 fields whatever the shop's size), and
kept by `$max`. That makes it:
- deterministic: a given set of ids has exactly one sketch, so a rebuild from the source of truth must
  equal the stored one field for field (the drift check compares it exactly);
- idempotent and order-free: adding an id twice, or in any order, gives the same registers, so a replayed
  event changes nothing and concurrent events need no coordination;
- mergeable: the sketch of a union is the register-wise max of the sketches.

Error: the estimate's relative standard error is 1.04/√M ≈ 3.25%; about 99.7% of estimates fall
within ±3σ ≈ 9.75% (`tests/admin/test_distinct.py` checks that bound on sets of 300–30,000 ids). Below
2.5·M distinct ids the estimate is linear counting on the empty registers, which is tighter. An estimate
is also clamped to what is known for certain: at least the exact ids known, at most the orders paid.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

CAP = 200
P = 10
M = 1 << P
STANDARD_ERROR = 1.04 / math.sqrt(M)
_REST = 64 - P
_ALPHA = 0.7213 / (1 + 1.079 / M)

Registers = dict[str, int]


def register(member: str) -> tuple[str, int]:
    """The register an id falls in (as the stored field name) and the rank it offers there."""
    hashed = int.from_bytes(hashlib.blake2b(member.encode(), digest_size=8).digest(), "big")
    rest = hashed & ((1 << _REST) - 1)
    return str(hashed >> _REST), _REST - rest.bit_length() + 1


def sketch(members: Iterable[str]) -> Registers:
    registers: Registers = {}
    for member in members:
        index, rank = register(member)
        if rank > registers.get(index, 0):
            registers[index] = rank
    return registers


def merge(into: Registers, more: Mapping[str, Any]) -> None:
    for index, rank in more.items():
        if int(rank) > into.get(index, 0):
            into[index] = int(rank)


def estimate(registers: Mapping[str, Any]) -> int:
    """HyperLogLog's estimate, with linear counting while many registers are empty (64-bit hash: no
    large-range correction is needed at any shop's size)."""
    empty = M - len(registers)
    raw = _ALPHA * M * M / (sum(2.0 ** -int(rank) for rank in registers.values()) + empty)
    if raw <= 2.5 * M and empty:
        return round(M * math.log(M / empty))
    return round(raw)


def fields(payers: Iterable[str]) -> dict[str, Any]:
    """A day's payer fields as the source of truth says (the rebuild), or converted from a day written
    before the cap (its full `payer_ids`)."""
    ids = sorted(set(payers))
    over = len(ids) > CAP
    return {"payer_ids": [] if over else ids, "payers_over": over, "payer_hll": sketch(ids)}


def comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored day's payer fields, exactly. A day written before the sketch (no `shape`) keeps every
    payer's id, so they are the truth even where an event has since begun its sketch; once a payer past
    the cap has folded them in, the sketch holds them all."""
    if not (doc.get("shape") or doc.get("payers_over")):
        return fields(doc.get("payer_ids") or [])
    return {"payer_ids": sorted(doc.get("payer_ids") or []), "payers_over": bool(doc.get("payers_over")),
            "payer_hll": {str(k): int(v) for k, v in (doc.get("payer_hll") or {}).items()}}


class Union:
    """The distinct payers of a range, one day at a time: exact while every day is, else an estimate."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.registers: Registers = {}
        self.over = False
        self.orders = 0

    def add(self, doc: Mapping[str, Any]) -> tuple[int, bool]:
        """Add a day; its own figure and whether that is an estimate."""
        day = comparable(doc)
        orders = int(doc.get("orders") or 0)
        self.orders += orders
        merge(self.registers, day["payer_hll"])
        if not day["payers_over"]:
            self.ids.update(day["payer_ids"])
            return len(day["payer_ids"]), False
        self.over = True
        return _clamped(estimate(day["payer_hll"]), CAP + 1, orders), True

    def total(self) -> tuple[int, bool]:
        if not self.over:
            return len(self.ids), False
        return _clamped(estimate(self.registers), max(len(self.ids), CAP + 1), self.orders), True


def _clamped(value: int, low: int, high: int) -> int:
    return max(low, min(value, high)) if high >= low else value

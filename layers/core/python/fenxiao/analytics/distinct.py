"""Distinct paying users of a day and of a range, in bounded space: exact while small, then a sketch.

A day keeps its payers' ids while it has at most `CAP` = 200 of them (`payer_ids`, exact). The day's
201st payer replaces them for good with a HyperLogLog sketch of every payer (`payers_over: true`,
`payer_ids: []`, `payer_hll`); from then on the day's figure, and any range's that contains the day, is
the sketch's estimate, flagged as such. A range whose days are all under the cap is the exact union of
their ids.

The sketch: `P` = 10 bits of a 64-bit BLAKE2b hash of the id pick one of M = 1,024 registers, each
keeping the largest rank (leading zeros + 1) of the other 54 bits it has seen; stored as 1,024 bytes,
one per register (a single BSON binary: the embedded engine's cost per document grows with its number
of fields, ~1.6 µs each, and a field per register made a day as costly to read as its 1,100 ids). It is:
- deterministic: a given set of ids has exactly one sketch, so a rebuild from the source of truth must
  equal the stored one byte for byte (the drift check compares it exactly);
- idempotent and order-free: adding an id twice, or in any order, gives the same registers, so a
  replayed event changes nothing and events in any order agree;
- mergeable: the sketch of a union is the register-wise max of the sketches.

Error: the estimate's relative standard error is 1.04/√M ≈ 3.25%; about 99.7% of estimates fall within
±3σ ≈ 9.75% (`tests/admin/test_dashboard_sketches.py` checks that bound on 100 sets of 300–30,000 ids).
Below 2.5·M distinct ids the estimate is linear counting on the empty registers, which is tighter. An
estimate is also clamped to what is known for certain: more than the cap, at least the exact ids known,
at most the orders paid.
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
_POWERS = [2.0 ** -rank for rank in range(_REST + 2)]


def register(member: str) -> tuple[int, int]:
    """The register an id falls in and the rank it offers there."""
    hashed = int.from_bytes(hashlib.blake2b(member.encode(), digest_size=8).digest(), "big")
    rest = hashed & ((1 << _REST) - 1)
    return hashed >> _REST, _REST - rest.bit_length() + 1


def sketch(members: Iterable[str], into: bytes | None = None) -> bytes:
    """The sketch of `members` (added to `into`'s registers when given)."""
    registers = bytearray(into or bytes(M))
    for member in members:
        index, rank = register(member)
        if rank > registers[index]:
            registers[index] = rank
    return bytes(registers)


def merge(sketches: Iterable[bytes]) -> bytes:
    """The register-wise max: the sketch of the union."""
    present = [s for s in sketches if s]
    return bytes(map(max, *present)) if len(present) > 1 else (present[0] if present else bytes(M))


def estimate(registers: bytes) -> int:
    """HyperLogLog's estimate, with linear counting while many registers are empty (64-bit hash: no
    large-range correction is needed at any shop's size)."""
    empty = registers.count(0)
    raw = _ALPHA * M * M / sum(map(_POWERS.__getitem__, registers))
    if raw <= 2.5 * M and empty:
        return round(M * math.log(M / empty))
    return round(raw)


def fields(payers: Iterable[str]) -> dict[str, Any]:
    """A day's payer fields as the source of truth says (the rebuild), or converted from a day written
    before the cap (its full `payer_ids`)."""
    ids = sorted(set(payers))
    if len(ids) > CAP:
        return {"payer_ids": [], "payers_over": True, "payer_hll": sketch(ids)}
    return {"payer_ids": ids, "payers_over": False, "payer_hll": None}


def comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored day's payer fields, exactly (a day written before the cap, with every id, converted)."""
    if not doc.get("payers_over"):
        return fields(doc.get("payer_ids") or [])
    return {"payer_ids": [], "payers_over": True, "payer_hll": bytes(doc.get("payer_hll") or bytes(M))}


class Union:
    """The distinct payers of a range, one day at a time: exact while every day is, else an estimate."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.sketches: list[bytes] = []
        self.orders = 0

    def add(self, doc: Mapping[str, Any]) -> tuple[int, bool]:
        """Add a day; its own figure and whether that is an estimate."""
        orders = int(doc.get("orders") or 0)
        self.orders += orders
        if not doc.get("payers_over"):  # its ids (every one, for a day written before the cap)
            ids = doc.get("payer_ids") or []
            self.ids.update(ids)
            return len(ids), False
        registers = bytes(doc.get("payer_hll") or bytes(M))
        self.sketches.append(registers)
        return _clamped(estimate(registers), CAP + 1, orders), True

    def total(self) -> tuple[int, bool]:
        if not self.sketches:
            return len(self.ids), False
        union = sketch(self.ids, into=merge(self.sketches))
        return _clamped(estimate(union), max(len(self.ids), CAP + 1), self.orders), True


def _clamped(value: int, low: int, high: int) -> int:
    return max(low, min(value, high)) if high >= low else value

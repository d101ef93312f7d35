"""Integer money splitting: the reason every fen of a discount, refund or reversal is accounted for.

Rounding each share on its own loses or invents fen (3 × round(10/3) = 9). The helpers here never do:
`allocate` splits a total by the largest-remainder method, and `pro_rata` / `refund_for_units` take the
difference of two cumulative floors, so any sequence of partial amounts telescopes to exactly the whole.
"""
from __future__ import annotations

from collections.abc import Sequence


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over `weights` in proportion, summing exactly to `total`.

    Each share is the floor of its exact quota; the fen left over go one each to the largest remainders,
    ties to the earlier position, so the result is deterministic. Every share is within 1 fen of its exact
    quota, a zero weight always gets 0, and when `total <= sum(weights)` no share exceeds its weight.
    """
    if total < 0:
        raise ValueError("total must be >= 0")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be >= 0")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValueError("cannot allocate a positive total over zero weights")
        return [0] * len(weights)
    shares: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        share, remainder = divmod(total * weight, whole)
        shares.append(share)
        remainders.append(remainder)
    leftover = total - sum(shares)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:leftover]:
        shares[i] += 1
    return shares


def pro_rata(amount: int, part: int, whole: int, *, done: int = 0) -> int:
    """`amount × part / whole`, rounded so that consecutive parts sum to exactly `amount`.

    `done` is how much of `whole` earlier calls already covered. The result is
    `floor(amount × (done + part) / whole) − floor(amount × done / whole)`, so when the parts of a
    sequence add up to `whole`, the results add up to `amount` (e.g. commission reversed across several
    partial refunds: pass the units already refunded as `done`).
    """
    if whole <= 0:
        raise ValueError("whole must be > 0")
    if part < 0 or done < 0 or done + part > whole:
        raise ValueError("need 0 <= done, 0 <= part and done + part <= whole")
    return amount * (done + part) // whole - amount * done // whole


def refund_for_units(paid: int, quantity: int, already_refunded_units: int, units: int) -> int:
    """What refunding `units` more units of a line returns, given what was `paid` for all `quantity`.

    Any sequence of partial refunds that ends with the whole line refunded returns exactly `paid`; earlier
    refunds are rounded down, the last one carries the remaining fen.
    """
    if paid < 0:
        raise ValueError("paid must be >= 0")
    if quantity < 1:
        raise ValueError("quantity must be >= 1")
    return pro_rata(paid, units, quantity, done=already_refunded_units)

"""The dashboard's bounded day structures on their own: the paying-users sketch (exact ids up to the cap,
then HyperLogLog) and the day's leading distributors with the rule that says when a range merge is exact."""
from __future__ import annotations

import math
import random
from typing import Any

from fenxiao.analytics import distinct, leaders


def ids(n: int, tag: str = "u") -> list[str]:
    return [f"{tag}-{k:06d}" for k in range(n)]


# --- paying users ------------------------------------------------------------------------------

def test_the_sketch_is_deterministic_idempotent_order_free_and_merges_as_a_union() -> None:
    members = ids(3000)
    shuffled = random.Random(7).sample(members, len(members))
    assert distinct.sketch(members) == distinct.sketch(shuffled) == distinct.sketch(members + members[:500])
    merged = distinct.merge([distinct.sketch(members[:2000]), distinct.sketch(members[1000:])])
    assert merged == distinct.sketch(members) == distinct.sketch(members[2000:], into=distinct.sketch(members[:2000]))
    assert len(merged) == distinct.M and max(merged) <= 64 - distinct.P + 1


def test_the_estimate_stays_within_three_standard_errors() -> None:
    """The documented bound (docs/api-notes.md): relative standard error 1.04/√1024 ≈ 3.25%, every
    estimate within ±3σ ≈ 9.75%. 100 sets of 300–30,000 ids (deterministic: the hash is fixed)."""
    assert math.isclose(distinct.STANDARD_ERROR, 0.0325, abs_tol=1e-4)
    errors = []
    for k, n in enumerate([300, 500, 1000, 2000, 3000, 5000, 8000, 12000, 20000, 30000] * 10):
        estimate = distinct.estimate(distinct.sketch(ids(n, f"set{k}")))
        errors.append((estimate - n) / n)
    assert max(abs(e) for e in errors) <= 3 * distinct.STANDARD_ERROR
    assert math.sqrt(sum(e * e for e in errors) / len(errors)) <= 1.1 * distinct.STANDARD_ERROR


def test_a_day_keeps_exact_ids_up_to_the_cap_then_only_the_sketch() -> None:
    at_cap = distinct.fields(ids(distinct.CAP) + ids(10))  # repeats count once
    assert at_cap["payer_ids"] == sorted(ids(distinct.CAP)) and not at_cap["payers_over"]
    over = distinct.fields(ids(distinct.CAP + 1))
    assert over["payer_ids"] == [] and over["payers_over"]
    assert over["payer_hll"] == distinct.sketch(ids(distinct.CAP + 1))


def _day(payers: list[str], orders: int | None = None) -> dict[str, Any]:
    return {"shape": 2, "orders": len(payers) if orders is None else orders, **distinct.fields(payers)}


def test_a_range_is_exact_while_every_day_is_and_an_estimate_once_one_is_not() -> None:
    small = distinct.Union()
    assert small.add(_day(ids(150))) == (150, False)
    assert small.add(_day(ids(200, "v"))) == (200, False)
    assert small.add(_day(ids(100))) == (100, False)            # the same 100 payers as day 1
    assert small.total() == (350, False)                        # exact union, above the cap per day

    mixed = distinct.Union()
    mixed.add(_day(ids(150)))
    day, estimated = mixed.add(_day(ids(5000, "w")))
    assert estimated and abs(day - 5000) <= 3 * distinct.STANDARD_ERROR * 5000
    total, estimated = mixed.total()
    assert estimated and abs(total - 5150) <= 3 * distinct.STANDARD_ERROR * 5150


def test_an_estimate_never_leaves_what_is_known_for_certain() -> None:
    """At least the cap + 1 (the day went over) and the exact ids known; at most the orders paid."""
    crowded = distinct.Union()
    assert crowded.add(_day(ids(5000), orders=4000)) == (4000, True)   # cannot have more payers than orders
    assert crowded.total() == (4000, True)
    thin = distinct.Union()
    thin.add({"shape": 2, "orders": 900, "payers_over": True, "payer_ids": [], "payer_hll": bytes(distinct.M)})
    assert thin.total() == (distinct.CAP + 1, True)


def test_an_old_shape_day_counts_from_its_ids() -> None:
    """A day written before the cap keeps every payer's id: exact, and converted to the capped shape."""
    old = {"orders": 300, "payer_ids": ids(250)}
    assert distinct.comparable(old) == distinct.fields(ids(250))
    assert distinct.Union().add(old) == (250, False)


# --- leading distributors --------------------------------------------------------------------

def _leaders(sales: dict[str, int], earned: dict[str, int] | None = None) -> dict[str, Any]:
    return {"_id": "2024-05-01", **leaders.fields(sales, earned or {})}


def test_a_day_keeps_its_top_k_and_how_far_the_rest_reach() -> None:
    sales = {f"d{k:03d}": 1000 + k for k in range(leaders.K + 5)}
    day = leaders.fields(sales, {"e1": 7, "d000": 3})
    assert [uid for uid, _, _ in leaders.rows(day)] == [f"d{k:03d}" for k in range(leaders.K + 4, 4, -1)]
    assert day["leaders_rest"] == {"count": 6, "sales": 1004}    # d000–d004 and e1 (earned, no sales)
    assert leaders.fields({"a": 5}, {"b": -2, "c": 0}) == {
        "leaders": '[["a",5,0],["b",0,-2]]',
        "leaders_rest": {"count": 0, "sales": 0}}


def _board(*days: dict[str, Any]) -> leaders.Board:
    board = leaders.Board()
    for day in days:
        board.add(day)
    return board


def test_a_range_of_days_that_left_no_one_out_is_exact() -> None:
    rows, estimated = _board(_leaders({"a": 30, "b": 20}, {"a": 3, "c": 1}), _leaders({"b": 15, "c": 5})).top()
    assert rows == [("b", 35, 0), ("a", 30, 3), ("c", 5, 1)] and not estimated


def test_a_cut_range_is_exact_only_when_no_one_left_out_can_reach_the_list() -> None:
    tail = {f"t{k:03d}": 10 for k in range(leaders.K)}           # 50 small sellers fill the rest of each day
    heads = {f"h{k}": 10_000 - k for k in range(leaders.TOP)}
    day1 = _leaders({**heads, **tail, "late": 9})                 # `late` left out with 9
    day2 = _leaders({**heads, **tail, "late2": 9})
    rows, estimated = _board(day1, day2).top()
    assert [uid for uid, _, _ in rows] == list(heads) and not estimated   # 10th: 19,982 ≫ 9 + 9

    fifty = {f"s{k:02d}": 100 for k in range(leaders.K)}          # every kept seller: 100 a day, 200 listed
    assert _board(_leaders({**fifty, "x": 99}), _leaders({**fifty, "x": 99})).top()[1] is False  # x ≤ 198
    assert _board(_leaders({**fifty, "x": 100}), _leaders({**fifty, "x": 100})).top()[1] is True  # x may be 200
    missing = _board(_leaders({**heads, **tail, "x": 9}), _leaders({"h0": 5}))
    assert missing.top()[1] is False                               # day 2 left no one out: h0's sum is complete
    partial = _board(_leaders({**heads, **tail}), _leaders({**{f"o{k}": 50 for k in range(leaders.K)}, "h0": 1}))
    assert partial.top()[1] is True                                # h0 left out on day 2: its sum may miss a part


def test_stale_days_give_the_oldest_computation_as_of() -> None:
    from datetime import UTC, datetime

    at = datetime(2024, 5, 1, 3, tzinfo=UTC)
    board = _board({**_leaders({"a": 1}), "leaders_stale": True, "leaders_at": at},
                   {**_leaders({}), "_id": "2024-05-02", "leaders_stale": True})
    assert board.as_of == at                                       # 2 May never computed: its start (after `at`)
    assert _board(_leaders({"a": 1})).as_of is None

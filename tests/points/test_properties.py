"""Hypothesis: no sequence of earning, spending, refunding and expiring creates or loses a point."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fenxiao import clock
from fenxiao.errors import BusinessRule
from fenxiao.ids import new_id
from fenxiao.points import expiry, journal, orders, rules
from fenxiao.pricing import refund_for_units
from tests.support.invariants import points_drift

YEARS = (2021, 2022, 2023, 2024)

ops = st.lists(st.one_of(
    st.tuples(st.just("credit"), st.sampled_from(YEARS), st.integers(1, 500)),
    st.tuples(st.just("spend"), st.sampled_from(YEARS), st.integers(1, 700)),
    st.tuples(st.just("release"), st.sampled_from(YEARS), st.integers(0, 10)),
    st.tuples(st.just("expire"), st.sampled_from(YEARS), st.just(0)),
), max_size=25)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_balance_is_the_journal_sum_and_expiry_takes_exactly_the_oldest_unspent_points(db, steps):
    user = new_id()
    lots: list[list[int]] = []  # the model: [year, points left], oldest first (debits take the oldest)
    spends: list[tuple[str, int, int]] = []  # (order id, points, year) of spends not yet released
    expired_years: set[int] = set()
    for op, year, n in sorted(steps, key=lambda s: s[1]):  # time only moves forward
        with clock.pinned(clock.parse(f"{year}-06-01T04:00:00Z")):
            if op == "credit":
                journal.post(db, [journal.entry(new_id(), user, "adjust", points=n)])
                lots.append([year, n])
            elif op == "spend":
                order_id = new_id()
                db.orders.insert_one({"_id": order_id, "order_no": order_id, "user_id": user})
                try:
                    orders.spend(db, user, order_id, n)
                except BusinessRule:
                    assert n > sum(points for _, points in lots)
                    continue
                _take(lots, n)
                spends.append((order_id, n, year))
            elif op == "release" and spends:
                order_id, points, _ = spends.pop(n % len(spends))
                assert orders.release_spend(db, {"_id": order_id, "points_used": points})
                lots.append([year, points])
            elif op == "expire" and year - 1 not in expired_years and year - 1 >= YEARS[0]:
                expired_years.add(year - 1)
                due = sum(points for lot_year, points in lots if lot_year <= year - 1)
                expiry.expire_year(db, year - 1)  # every shopper's (earlier examples' too)
                expired = db.points_journal.find_one({"_id": f"expire:{year - 1}:{user}"})
                assert (expired["points"] if expired else 0) == -due
                _take(lots, due)
        assert journal.account(db, user)["points"] == sum(points for _, points in lots)
        assert journal.account(db, user)["points"] >= 0
    assert not points_drift(db)


def _take(lots: list[list[int]], n: int) -> None:
    for lot in lots:
        used = min(lot[1], n)
        lot[1] -= used
        n -= used


refund_steps = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), max_size=8)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(st.integers(1, 5), st.integers(0, 30_000), st.integers(0, 5_000)),
                      min_size=1, max_size=3),
       spent=st.integers(0, 3_000), rate=st.integers(0, 5), complete_after=st.integers(0, 8), steps=refund_steps)
def test_an_orders_points_follow_its_net_through_any_refunds_and_end_at_zero(db, lines, spent, rate, complete_after,
                                                                           steps):
    """Earned on the final net, spent points back pro rata: whatever the order of refunds and completion."""
    from fenxiao.points.settings import update_points_settings

    update_points_settings(db, {"enabled": True, "earn_per_yuan": rate})
    user, order_id = new_id(), new_id()
    docs = [{"sku_id": f"s{i}", "quantity": q, "paid": paid, "points_discount": min(pd, paid),
             "refunded_quantity": 0, "refunded_amount": 0} for i, (q, paid, pd) in enumerate(lines)]
    points_discount = sum(d["points_discount"] for d in docs)
    used = spent if points_discount else 0
    db.orders.insert_one({"_id": order_id, "order_no": order_id, "user_id": user, "status": "paid", "lines": docs,
                          "refunded_amount": 0, "amounts": {"points_discount": points_discount}, "points_used": used,
                          "completed_at": None})
    journal.post(db, [journal.entry(f"spend:{order_id}", user, "spend", points=-used, order_id=order_id)])
    plan = [*steps, *((i, d["quantity"]) for i, d in enumerate(docs))]  # ends fully refunded
    for n, (index, units) in enumerate(plan):
        if n == complete_after:
            db.orders.update_one({"_id": order_id}, {"$set": {"completed_at": clock.now(), "points_sync": True}})
        line = docs[index % len(docs)]
        units = min(units, line["quantity"] - line["refunded_quantity"])
        if units:
            amount = refund_for_units(line["paid"], line["quantity"], line["refunded_quantity"], units)
            line["refunded_quantity"] += units
            line["refunded_amount"] += amount
            i = docs.index(line)
            db.orders.update_one({"_id": order_id}, {"$inc": {f"lines.{i}.refunded_quantity": units,
                                                             f"lines.{i}.refunded_amount": amount,
                                                             "refunded_amount": amount}})
        orders.sync_order(db, order_id)
        completed = n >= complete_after
        net = rules.net_goods(docs)
        want = (-used + rules.returned(used, rules.refunded_points_discount(docs), points_discount)
                + (rules.earned(net, rate) if completed else 0))
        assert journal.account(db, user)["points"] == want
        assert journal.account(db, user)["growth"] == (rules.growth(net) if completed else 0)
    assert journal.account(db, user) == {"points": 0, "growth": 0, "sign_in": {}}  # all back, nothing earned
    assert not points_drift(db)

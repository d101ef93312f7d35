"""GET /v1/admin/customers through the real admin handler: who the shop's customers are, by name."""
from __future__ import annotations

from fenxiao import clock
from fenxiao.users.phones import phone_fields
from tests.support.factories import admin_token, make_user


def test_customers_with_orders_spend_referrer_and_distributor_state(api, db) -> None:
    alice, _ = make_user(db, nickname="Alice 王", created_at=clock.parse("2026-01-01T00:00:00Z"))
    bob, _ = make_user(db, nickname="Bob 李", upline=[alice], referrer_id=alice, **phone_fields("13900139000"),
                       created_at=clock.parse("2026-02-01T00:00:00Z"))
    db.distributors.insert_one({"_id": alice, "status": "approved", "code": "ALICE001"})
    paid = {"user_id": bob, "paid_at": clock.now(), "amounts": {"pay_amount": 10_000}, "refunded_amount": 2_500}
    db.orders.insert_many([{"_id": "o1", "order_no": "N1", **paid},
                           {"_id": "o2", "order_no": "N2", **paid, "refunded_amount": 0},
                           {"_id": "o3", "order_no": "N3", "user_id": bob, "paid_at": None,
                            "amounts": {"pay_amount": 99_999}}])  # unpaid: not spend
    token = admin_token(db, "viewer")

    items = api.get("/v1/admin/customers", token=token).json["items"]
    assert [c["nickname"] for c in items] == ["Bob 李", "Alice 王"]  # newest first
    assert items[0] == {"id": bob, "nickname": "Bob 李", "phone": "139****9000", "orders": 2, "spend": 17_500,
                        "referrer": {"id": alice, "nickname": "Alice 王"}, "distributor": None,
                        "created_at": "2026-02-01T00:00:00.000Z"}
    assert items[1]["distributor"] == {"status": "approved", "code": "ALICE001"} and items[1]["referrer"] is None

    def found(**query: str) -> list[str]:
        return [c["id"] for c in api.get("/v1/admin/customers", token=token, query=query).json["items"]]

    assert found(q="bob") == [bob]                 # nickname, any case
    assert found(q="13900139000") == [bob]         # a full phone through the blind index
    assert found(q="(") == []                      # typed text, never a regex
    assert found(referrer_id=alice) == [bob]       # a distributor's direct team
    assert api.get("/v1/admin/customers").status == 401

"""Group buying through the real handlers: open, join, fill, races for the last seat, expiry, refunds."""
from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import requests

from fenxiao import clock
from infra.local import wechat_emulator
from tests.orders.conftest import Shopper, make_shopper
from tests.support.catalog import make_product, stock_of
from tests.support.interleave import fail_before
from tests.support.invariants import assert_invariants

LIST_PRICE, GROUP_PRICE = 10000, 6900
SHIP = {"carrier": "SF", "tracking_no": "SF100"}


@pytest.fixture
def product(db) -> tuple[str, list[str]]:
    return make_product(db, [{"price": LIST_PRICE, "stock": 20}, {"price": 12000, "stock": 20}], title="拼团茶")


def campaign_body(product_id: str, sku_prices: dict[str, int], **overrides: Any) -> dict[str, Any]:
    now = clock.now()
    return {"product_id": product_id, "size": 3, "hours": 24, "sku_prices": sku_prices,
            "starts_at": clock.iso(now - timedelta(hours=1)), "ends_at": clock.iso(now + timedelta(days=3)),
            **overrides}


@pytest.fixture
def make_campaign(api, admin, product):
    def make(**overrides: Any) -> dict[str, Any]:
        product_id, (sku, _) = product
        r = api.post("/v1/admin/group-buys", campaign_body(product_id, {sku: GROUP_PRICE}, **overrides),
                     token=admin)
        assert r.status == 201, r
        return r.json

    return make


@pytest.fixture
def buyers(db) -> list[Shopper]:
    return [make_shopper(db) for _ in range(4)]


def order_body(who: Shopper, sku: str, group_buy: dict[str, Any] | None, quantity: int = 1, **extra: Any
               ) -> dict[str, Any]:
    body = {"items": [{"sku_id": sku, "quantity": quantity}], "address_id": who.address_id, **extra}
    if group_buy is not None:
        body["group_buy"] = group_buy
    return body


def place(api, who: Shopper, sku: str, campaign_id: str, group_id: str | None = None, **extra: Any):
    group_buy = {"campaign_id": campaign_id, **({"group_id": group_id} if group_id else {})}
    return api.post("/v1/orders", order_body(who, sku, group_buy, **extra), token=who.token)


def pay(api, who: Shopper, order_id: str) -> str:
    r = api.post(f"/v1/orders/{order_id}/pay", token=who.token)
    assert r.status == 200, r
    return r.json["out_trade_no"]


def succeed(stack, out_trade_no: str) -> None:
    """The shopper pays in WeChat: the emulator sends the signed notification to the notify function."""
    answer = requests.post(f"{stack['base_url']}/__wechat/pay/{out_trade_no}/succeed", timeout=30)
    assert answer.status_code == 200 and answer.json()["status"] == 204, answer.text


def buy(api, stack, who: Shopper, sku: str, campaign_id: str, group_id: str | None = None) -> dict[str, Any]:
    """Place and pay a group-buy order; returns the order as the shopper then sees it."""
    r = place(api, who, sku, campaign_id, group_id)
    assert r.status == 201, r
    succeed(stack, pay(api, who, r.json["id"]))
    return api.get(f"/v1/orders/{r.json['id']}", token=who.token).json


def open_group(api, stack, who, sku, campaign_id) -> tuple[dict[str, Any], str]:
    order = buy(api, stack, who, sku, campaign_id)
    assert order["group_buy"]["role"] == "leader" and order["group_buy"]["group_id"], order
    return order, order["group_buy"]["group_id"]


# --- admin ----------------------------------------------------------------------------------------

def test_admin_creates_edits_lists_and_disables(api, db, admin, product):
    product_id, (sku_a, sku_b) = product
    r = api.post("/v1/admin/group-buys", campaign_body(product_id, {sku_a: 6900, sku_b: 9900}), token=admin)
    assert r.status == 201, r
    created = r.json
    assert (created["size"], created["hours"], created["status"], created["state"]) == (3, 24, "enabled", "running")
    assert created["sku_prices"] == {sku_a: 6900, sku_b: 9900}
    page = api.get(f"/v1/products/{product_id}").json
    assert page["group_buy"] == {"campaign_id": created["id"], "size": 3, "hours": 24,
                                 "sku_prices": {sku_a: 6900, sku_b: 9900}, "ends_at": created["ends_at"]}

    edited = api.put(f"/v1/admin/group-buys/{created['id']}",
                     campaign_body(product_id, {sku_a: 5000}, size=5, hours=12), token=admin)
    assert edited.status == 200, edited
    assert (edited.json["size"], edited.json["hours"], edited.json["sku_prices"]) == (5, 12, {sku_a: 5000})
    listed = api.get("/v1/admin/group-buys", token=admin, query={"product_id": product_id})
    assert listed.status == 200 and listed.json["total"] == 1
    assert listed.json["items"][0]["groups"] == {"forming": 0, "succeeded": 0, "failed": 0}

    disabled = api.post(f"/v1/admin/group-buys/{created['id']}/disable", token=admin)
    assert disabled.status == 200 and (disabled.json["status"], disabled.json["state"]) == ("disabled", "disabled")
    assert "group_buy" not in api.get(f"/v1/products/{product_id}").json
    assert api.get("/v1/admin/group-buys", token=admin, query={"status": "enabled"}).json["total"] == 0


def test_admin_refuses_what_cannot_be_sold(api, db, admin, product):
    product_id, (sku_a, sku_b) = product
    _, (foreign,) = make_product(db, [{"price": 50000}])

    def post(body):
        return api.post("/v1/admin/group-buys", body, token=admin)

    for bad in ({"size": 1}, {"size": 51}, {"hours": 0}, {"hours": 73}, {"sku_prices": {}},
                {"sku_prices": {sku_a: 0}}, {"ends_at": clock.iso(clock.now() - timedelta(days=2))},
                {"extra": True}):
        body = {**campaign_body(product_id, {sku_a: 100}), **bad}
        r = post(body)
        assert (r.status, r.error_code) == (400, "INVALID_INPUT"), (bad, r)
    r = post(campaign_body(product_id, {foreign: 100}))
    assert (r.status, r.error_code) == (422, "UNKNOWN_SKU") and r.json["error"]["details"]["sku_ids"] == [foreign]
    r = post(campaign_body(product_id, {sku_a: LIST_PRICE}))
    assert (r.status, r.error_code) == (422, "GROUP_PRICE_NOT_LOWER")
    assert post(campaign_body("nope", {sku_a: 100})).error_code == "UNKNOWN_PRODUCT"
    first = post(campaign_body(product_id, {sku_a: 100}))
    assert first.status == 201
    r = post(campaign_body(product_id, {sku_b: 100}))
    assert (r.status, r.error_code) == (422, "GROUP_BUY_OVERLAP")
    other_product, (other_sku,) = make_product(db)
    r = api.put(f"/v1/admin/group-buys/{first.json['id']}", campaign_body(other_product, {other_sku: 1}),
                token=admin)
    assert (r.status, r.error_code) == (422, "GROUP_BUY_PRODUCT_FIXED")
    assert api.put("/v1/admin/group-buys/nope", campaign_body(product_id, {sku_a: 1}), token=admin).status == 404
    assert api.post("/v1/admin/group-buys/nope/disable", token=admin).error_code == "GROUP_BUY_NOT_FOUND"
    shopper_token = make_shopper(db).token
    assert post_as(api, shopper_token, campaign_body(product_id, {sku_a: 100})).status in (401, 403)
    assert api.get("/v1/admin/group-buys").status == 401


def post_as(api, token, body):
    return api.post("/v1/admin/group-buys", body, token=token)


# --- checkout -------------------------------------------------------------------------------------

def test_group_price_ignores_coupons_and_promotions(api, db, admin, product, make_campaign, make_template, claim,
                                                    buyers):
    _, (sku, _) = product
    now = clock.now()
    window = {"starts_at": clock.iso(now - timedelta(hours=1)), "ends_at": clock.iso(now + timedelta(days=1))}
    assert api.post("/v1/admin/promotions", {"kind": "limited_time", "name": "限时", "sku_prices": {sku: 5000},
                                             **window}, token=admin).status == 201
    assert api.post("/v1/admin/promotions", {"kind": "full_reduction", "name": "满减",
                                             "tiers": [{"threshold": 100, "amount": 50}], **window},
                    token=admin).status == 201
    campaign = make_campaign()
    who = buyers[0]
    coupon = claim(make_template(kind="no_threshold", amount=500, threshold=None)["id"], who.token).json

    plain = api.post("/v1/checkout/preview", {"items": [{"sku_id": sku, "quantity": 2}], "coupon_id": coupon["id"]},
                     token=who.token).json
    assert plain["lines"][0]["unit_price"] == 5000 and plain["coupon_discount"] == 500  # promotions stack
    body = {"items": [{"sku_id": sku, "quantity": 2}], "coupon_id": coupon["id"],
            "group_buy": {"campaign_id": campaign["id"]}}
    r = api.post("/v1/checkout/preview", body, token=who.token)
    assert r.status == 200, r
    preview = r.json
    assert preview["lines"][0]["unit_price"] == GROUP_PRICE
    assert (preview["goods_total"], preview["promotion_discount"], preview["coupon_discount"]) == (
        2 * LIST_PRICE, 2 * (LIST_PRICE - GROUP_PRICE), 0)
    assert preview["pay_amount"] == 2 * GROUP_PRICE
    assert [p["kind"] for p in preview["promotions"]] == ["group_buy"]
    assert preview["coupon"]["reason"] == "COUPON_NOT_STACKABLE" and preview["usable_coupons"] == []

    r = place(api, who, sku, campaign["id"], coupon_id=coupon["id"])
    assert (r.status, r.error_code) == (422, "COUPON_NOT_APPLICABLE")
    assert r.json["error"]["details"]["reason"] == "COUPON_NOT_STACKABLE"
    r = place(api, who, sku, campaign["id"])
    assert r.status == 201, r
    assert r.json["amounts"]["pay_amount"] == GROUP_PRICE and r.json["coupon_id"] is None
    assert r.json["group_buy"] == {"campaign_id": campaign["id"], "group_id": None, "role": "leader",
                                   "status": "forming"}


def test_group_buy_must_be_running_and_cover_the_lines(api, db, admin, product, make_campaign, buyers):
    _, (sku, unpriced) = product
    later = clock.now() + timedelta(days=1)
    scheduled = make_campaign(starts_at=clock.iso(later), ends_at=clock.iso(later + timedelta(days=1)))
    who = buyers[0]
    r = place(api, who, sku, scheduled["id"])
    assert (r.status, r.error_code) == (422, "GROUP_BUY_NOT_ACTIVE")
    assert place(api, who, sku, "nope").error_code == "GROUP_BUY_NOT_ACTIVE"
    running = make_campaign(ends_at=clock.iso(later - timedelta(hours=1)))  # windows must not overlap
    r = place(api, who, unpriced, running["id"])
    assert (r.status, r.error_code) == (422, "GROUP_BUY_SKU_INVALID")
    _, (foreign,) = make_product(db)
    assert place(api, who, foreign, running["id"]).error_code == "GROUP_BUY_SKU_INVALID"
    assert place(api, who, sku, running["id"], group_id="nope").status == 404
    api.post(f"/v1/admin/group-buys/{running['id']}/disable", token=admin)
    assert place(api, who, sku, running["id"]).error_code == "GROUP_BUY_NOT_ACTIVE"


# --- open, join, fill ------------------------------------------------------------------------------

def test_open_join_fill_then_ship(api, db, stack, admin, product, make_campaign, buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=3)
    leader, first, second, late = buyers
    before = clock.now()
    leader_order, group_id = open_group(api, stack, leader, sku, campaign["id"])
    assert leader_order["status"] == "paid" and leader_order["group_buy"]["status"] == "forming"
    group = api.get(f"/v1/group-buys/{group_id}").json
    assert (group["paid_count"], group["size"], group["status"], group["campaign_id"]) == (
        1, 3, "forming", campaign["id"])
    assert group["members"] == [{"nickname": "测**", "avatar_url": "", "joined_at": group["members"][0]["joined_at"]}]
    expires = clock.parse(group["expires_at"])
    assert before + timedelta(hours=24) - timedelta(seconds=5) <= expires <= clock.now() + timedelta(hours=24)

    r = api.post(f"/v1/admin/orders/{leader_order['id']}/ship", SHIP, token=admin)
    assert (r.status, r.error_code) == (409, "GROUP_NOT_COMPLETE")
    member_order = buy(api, stack, first, sku, campaign["id"], group_id)
    assert member_order["group_buy"]["role"] == "member" and member_order["group_buy"]["status"] == "forming"
    assert api.get(f"/v1/group-buys/{group_id}", token=late.token).json["paid_count"] == 2
    # `joined`: the signed-in viewer holds a seat (paid); anonymous and outsiders see false
    assert [api.get(f"/v1/group-buys/{group_id}", token=who.token).json["joined"]
            for who in (leader, first, late)] == [True, True, False]
    assert api.get(f"/v1/group-buys/{group_id}").json["joined"] is False
    last_order = buy(api, stack, second, sku, campaign["id"], group_id)

    assert last_order["group_buy"]["status"] == "succeeded" and last_order["status"] == "paid"
    group = api.get(f"/v1/group-buys/{group_id}").json
    assert (group["status"], group["paid_count"], len(group["members"])) == ("succeeded", 3, 3)
    for order in (leader_order, member_order):
        assert db.orders.find_one({"_id": order["id"]})["group_buy"]["status"] == "succeeded"
    assert db.groups.find_one({"_id": group_id})["synced"] is True
    r = api.post(f"/v1/admin/orders/{leader_order['id']}/ship", SHIP, token=admin)
    assert r.status == 200 and r.json["status"] == "shipped", r
    r = place(api, late, sku, campaign["id"], group_id)
    assert (r.status, r.error_code) == (422, "GROUP_FULL")
    assert db.refunds.count_documents({}) == 0
    listed = api.get("/v1/admin/group-buys", token=admin).json["items"][0]
    assert listed["groups"] == {"forming": 0, "succeeded": 1, "failed": 0}


def test_a_member_cannot_join_their_group_twice(api, db, stack, product, make_campaign, buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=3)
    leader, member = buyers[:2]
    _, group_id = open_group(api, stack, leader, sku, campaign["id"])
    r = place(api, leader, sku, campaign["id"], group_id)
    assert (r.status, r.error_code) == (422, "ALREADY_IN_GROUP")
    # two orders placed and both sent to WeChat before either is paid: the second payment is refunded
    first = place(api, member, sku, campaign["id"], group_id).json
    second = place(api, member, sku, campaign["id"], group_id).json
    first_no, second_no = pay(api, member, first["id"]), pay(api, member, second["id"])
    succeed(stack, first_no)
    assert place(api, member, sku, campaign["id"], group_id).error_code == "ALREADY_IN_GROUP"
    r = api.post(f"/v1/orders/{second['id']}/pay", token=member.token)
    assert (r.status, r.error_code) == (422, "ALREADY_IN_GROUP")
    stock_before = stock_of(db, sku)
    succeed(stack, second_no)
    loser = db.orders.find_one({"_id": second["id"]})
    assert loser["group_buy"]["status"] == "failed" and loser["group_buy"]["fail_reason"] == "ALREADY_IN_GROUP"
    assert loser["status"] == "refunded" and stock_of(db, sku) == stock_before + 1
    group = db.groups.find_one({"_id": group_id})
    assert group["paid_count"] == 2 and [m["order_id"] for m in group["members"]][1] == first["id"]


def test_a_full_group_cannot_be_joined_even_by_an_order_placed_earlier(api, db, stack, product, make_campaign,
                                                                         buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=2)
    leader, winner, late = buyers[:3]
    _, group_id = open_group(api, stack, leader, sku, campaign["id"])
    early = place(api, late, sku, campaign["id"], group_id)
    assert early.status == 201, early
    buy(api, stack, winner, sku, campaign["id"], group_id)
    r = api.post(f"/v1/orders/{early.json['id']}/pay", token=late.token)
    assert (r.status, r.error_code) == (422, "GROUP_FULL")
    assert place(api, late, sku, campaign["id"], group_id).error_code == "GROUP_FULL"


def test_race_for_the_last_seat_one_wins_the_loser_is_refunded(api, db, stack, product, make_campaign, buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=2)
    leader, a, b = buyers[:3]
    _, group_id = open_group(api, stack, leader, sku, campaign["id"])
    orders = {who.user_id: place(api, who, sku, campaign["id"], group_id).json for who in (a, b)}
    numbers = [pay(api, who, orders[who.user_id]["id"]) for who in (a, b)]
    stock_before = stock_of(db, sku)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def pay_now(out_trade_no: str) -> None:
        barrier.wait()
        try:
            succeed(stack, out_trade_no)
        except BaseException as exc:  # surfaced below: a thread's assert would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=pay_now, args=(no,)) for no in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    group = db.groups.find_one({"_id": group_id})
    assert (group["status"], group["paid_count"], len(group["members"])) == ("succeeded", 2, 2)
    docs = [db.orders.find_one({"_id": o["id"]}) for o in orders.values()]
    outcomes = sorted(d["group_buy"]["status"] for d in docs)
    assert outcomes == ["failed", "succeeded"]
    winner = next(d for d in docs if d["group_buy"]["status"] == "succeeded")
    loser = next(d for d in docs if d["group_buy"]["status"] == "failed")
    assert winner["status"] == "paid" and winner["_id"] in [m["order_id"] for m in group["members"]]
    assert loser["status"] == "refunded" and loser["group_buy"]["fail_reason"] == "GROUP_FULL"
    refund = db.refunds.find_one({"order_id": loser["_id"]})
    assert (refund["kind"], refund["status"], refund["amount"]) == ("auto", "refunded", GROUP_PRICE)
    assert wechat_emulator.STORE.refunds[refund["out_refund_no"]]["amount"]["refund"] == GROUP_PRICE
    assert stock_of(db, sku) == stock_before + 1
    assert db.refunds.count_documents({}) == 1
    assert_invariants(db)


# --- expiry ---------------------------------------------------------------------------------------

def test_expiry_fails_the_group_and_refunds_every_paid_order(api, db, stack, admin, product, make_campaign,
                                                             buyers):
    from functions.schedules.expire_group_buys import handler

    _, (sku, _) = product
    campaign = make_campaign(size=3, hours=2)
    leader, member, unpaid = buyers[:3]
    stock_start = stock_of(db, sku)
    leader_order, group_id = open_group(api, stack, leader, sku, campaign["id"])
    member_order = buy(api, stack, member, sku, campaign["id"], group_id)
    pending = place(api, unpaid, sku, campaign["id"], group_id).json
    expires = db.groups.find_one({"_id": group_id})["expires_at"]
    assert stock_of(db, sku) == stock_start - 3

    early = handler({"now": clock.iso(expires - timedelta(minutes=1))})
    assert early["expired"] == 0 and early["refunded"] == 0
    assert db.groups.find_one({"_id": group_id})["status"] == "forming"

    result = handler({"now": clock.iso(expires + timedelta(minutes=1))})
    assert (result["expired"], result["orders_failed"], result["refunded"], result["refund_errors"]) == (1, 2, 2, 0)
    assert api.get(f"/v1/group-buys/{group_id}").json["status"] == "failed"
    for order, who in ((leader_order, leader), (member_order, member)):
        seen = api.get(f"/v1/orders/{order['id']}", token=who.token).json
        assert seen["status"] == "refunded" and seen["group_buy"]["status"] == "failed", seen
        assert [r["status"] for r in seen["refunds"]] == ["refunded"]
        assert seen["refunded_amount"] == GROUP_PRICE
    assert stock_of(db, sku) == stock_start - 1  # only the unpaid order still holds its unit
    assert db.orders.find_one({"_id": pending["id"]})["status"] == "pending_payment"
    r = api.post(f"/v1/orders/{pending['id']}/pay", token=unpaid.token)
    assert (r.status, r.error_code) == (422, "GROUP_CLOSED")
    assert len(wechat_emulator.STORE.refunds) == 2

    again = handler({"now": clock.iso(expires + timedelta(minutes=6))})
    assert again == {key: 0 for key in again}
    assert db.refunds.count_documents({}) == 2 and len(wechat_emulator.STORE.refunds) == 2


def test_expiry_retries_a_refund_that_failed_and_repairs_an_unflipped_full_group(api, db, stack, product,
                                                                                  make_campaign, buyers):
    from fenxiao.marketing.groupbuy import expiry
    from fenxiao.payments import refunds

    _, (sku, _) = product
    campaign = make_campaign(size=2)
    leader = buyers[0]
    leader_order, group_id = open_group(api, stack, leader, sku, campaign["id"])
    expires = db.groups.find_one({"_id": group_id})["expires_at"]

    with fail_before(refunds, "execute_refund", RuntimeError("WeChat Pay is unreachable"), call=None):
        first = expiry.expire_group_buys(db, expires + timedelta(minutes=1))
    assert (first["expired"], first["refund_errors"]) == (1, 1)
    assert db.orders.find_one({"_id": leader_order["id"]})["status"] == "paid"
    second = expiry.expire_group_buys(db, expires + timedelta(minutes=6))
    assert (second["expired"], second["refunded"]) == (0, 1)
    assert db.orders.find_one({"_id": leader_order["id"]})["status"] == "refunded"
    assert db.refunds.count_documents({}) == 1

    # a crash right after the last seat was taken leaves a full group forming: the schedule completes it
    other, member = buyers[1:3]
    order, group_id = open_group(api, stack, other, sku, campaign["id"])
    db.groups.update_one({"_id": group_id}, {"$inc": {"paid_count": 1}, "$push": {"members": {
        "user_id": member.user_id, "order_id": "o-member", "joined_at": clock.now()}}})
    expires = db.groups.find_one({"_id": group_id})["expires_at"]
    result = expiry.expire_group_buys(db, expires)
    assert (result["succeeded"], result["expired"], result["orders_succeeded"]) == (1, 0, 1)
    assert db.orders.find_one({"_id": order["id"]})["group_buy"]["status"] == "succeeded"


def test_get_group_is_404_for_an_unknown_id(api):
    r = api.get("/v1/group-buys/nope")
    assert (r.status, r.error_code) == (404, "GROUP_NOT_FOUND")


def test_a_payment_cannot_take_a_seat_past_the_size_even_before_the_flip(api, db, stack, product, make_campaign,
                                                                          buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=2)
    leader, late = buyers[:2]
    _, group_id = open_group(api, stack, leader, sku, campaign["id"])
    order = place(api, late, sku, campaign["id"], group_id).json
    out_trade_no = pay(api, late, order["id"])
    # the state a crash leaves between the last seat's $inc and the succeeded flip: full, still forming
    db.groups.update_one({"_id": group_id}, {"$inc": {"paid_count": 1}})
    succeed(stack, out_trade_no)
    loser = db.orders.find_one({"_id": order["id"]})
    assert (loser["status"], loser["group_buy"]["status"], loser["group_buy"]["fail_reason"]) == (
        "refunded", "failed", "GROUP_FULL")
    assert db.groups.find_one({"_id": group_id})["paid_count"] == 2


def test_no_after_sales_request_while_the_group_is_forming(api, db, stack, product, make_campaign, buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=3, hours=2)
    leader_order, _ = open_group(api, stack, buyers[0], sku, campaign["id"])
    r = api.post(f"/v1/orders/{leader_order['id']}/refunds", {"reason": "不想等了"}, token=buyers[0].token)
    assert (r.status, r.error_code) == (409, "GROUP_BUY_PENDING")
    assert db.refunds.count_documents({}) == 0


def test_members_are_told_once_whether_their_group_succeeded_or_failed(api, db, stack, product, make_campaign,
                                                                        buyers):
    from functions.schedules.expire_group_buys import handler
    from infra.local.seed import seed_messages

    seed_messages(db)
    _, (sku, _) = product
    for who in buyers:
        assert api.post("/v1/me/subscriptions", {"template_ids": ["demo-group-succeeded", "demo-group-failed",
                                                                  "demo-refund-result"]}, token=who.token).status == 200
    winners = make_campaign(size=2)
    leader, member, loner, _ = buyers
    _, group_id = open_group(api, stack, leader, sku, winners["id"])
    buy(api, stack, member, sku, winners["id"], group_id)
    lonely_order, lonely_group = open_group(api, stack, loner, sku, winners["id"])
    expires = db.groups.find_one({"_id": lonely_group})["expires_at"]
    handler({"now": clock.iso(expires + timedelta(minutes=1))})
    handler({"now": clock.iso(expires + timedelta(minutes=6))})  # a second run tells nobody again
    sent = [(m["touser"], m["template_id"]) for m in wechat_emulator.STORE.messages]
    openid = {who.user_id: f"dev_{who.user_id}" for who in buyers}
    assert sorted(sent) == sorted([(openid[leader.user_id], "demo-group-succeeded"),
                                   (openid[member.user_id], "demo-group-succeeded"),
                                   (openid[loner.user_id], "demo-group-failed")])  # an automatic refund: no second
    failed = next(m for m in wechat_emulator.STORE.messages if m["template_id"] == "demo-group-failed")
    assert failed["page"] == f"pages/orders/detail?id={lonely_order['id']}"
    assert failed["data"]["amount2"]["value"] == f"¥{GROUP_PRICE // 100}.{GROUP_PRICE % 100:02d}"


def test_home_sections_list_products_with_a_running_offer(api, db, admin, product, make_campaign) -> None:
    """GET /v1/products?promotion=group_buy|limited_time: the home page's 拼团 and 限时特价 sections."""
    product_id, _ = product
    other, (other_sku,) = make_product(db, [{"price": 3000}], title="限时茶")
    make_product(db, [{"price": 2000}], title="普通茶")
    now = clock.now()
    window = {"starts_at": clock.iso(now - timedelta(hours=1)), "ends_at": clock.iso(now + timedelta(days=1))}
    assert [p["id"] for p in api.get("/v1/products", query={"promotion": "group_buy"}).json["items"]] == []
    make_campaign()
    assert api.post("/v1/admin/promotions", {"kind": "limited_time", "name": "限时", "sku_prices": {other_sku: 1990},
                                             **window}, token=admin).status == 201
    grouped = api.get("/v1/products", query={"promotion": "group_buy"}).json["items"]
    assert [p["id"] for p in grouped] == [product_id]
    limited = api.get("/v1/products", query={"promotion": "limited_time"}).json["items"]
    assert [(p["id"], p["promotion"]["price"]) for p in limited] == [(other, 1990)]
    assert api.get("/v1/products", query={"promotion": "seckill"}).status == 400


def test_the_admin_lists_a_campaigns_groups_with_members_by_nickname(api, db, stack, admin, product, make_campaign,
                                                                     buyers):
    _, (sku, _) = product
    campaign = make_campaign(size=3)
    leader, member = buyers[:2]
    _, group_id = open_group(api, stack, leader, sku, campaign["id"])
    buy(api, stack, member, sku, campaign["id"], group_id)
    db.users.update_one({"_id": leader.user_id}, {"$set": {"nickname": "团长小王"}})
    listed = api.get(f"/v1/admin/group-buys/{campaign['id']}/groups", token=admin).json
    assert listed["total"] == 1
    group = listed["items"][0]
    assert (group["id"], group["status"], group["size"], group["paid_count"]) == (group_id, "forming", 3, 2)
    assert group["leader"] == {"id": leader.user_id, "nickname": "团长小王"}
    assert [m["id"] for m in group["members"]] == [leader.user_id, member.user_id]
    assert api.get("/v1/admin/group-buys/nope/groups", token=admin).error_code == "GROUP_BUY_NOT_FOUND"

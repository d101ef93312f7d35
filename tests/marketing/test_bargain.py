"""Bargains (砍价) through the real handlers: admin CRUD, start, friends help, anti-abuse, buy at the price
reached, races of helps."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from fenxiao import clock
from tests.marketing.test_group_buy import pay, succeed
from tests.orders.conftest import Shopper, make_shopper
from tests.support.catalog import make_product, stock_of
from tests.support.factories import admin_token, make_user
from tests.support.interleave import run_before
from tests.support.invariants import assert_invariants

LIST_PRICE, FLOOR = 10000, 100


@pytest.fixture
def product(db) -> tuple[str, list[str]]:
    return make_product(db, [{"price": LIST_PRICE, "stock": 50}, {"price": 12000, "stock": 50}], title="砍价茶")


def activity_body(product_id: str, sku: str, **overrides: Any) -> dict[str, Any]:
    now = clock.now()
    return {"title": "砍到1元", "product_id": product_id, "sku_id": sku, "floor_price": FLOOR, "max_helpers": 5,
            "hours": 24, "starts_at": clock.iso(now - timedelta(hours=1)),
            "ends_at": clock.iso(now + timedelta(days=3)), "limits": {"helper_min_account_hours": 0}, **overrides}


@pytest.fixture
def make_activity(api, admin, product):
    def make(**overrides: Any) -> dict[str, Any]:
        product_id, (sku, _) = product
        r = api.post("/v1/admin/bargain-activities", activity_body(product_id, sku, **overrides), token=admin)
        assert r.status == 201, r
        return r.json

    return make


def old_friend(db) -> tuple[str, str]:
    """A helper whose account is a week old."""
    return make_user(db, created_at=clock.now() - timedelta(days=7))


def start(api, who: Shopper, activity_id: str) -> dict[str, Any]:
    r = api.post("/v1/bargains", {"activity_id": activity_id}, token=who.token)
    assert r.status == 201, r
    return r.json


def help_(api, bargain_id: str, token: str, ip: str | None = None, device: str | None = None):
    headers = {"X-Device-Id": device} if device else None
    return api.post(f"/v1/bargains/{bargain_id}/helps", token=token, headers=headers, **({"ip": ip} if ip else {}))


def test_admin_creates_edits_lists_and_disables(api, db, admin, product, make_activity):
    product_id, (sku, sku_b) = product
    created = make_activity()
    assert (created["state"], created["floor_price"], created["limits"]["helps_per_ip_hour"]) == ("running", FLOOR, 20)
    edited = api.put(f"/v1/admin/bargain-activities/{created['id']}",
                     activity_body(product_id, sku_b, floor_price=500, max_helpers=3), token=admin)
    assert edited.status == 200 and (edited.json["sku_id"], edited.json["max_helpers"]) == (sku_b, 3)
    bad = api.post("/v1/admin/bargain-activities", activity_body(product_id, sku, floor_price=LIST_PRICE),
                   token=admin)
    assert bad.error_code == "BARGAIN_FLOOR_NOT_LOWER"
    assert api.post("/v1/admin/bargain-activities", activity_body(product_id, sku),
                    token=admin_token(db, "finance")).status == 403
    listed = api.get("/v1/admin/bargain-activities", token=admin).json
    assert [a["id"] for a in listed["items"]] == [created["id"]]
    assert [a["id"] for a in api.get("/v1/bargain-activities").json["items"]] == [created["id"]]
    assert api.get("/v1/bargain-activities").json["items"][0]["list_price"] == 12000
    assert api.post(f"/v1/admin/bargain-activities/{created['id']}/disable", token=admin).json["state"] == "disabled"
    assert api.get("/v1/bargain-activities").json["items"] == []
    shopper = make_shopper(db)
    r = api.post("/v1/bargains", {"activity_id": created["id"]}, token=shopper.token)
    assert r.error_code == "BARGAIN_NOT_ACTIVE"


def test_friends_cut_to_exactly_the_floor_then_the_shopper_buys(api, db, stack, product, make_activity):
    _, (sku, _) = product
    activity = make_activity()
    owner = make_shopper(db)
    bargain = start(api, owner, activity["id"])
    assert (bargain["price"], bargain["helps_needed"], bargain["status"], bargain["mine"]) == (LIST_PRICE, 5,
                                                                                               "active", True)
    assert start(api, owner, activity["id"])["id"] == bargain["id"]  # one bargain per activity and shopper
    assert help_(api, bargain["id"], owner.token).error_code == "BARGAIN_SELF_HELP"
    friends = [old_friend(db) for _ in range(6)]
    prices = []
    for _, token in friends[:5]:
        r = help_(api, bargain["id"], token)
        assert r.status == 201, r
        assert r.json["helped_by_me"] and not r.json["mine"]
        prices.append(r.json["price"])
    assert prices == sorted(prices, reverse=True) and prices[-1] == FLOOR
    assert help_(api, bargain["id"], friends[5][1]).error_code == "BARGAIN_FLOOR_REACHED"
    assert help_(api, bargain["id"], friends[0][1]).error_code == "BARGAIN_ALREADY_HELPED"
    seen = api.get(f"/v1/bargains/{bargain['id']}").json
    assert seen["status"] == "floor_reached" and seen["cut_total"] == LIST_PRICE - FLOOR
    assert [h["nickname"] for h in seen["helpers"]] == ["测**"] * 5 and sum(h["cut"] for h in seen["helpers"]) == 9900
    assert db.bargain_helps.count_documents({"bargain_id": bargain["id"]}) == 5

    body = {"items": [{"sku_id": sku, "quantity": 1}], "address_id": owner.address_id, "bargain_id": bargain["id"]}
    two = {**body, "items": [{"sku_id": sku, "quantity": 2}]}
    assert api.post("/v1/orders", two, token=owner.token).error_code == "BARGAIN_SKU_INVALID"
    stranger = make_shopper(db)
    assert api.post("/v1/orders", {**body, "address_id": stranger.address_id},
                    token=stranger.token).error_code == "BARGAIN_NOT_FOUND"
    preview = api.post("/v1/checkout/preview", {k: v for k, v in body.items() if k != "address_id"},
                       token=owner.token)
    placed = api.post("/v1/orders", body, token=owner.token)
    assert placed.status == 201, placed
    assert placed.json["amounts"]["pay_amount"] == preview.json["pay_amount"]
    assert db.orders.find_one({"_id": placed.json["id"]})["lines"][0]["unit_price"] == FLOOR
    assert api.post("/v1/orders", body, token=owner.token).error_code == "BARGAIN_CLOSED"  # one order holds it
    assert api.get(f"/v1/bargains/{bargain['id']}").json["status"] == "ordered"
    # cancelling frees the bargain; the next order is paid and the bargain is bought
    assert api.post(f"/v1/orders/{placed.json['id']}/cancel", token=owner.token).status == 200
    again = api.post("/v1/orders", body, token=owner.token)
    assert again.status == 201, again
    succeed(stack, pay(api, owner, again.json["id"]))
    assert api.get(f"/v1/bargains/{bargain['id']}").json["status"] == "bought"
    assert api.post("/v1/orders", body, token=owner.token).error_code == "BARGAIN_CLOSED"
    assert stock_of(db, sku) == 49
    assert_invariants(db)


def test_anti_abuse_new_accounts_and_velocity(api, db, product, make_activity):
    activity = make_activity(max_helpers=50, limits={"helper_min_account_hours": 48, "helps_per_ip_hour": 2,
                                                     "helps_per_device_hour": 1, "helps_per_helper_day": 10})
    owners = [make_shopper(db) for _ in range(3)]
    bargains = [start(api, o, activity["id"]) for o in owners]
    _, fresh = make_user(db)  # signed up just now
    r = help_(api, bargains[0]["id"], fresh)
    assert r.error_code == "BARGAIN_HELPER_TOO_NEW" and r.json["error"]["details"]["hours"] == 48
    friends = [old_friend(db)[1] for _ in range(3)]
    assert help_(api, bargains[0]["id"], friends[0], ip="10.0.0.9").status == 201
    assert help_(api, bargains[1]["id"], friends[1], ip="10.0.0.9").status == 201
    over = help_(api, bargains[2]["id"], friends[2], ip="10.0.0.9")
    assert over.status == 429 and over.error_code == "BARGAIN_HELP_LIMITED"
    assert over.json["error"]["details"]["limit"] == "helps_per_ip_hour"
    assert help_(api, bargains[2]["id"], friends[2], ip="10.0.0.10", device="d1").status == 201
    device = help_(api, bargains[2]["id"], old_friend(db)[1], ip="10.0.0.11", device="d1")
    assert device.json["error"]["details"]["limit"] == "helps_per_device_hour"


def test_a_friend_helping_twice_at_once_counts_once(api, db, product, make_activity):
    activity = make_activity(max_helpers=10)
    owner = make_shopper(db)
    bargain = start(api, owner, activity["id"])
    _, friend = old_friend(db)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: help_(api, bargain["id"], friend), range(8)))
    assert sorted(r.status for r in results) == [201] + [409] * 7
    doc = db.bargains.find_one({"_id": bargain["id"]})
    assert doc["helped"] == 1 and doc["price"] == LIST_PRICE - doc["cuts"][0]


def test_a_help_that_loses_the_race_for_a_cut_takes_the_next_one(api, db, product, make_activity):
    """Deterministic: a second friend's whole help lands between the first one's read and its update."""
    from fenxiao.marketing.bargain import bargains as module

    activity = make_activity(max_helpers=2)
    owner = make_shopper(db)
    bargain = start(api, owner, activity["id"])
    (_, first), (_, second) = old_friend(db), old_friend(db)
    landed: list[Any] = []
    with run_before(module, "_velocity", lambda *a, **k: landed.append(help_(api, bargain["id"], second)), call=1):
        r = help_(api, bargain["id"], first)
    assert landed[0].status == 201 and r.status == 201, (landed, r)
    doc = db.bargains.find_one({"_id": bargain["id"]})
    assert doc["helped"] == 2 and doc["price"] == FLOOR and [h["cut"] for h in doc["helpers"]] == doc["cuts"]
    first_helper, second_helper = (h["user_id"] for h in doc["helpers"])
    assert first_helper != second_helper


def test_many_friends_at_once_never_pass_the_floor(api, db, product, make_activity):
    activity = make_activity(max_helpers=5)
    owner = make_shopper(db)
    bargain = start(api, owner, activity["id"])
    friends = [old_friend(db)[1] for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda token: help_(api, bargain["id"], token), friends))
    ok = [r for r in results if r.status == 201]
    assert len(ok) == 5, [r for r in results if r.status != 201]
    assert {r.error_code for r in results if r.status != 201} <= {"BARGAIN_FLOOR_REACHED", "BARGAIN_BUSY"}
    doc = db.bargains.find_one({"_id": bargain["id"]})
    assert doc["price"] == FLOOR and doc["helped"] == 5 and sum(h["cut"] for h in doc["helpers"]) == LIST_PRICE - FLOOR
    assert len({h["user_id"] for h in doc["helpers"]}) == 5

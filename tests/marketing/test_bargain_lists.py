"""我的砍价 (the shopper's own bargains, by status) and the merchant's read-only view of an activity's
bargains and one bargain's helps, through the real handlers."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.marketing.bargain.rules import bargain_state, state_filter
from tests.marketing.test_bargain import help_, make_activity, old_friend, product, start  # noqa: F401 (fixtures)
from tests.marketing.test_group_buy import pay, succeed
from tests.orders.conftest import make_shopper
from tests.support.factories import admin_token, make_user

STATES = ("active", "floor_reached", "ordered", "bought", "expired")


@pytest.fixture
def shelf(api, db, stack, product, make_activity):  # noqa: F811
    """One shopper with a bargain in every state (newest last): active, floor reached, ordered, bought,
    expired; and a second shopper's bargain that must never show in the first one's list."""
    _, (sku, _) = product
    owner, other = make_shopper(db), make_shopper(db)
    made = {}
    for state in STATES:
        activity = make_activity(max_helpers=1 if state != "active" else 5)
        bargain = start(api, owner, activity["id"])
        made[state] = bargain["id"]
        if state == "active":
            continue
        assert help_(api, bargain["id"], old_friend(db)[1], ip="10.1.1.1").status == 201
        if state in ("ordered", "bought"):
            body = {"items": [{"sku_id": sku, "quantity": 1}], "address_id": owner.address_id,
                    "bargain_id": bargain["id"]}
            placed = api.post("/v1/orders", body, token=owner.token)
            assert placed.status == 201, placed
            if state == "bought":
                succeed(stack, pay(api, owner, placed.json["id"]))
        if state == "expired":
            db.bargains.update_one({"_id": bargain["id"]}, {"$set": {"expires_at": clock.now() - timedelta(seconds=1)}})
    start(api, other, make_activity()["id"])
    return owner, made


def test_my_bargains_all_then_each_tab(api, db, shelf):
    owner, made = shelf
    listed = api.get("/v1/me/bargains", token=owner.token)
    assert listed.status == 200, listed
    items = listed.json["items"]
    assert [i["id"] for i in items] == [made[s] for s in reversed(STATES)]  # newest first, only mine
    assert [i["status"] for i in items] == list(reversed(STATES))
    active = items[-1]
    assert (active["price"], active["helped"], active["helps_needed"], active["product"]["title"]) == (
        10000, 0, 5, "砍价茶")
    assert clock.parse(active["expires_at"]) > clock.parse(active["server_time"])  # the time left
    assert "helpers" not in active and "seed" not in active and "cuts" not in active
    floor = items[-2]
    assert (floor["price"], floor["floor_price"], floor["helped"], floor["cut_total"]) == (100, 100, 1, 9900)
    for state in STATES:
        tab = api.get("/v1/me/bargains", token=owner.token, query={"status": state}).json["items"]
        assert [(i["id"], i["status"]) for i in tab] == [(made[state], state)], state
    assert api.get("/v1/me/bargains", token=owner.token, query={"status": "nope"}).status == 400
    assert api.get("/v1/me/bargains").status == 401


def test_my_bargains_page_by_cursor(api, shelf):
    owner, made = shelf
    seen, cursor = [], None
    while True:
        query = {"page_size": "2", **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/me/bargains", token=owner.token, query=query).json
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [made[s] for s in reversed(STATES)]


def test_state_filter_agrees_with_bargain_state(db, shelf):
    """The list's tab query and the state a bargain shows are one decision (any drift would hide rows)."""
    now = clock.now()
    for doc in db.bargains.find({}):
        matching = [s for s in STATES if db.bargains.count_documents({"_id": doc["_id"], **state_filter(s, now)})]
        assert matching == [bargain_state(doc, now)]


def test_admin_sees_an_activitys_bargains_and_one_bargains_helps(api, db, product, make_activity):  # noqa: F811
    activity = make_activity(max_helpers=10)
    owner = make_shopper(db)
    bargain = start(api, owner, activity["id"])
    _, fresh = make_user(db, nickname="新号")  # signed up just now (the activity lets new accounts help)
    week_old = [make_user(db, nickname=f"老友{i}", created_at=clock.now() - timedelta(days=7)) for i in range(3)]
    assert help_(api, bargain["id"], fresh, ip="10.0.0.1", device="dev-a").status == 201
    for i, (_, token) in enumerate(week_old):
        assert help_(api, bargain["id"], token, ip="10.0.0.1" if i < 2 else "10.0.0.2").status == 201
    admin = admin_token(db, "viewer")  # read-only staff may look

    bargains = api.get(f"/v1/admin/bargain-activities/{activity['id']}/bargains", token=admin)
    assert bargains.status == 200, bargains
    (row,) = bargains.json["items"]
    assert (row["id"], row["user"]["id"], row["helped"], row["status"]) == (bargain["id"], owner.user_id, 4, "active")
    assert row["product"]["title"] == "砍价茶" and "helpers" not in row

    first = api.get(f"/v1/admin/bargains/{bargain['id']}/helps", token=admin, query={"page_size": "3"}).json
    assert first["bargain"]["user"]["id"] == owner.user_id
    assert [h["helper"]["nickname"] for h in first["items"]] == ["新号", "老友0", "老友1"]  # in order, unmasked
    new, old = first["items"][0], first["items"][1]
    assert (new["new_account"], new["account_age_hours"], new["ip"], new["device"]) == (True, 0, "10.0.0.1", "dev-a")
    assert (old["new_account"], old["account_age_hours"]) == (False, 168)
    assert [h["same_ip_helps"] for h in first["items"]] == [3, 3, 3]
    assert new["same_device_helps"] == 1 and old["same_device_helps"] == 0
    assert sum(h["cut"] for h in first["items"]) == sum(db.bargains.find_one({"_id": bargain["id"]})["cuts"][:3])
    rest = api.get(f"/v1/admin/bargains/{bargain['id']}/helps", token=admin,
                   query={"page_size": "3", "cursor": first["next_cursor"]}).json
    assert [(h["helper"]["nickname"], h["same_ip_helps"]) for h in rest["items"]] == [("老友2", 1)]
    assert rest["next_cursor"] is None

    assert api.get("/v1/admin/bargains/nope/helps", token=admin).error_code == "BARGAIN_NOT_FOUND"
    assert api.get("/v1/admin/bargain-activities/nope/bargains",
                   token=admin).error_code == "BARGAIN_ACTIVITY_NOT_FOUND"
    assert api.get(f"/v1/admin/bargains/{bargain['id']}/helps", token=owner.token).status in (401, 403)


def test_product_page_shows_its_running_seckill_and_bargain(api, db, admin, product, make_activity):  # noqa: F811
    product_id, (sku, sku_b) = product
    page = api.get(f"/v1/products/{product_id}").json
    assert "seckill" not in page and "bargain" not in page  # nothing running: the fields are absent
    now = clock.now()

    def window(start_h: float, end_h: float) -> dict[str, str | None]:
        return {"starts_at": clock.iso(now + timedelta(hours=start_h)),
                "ends_at": clock.iso(now + timedelta(hours=end_h))}

    make_activity(**window(1, 5))  # a bargain still to come is not offered
    assert "bargain" not in api.get(f"/v1/products/{product_id}").json
    running_bargain = make_activity(**window(-1, 10))
    seckill = api.post("/v1/admin/seckill-activities", {
        "title": "整点秒杀", "product_id": product_id, "sku_prices": {sku: 990, sku_b: 1990}, "stock": 10,
        "slots": [window(2, 3)]}, token=admin)
    assert seckill.status == 201, seckill
    page = api.get(f"/v1/products/{product_id}").json
    assert (page["bargain"]["id"], page["bargain"]["floor_price"], page["bargain"]["state"]) == (
        running_bargain["id"], 100, "running")
    assert (page["seckill"]["id"], page["seckill"]["state"], page["seckill"]["sku_prices"][sku]) == (
        seckill.json["id"], "upcoming", 990)
    assert page["seckill"]["slot"]["starts_at"] == window(2, 3)["starts_at"] and "holds" not in page["seckill"]
    api.post(f"/v1/admin/seckill-activities/{seckill.json['id']}/disable", token=admin)
    api.post(f"/v1/admin/bargain-activities/{running_bargain['id']}/disable", token=admin)
    page = api.get(f"/v1/products/{product_id}").json
    assert "seckill" not in page and "bargain" not in page

"""After-sales refunds through the real handlers: request, admin approve/reject, WeChat refund, notify."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from fenxiao import clock, wechat
from fenxiao.config import get_config
from infra.local import wechat_emulator
from infra.local.wechat_emulator import pay as emulator_pay
from tests.payments.conftest import REFUND_NOTIFY, send
from tests.support.factories import admin_token, make_user
from tests.support.invariants import assert_invariants
from tests.support.orders import make_order

ITEMS = [{"price": 1000, "quantity": 3}, {"price": 500, "quantity": 2, "paid": 900}]  # 3000 + 900


def _request(api, order, token, lines=None, reason="不想要了"):
    body = {"reason": reason} if lines is None else {"reason": reason, "lines": lines}
    return api.post(f"/v1/orders/{order['_id']}/refunds", body, token=token)


def _approve(api, refund_id, token):
    return api.post(f"/v1/admin/refunds/{refund_id}/approve", token=token)


def _refund_ok(api, order, token, owner, lines=None) -> dict:
    requested = _request(api, order, token, lines)
    assert requested.status == 201, requested
    approved = _approve(api, requested.json["id"], owner)
    assert approved.status == 200, approved
    assert approved.json["status"] == "refunded"
    return approved.json


def _stock(db, order, i=0):
    return db.skus.find_one({"_id": order["lines"][i]["sku_id"]})["stock"]


def test_whole_order_refund_returns_everything_and_closes_the_order(api, db, paid_order, shopper, owner):
    order = paid_order(items=ITEMS, shipping_fee=800)
    before = (_stock(db, order, 0), _stock(db, order, 1))
    requested = _request(api, order, shopper[1])
    assert requested.status == 201
    assert {k: requested.json[k] for k in ("status", "amount")} == {"status": "requested", "amount": 4700}
    assert db.orders.find_one({"_id": order["_id"]})["refund_open"] is True
    approved = _approve(api, requested.json["id"], owner).json
    assert approved["status"] == "refunded" and approved["shipping_amount"] == 800
    done = db.orders.find_one({"_id": order["_id"]})
    assert done["status"] == "refunded" and done["refunded_amount"] == 4700 == done["amounts"]["pay_amount"]
    assert [(ln["refunded_quantity"], ln["refunded_amount"]) for ln in done["lines"]] == [(3, 3000), (2, 900)]
    assert done["refund_open"] is False and done["open_refund_id"] is None
    assert (_stock(db, order, 0), _stock(db, order, 1)) == (before[0] + 3, before[1] + 2)  # never shipped
    (sent,) = wechat_emulator.STORE.refunds.values()
    assert sent["amount"]["refund"] == 4700 and sent["out_trade_no"] == done["payment"]["out_trade_no"]
    notified = [d for d in wechat_emulator.STORE.deliveries if d["event_type"] == "REFUND.SUCCESS"]
    assert [d["status"] for d in notified] == [204]
    detail = api.get(f"/v1/orders/{order['_id']}", token=shopper[1])
    if detail.status == 200:  # the orders helper's detail shows the refunds
        assert [r["id"] for r in detail.json["refunds"]] == [requested.json["id"]]


def test_partial_refunds_add_up_to_exactly_what_was_paid(api, db, paid_order, shopper, owner):
    order = paid_order(items=ITEMS, shipping_fee=800)
    token = shopper[1]
    first = _refund_ok(api, order, token, owner, [{"sku_id": order["lines"][0]["sku_id"], "quantity": 1}])
    assert first["amount"] == 1000 and first["shipping_amount"] == 0
    second = _refund_ok(api, order, token, owner, [{"sku_id": order["lines"][1]["sku_id"], "quantity": 1}])
    assert second["amount"] == 450
    mid = db.orders.find_one({"_id": order["_id"]})
    assert mid["status"] == "paid" and mid["refunded_amount"] == 1450
    last = _refund_ok(api, order, token, owner, [{"sku_id": order["lines"][0]["sku_id"], "quantity": 2},
                                                 {"sku_id": order["lines"][1]["sku_id"], "quantity": 1}])
    assert last["shipping_amount"] == 800 and last["amount"] == 2000 + 450 + 800  # with the last units
    done = db.orders.find_one({"_id": order["_id"]})
    assert done["status"] == "refunded" and done["refunded_amount"] == done["amounts"]["pay_amount"] == 4700
    assert sum(r["amount"]["refund"] for r in wechat_emulator.STORE.refunds.values()) == 4700


def test_two_partial_refunds_of_an_odd_amount_sum_to_paid(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 3, "paid": 1000}])
    sku = order["lines"][0]["sku_id"]
    one = _refund_ok(api, order, shopper[1], owner, [{"sku_id": sku, "quantity": 1}])
    two = _refund_ok(api, order, shopper[1], owner, [{"sku_id": sku, "quantity": 2}])
    assert (one["amount"], two["amount"]) == (333, 667)
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "refunded"


def test_shipping_is_refunded_only_with_the_whole_order(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 2}], shipping_fee=600)
    sku = order["lines"][0]["sku_id"]
    part = _refund_ok(api, order, shopper[1], owner, [{"sku_id": sku, "quantity": 1}])
    assert (part["amount"], part["shipping_amount"]) == (1000, 0)
    rest = _refund_ok(api, order, shopper[1], owner)  # no lines: whatever is left, shipping included
    assert (rest["amount"], rest["shipping_amount"]) == (1600, 600)


def test_shipped_units_do_not_return_to_stock(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 2}], status="shipped")
    before = _stock(db, order)
    _refund_ok(api, order, shopper[1], owner)
    assert _stock(db, order) == before
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "refunded"


def test_rejection_frees_the_units_for_a_new_request(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 2}])
    requested = _request(api, order, shopper[1]).json
    rejected = api.post(f"/v1/admin/refunds/{requested['id']}/reject", {"reason": "已使用"}, token=owner)
    assert rejected.status == 200 and rejected.json["status"] == "rejected"
    assert rejected.json["reject_reason"] == "已使用"
    current = db.orders.find_one({"_id": order["_id"]})
    assert current["refund_open"] is False and current["refunded_amount"] == 0 and current["status"] == "paid"
    assert _approve(api, requested["id"], owner).error_code == "REFUND_NOT_APPROVABLE"
    assert wechat_emulator.STORE.refunds == {}
    assert _request(api, order, shopper[1]).status == 201


def test_one_open_refund_per_order(api, db, paid_order, shopper):
    order = paid_order(items=[{"price": 1000, "quantity": 4}])
    sku = order["lines"][0]["sku_id"]
    barrier = threading.Barrier(2)
    answers = []

    def ask() -> None:
        barrier.wait()
        answers.append(_request(api, order, shopper[1], [{"sku_id": sku, "quantity": 2}]))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status for a in answers) == [201, 409]
    assert [a.error_code for a in answers if a.status == 409] == ["REFUND_IN_PROGRESS"]
    assert db.refunds.count_documents({}) == 1
    assert_invariants(db)


def test_completed_orders_only_within_the_after_sales_window(api, db, paid_order, shopper):
    order = paid_order(items=[{"price": 1000}], status="completed")
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"completed_at": clock.now() - timedelta(days=8)}})
    late = _request(api, order, shopper[1])
    assert late.status == 422 and late.error_code == "AFTER_SALES_EXPIRED"
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"completed_at": clock.now() - timedelta(days=6)}})
    assert _request(api, order, shopper[1]).status == 201


def test_refusals(api, db, shopper, paid_order):
    user_id, token = shopper
    unpaid = make_order(db, user_id)
    assert _request(api, unpaid, token).error_code == "ORDER_NOT_REFUNDABLE"
    order = paid_order(items=[{"price": 1000, "quantity": 2}])
    sku = order["lines"][0]["sku_id"]
    _, stranger = make_user(db)
    assert _request(api, order, stranger).status == 404
    too_many = _request(api, order, token, [{"sku_id": sku, "quantity": 3}])
    assert too_many.status == 422 and too_many.error_code == "REFUND_QUANTITY_EXCEEDED"
    assert _request(api, order, token, [{"sku_id": "x", "quantity": 1}]).error_code == "REFUND_LINE_UNKNOWN"
    for body in ({"reason": ""}, {"reason": "x", "lines": []}, {"reason": "x", "extra": 1},
                 {"reason": "x", "lines": [{"sku_id": sku, "quantity": 0}]},
                 {"reason": "x", "lines": [{"sku_id": sku, "quantity": 1}, {"sku_id": sku, "quantity": 1}]}):
        resp = api.post(f"/v1/orders/{order['_id']}/refunds", body, token=token)
        assert resp.status == 400 and resp.error_code == "INVALID_INPUT", body
    assert db.refunds.count_documents({}) == 0


def test_admin_routes_need_the_right_admin(api, db, paid_order, shopper, owner):
    order = paid_order()
    refund_id = _request(api, order, shopper[1]).json["id"]
    for method, path in (("GET", "/v1/admin/refunds"), ("POST", f"/v1/admin/refunds/{refund_id}/approve"),
                         ("POST", f"/v1/admin/refunds/{refund_id}/reject")):
        assert api.call(method, path, token=shopper[1], json_body={}).status == 403
        assert api.call(method, path, json_body={}).status == 401
    operator = admin_token(db, "operator")
    assert _approve(api, refund_id, operator).error_code == "ROLE_FORBIDDEN"
    listed = api.get("/v1/admin/refunds", token=operator, query={"status": "requested"}).json
    assert [r["id"] for r in listed["items"]] == [refund_id] and listed["total"] == 1
    # named as the merchant knows it: the order number and the buyer, not ids
    buyer = db.users.find_one({"_id": shopper[0]})
    assert listed["items"][0]["order_no"] == order["order_no"]
    assert listed["items"][0]["buyer"] == {"id": shopper[0], "nickname": buyer["nickname"]}
    assert api.get("/v1/admin/refunds", token=owner, query={"status": "refunded"}).json["total"] == 0
    assert api.get("/v1/admin/refunds", token=owner, query={"status": "bogus"}).status == 400
    assert api.post("/v1/admin/refunds/nope/approve", token=owner).error_code == "REFUND_NOT_FOUND"
    assert db.refunds.find_one({"_id": refund_id})["status"] == "requested"


def test_refund_notification_replays_change_nothing(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 2}])
    _refund_ok(api, order, shopper[1], owner)
    before = db.orders.find_one({"_id": order["_id"]})
    stock = _stock(db, order)
    (delivery,) = [d for d in wechat_emulator.STORE.deliveries if d["event_type"] == "REFUND.SUCCESS"]
    for _ in range(2):
        assert send(api, REFUND_NOTIFY, delivery["headers"], delivery["body"]).status == 204
    after = db.orders.find_one({"_id": order["_id"]})
    assert after["refunded_amount"] == before["refunded_amount"] == 2000 and after["lines"] == before["lines"]
    assert _stock(db, order) == stock
    assert _approve(api, db.refunds.find_one()["_id"], owner).error_code == "REFUND_NOT_APPROVABLE"


def test_refund_notify_refuses_forged_callbacks(api, db, paid_order, shopper, owner):
    order = paid_order()
    _refund_ok(api, order, shopper[1], owner)
    (delivery,) = [d for d in wechat_emulator.STORE.deliveries if d["event_type"] == "REFUND.SUCCESS"]
    forged = {**delivery["headers"], "Wechatpay-Signature": "WECHATPAY/SIGNTEST/x"}
    resp = send(api, REFUND_NOTIFY, forged, delivery["body"])
    assert resp.status == 401 and resp.json["code"] == "FAIL"


@pytest.fixture
def silent_wechat(monkeypatch):
    """Once called: WeChat answers refunds PROCESSING and sends no refund notification (a slow refund);
    `query` is what a refund query then reports."""
    state = {"query": "PROCESSING"}

    def silence() -> dict:
        real_deliver = emulator_pay.delivery.deliver
        real_refund, real_query = wechat.refund, wechat.query_refund
        monkeypatch.setattr(emulator_pay.delivery, "deliver",
                            lambda url, event_type, *a, **kw: {} if event_type.startswith("REFUND")
                            else real_deliver(url, event_type, *a, **kw))
        monkeypatch.setattr(wechat, "refund",
                            lambda *a, **kw: {**real_refund(*a, **kw), "status": "PROCESSING"})
        monkeypatch.setattr(wechat, "query_refund", lambda no: {**real_query(no), "status": state["query"]})
        return state

    return silence


def test_query_fallback_completes_when_no_notification_comes(api, db, paid_order, shopper, owner,
                                                             silent_wechat):
    order = paid_order(items=[{"price": 1000}])
    silent_wechat()["query"] = "SUCCESS"
    refund = _refund_ok(api, order, shopper[1], owner)
    assert refund["amount"] == 1000
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "refunded"


def test_a_refund_still_processing_is_completed_by_its_notification(api, db, paid_order, shopper, owner,
                                                                    silent_wechat):
    order = paid_order(items=[{"price": 1000}])
    silent_wechat()
    requested = _request(api, order, shopper[1]).json
    assert _approve(api, requested["id"], owner).json["status"] == "approved"
    assert db.orders.find_one({"_id": order["_id"]})["refund_open"] is True
    assert _request(api, order, shopper[1]).error_code == "REFUND_IN_PROGRESS"
    (sent,) = wechat_emulator.STORE.refunds.values()
    resource = {"mchid": get_config().wechatpay_mchid, "out_trade_no": sent["out_trade_no"],
                "out_refund_no": sent["out_refund_no"],
                "refund_id": sent["refund_id"], "refund_status": "SUCCESS",
                "amount": {"total": 1000, "refund": 1000}}
    headers, body = wechat_emulator.build_notification("REFUND.SUCCESS", resource, original_type="refund",
                                                       summary="退款成功")
    assert send(api, REFUND_NOTIFY, headers, body).status == 204
    assert db.refunds.find_one({"_id": requested["id"]})["status"] == "refunded"
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "refunded"


def test_the_shopper_lists_and_reads_only_their_own_after_sales(api, db, paid_order, shopper, owner):
    """GET /v1/me/refunds and /v1/me/refunds/{refund_id}: the mini-program's after-sales list and detail."""
    order = paid_order(items=ITEMS, shipping_fee=800)
    token = shopper[1]
    done = _refund_ok(api, order, token, owner, [{"sku_id": order["lines"][0]["sku_id"], "quantity": 1}])
    open_one = _request(api, order, token, [{"sku_id": order["lines"][1]["sku_id"], "quantity": 2}]).json
    listed = api.get("/v1/me/refunds", token=token).json
    assert [(r["id"], r["status"], r["amount"]) for r in listed["items"]] == [
        (open_one["id"], "requested", 900), (done["id"], "refunded", 1000)]
    assert listed["total"] == 2
    assert [r["id"] for r in api.get("/v1/me/refunds", token=token, query={"status": "refunded"}).json["items"]] == [
        done["id"]]
    detail = api.get(f"/v1/me/refunds/{done['id']}", token=token)
    line = order["lines"][0]
    assert detail.status == 200 and detail.json["lines"] == [
        {"sku_id": line["sku_id"], "quantity": 1, "amount": 1000, "title": line["title"], "specs": line["specs"],
         "cover": line.get("cover")}], detail  # the goods, so the list and detail need not load the order
    assert line["title"]
    assert detail.json["refunded_at"] is not None and detail.json["order_id"] == order["_id"]

    _, stranger = make_user(db)
    assert api.get("/v1/me/refunds", token=stranger).json["items"] == []
    assert api.get(f"/v1/me/refunds/{done['id']}", token=stranger).error_code == "REFUND_NOT_FOUND"
    assert api.get("/v1/me/refunds", token=token, query={"status": "lost"}).status == 400
    assert api.get("/v1/me/refunds").status == 401


def test_photos_of_our_own_uploads_ride_with_the_request(api, db, paid_order, shopper):
    """Evidence photos: uploaded through POST /v1/me/uploads, listed on the refund; anything else refused."""
    order = paid_order(items=ITEMS)
    token = shopper[1]
    form = api.post("/v1/me/uploads", {"filename": "p.jpg", "content_type": "image/jpeg", "size": 1000},
                    token=token).json
    line = [{"sku_id": order["lines"][0]["sku_id"], "quantity": 1}]
    foreign = {"reason": "破损", "lines": line, "photos": ["https://evil.example/uploads/shoppers/x.jpg"]}
    refused = api.post(f"/v1/orders/{order['_id']}/refunds", foreign, token=token)
    assert refused.status == 400 and refused.error_code == "INVALID_INPUT", refused
    too_many = {"reason": "破损", "lines": line, "photos": [form["public_url"]] * 7}
    assert api.post(f"/v1/orders/{order['_id']}/refunds", too_many, token=token).status == 400
    r = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "破损", "lines": line,
                                                       "photos": [form["public_url"]]}, token=token)
    assert r.status == 201 and r.json["photos"] == [form["public_url"]], r
    assert api.get(f"/v1/me/refunds/{r.json['id']}", token=token).json["photos"] == [form["public_url"]]

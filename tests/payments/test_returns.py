"""Return-and-refund (退货退款) and exchange (换货) through the real handlers: request → agree with the
return address → the shopper's tracking → receipt (stock back) → refund (or reship); rejections,
the shopper's cancel, the overdue-return schedule, and the races between the two sides."""
from __future__ import annotations

import threading
from datetime import timedelta

from fenxiao import clock
from functions.schedules.finish_refunds import handler as finish_refunds
from infra.local import wechat_emulator
from tests.support.factories import admin_token, make_user
from tests.support.invariants import assert_invariants

ADDRESS = {"name": "售后部", "phone": "0755-12345678", "province": "广东省", "city": "深圳市",
           "district": "南山区", "detail": "科技园 2 号仓"}
ITEMS = [{"price": 1000, "quantity": 3}, {"price": 500, "quantity": 2, "paid": 900}]


def _ask(api, order, token, kind="return_refund", lines=None):
    body = {"type": kind, "reason": "尺码不合适"}
    if lines is not None:
        body["lines"] = lines
    return api.post(f"/v1/orders/{order['_id']}/refunds", body, token=token)


def _admin(api, refund_id, step, token, body=None):
    return api.post(f"/v1/admin/refunds/{refund_id}/{step}", body or {}, token=token)


def _shopper(api, refund_id, step, token, body=None):
    return api.post(f"/v1/me/refunds/{refund_id}/{step}", body or {}, token=token)


def _set_return_address(api, owner):
    assert api.put("/v1/admin/settings/shop", {"return_address": ADDRESS, "return_ship_days": 5},
                   token=owner).status == 200


def _stock(db, order, i=0):
    return db.skus.find_one({"_id": order["lines"][i]["sku_id"]})["stock"]


def _to_returned(api, db, order, token, owner, kind="return_refund", lines=None) -> str:
    requested = _ask(api, order, token, kind, lines)
    assert requested.status == 201, requested
    refund_id = requested.json["id"]
    assert _admin(api, refund_id, "agree-return", owner).status == 200
    sent = _shopper(api, refund_id, "return", token, {"carrier": "顺丰速运", "tracking_no": "SF100200300"})
    assert sent.status == 200 and sent.json["status"] == "returned", sent
    return refund_id


def test_a_return_goes_requested_agreed_returned_received_refunded(api, db, paid_order, shopper, owner):
    order = paid_order(items=ITEMS, shipping_fee=800, status="shipped")
    token = shopper[1]
    stock_before = _stock(db, order)
    sku = order["lines"][0]["sku_id"]
    requested = _ask(api, order, token, lines=[{"sku_id": sku, "quantity": 2}])
    assert requested.status == 201, requested
    assert {k: requested.json[k] for k in ("type", "status", "amount")} == {
        "type": "return_refund", "status": "requested", "amount": 2000}
    refund_id = requested.json["id"]
    # money only moves once the goods are back: approve before that is refused
    assert _admin(api, refund_id, "approve", owner).error_code == "REFUND_NOT_APPROVABLE"
    assert _admin(api, refund_id, "agree-return", owner).error_code == "RETURN_ADDRESS_MISSING"
    _set_return_address(api, owner)
    agreed = _admin(api, refund_id, "agree-return", owner)
    assert agreed.status == 200 and agreed.json["status"] == "awaiting_return", agreed
    assert agreed.json["return_address"] == ADDRESS
    deadline = clock.parse(agreed.json["return_deadline"]) - clock.now()
    assert timedelta(days=4, hours=23) < deadline <= timedelta(days=5)
    detail = api.get(f"/v1/me/refunds/{refund_id}", token=token).json
    assert detail["return_address"]["detail"] == "科技园 2 号仓" and detail["status"] == "awaiting_return"
    # the shopper's progress shows when the merchant agreed (the mini-program's 商家同意退货 step)
    assert detail["return_agreed_at"] == agreed.json["return_agreed_at"] and detail["return_agreed_at"]
    assert _admin(api, refund_id, "receive", owner).error_code == "RETURN_NOT_RECEIVABLE"  # nothing sent yet

    photo = api.post("/v1/me/uploads", {"filename": "box.jpg", "content_type": "image/jpeg", "size": 900},
                     token=token).json["public_url"]
    sent = _shopper(api, refund_id, "return", token,
                    {"carrier": "顺丰速运", "tracking_no": "SF100200300", "photos": [photo]})
    assert sent.status == 200 and sent.json["status"] == "returned", sent
    assert sent.json["return_shipment"]["tracking_no"] == "SF100200300"
    assert sent.json["return_shipment"]["photos"] == [photo]
    assert _stock(db, order) == stock_before  # not yet received

    operator = admin_token(db, "operator")
    received = _admin(api, refund_id, "receive", operator)
    assert received.status == 200 and received.json["status"] == "received", received
    assert _stock(db, order) == stock_before + 2
    assert _admin(api, refund_id, "approve", operator).error_code == "ROLE_FORBIDDEN"  # money: owner only
    assert _shopper(api, refund_id, "cancel", token).error_code == "REFUND_NOT_CANCELLABLE"
    approved = _admin(api, refund_id, "approve", owner)
    assert approved.status == 200 and approved.json["status"] == "refunded", approved
    assert _admin(api, refund_id, "receive", owner).error_code == "RETURN_NOT_RECEIVABLE"
    assert _stock(db, order) == stock_before + 2  # the completion did not put them back a second time
    done = db.orders.find_one({"_id": order["_id"]})
    assert done["refunded_amount"] == 2000 and done["lines"][0]["refunded_quantity"] == 2
    assert done["refund_open"] is False and done["status"] == "shipped"
    assert [r["amount"]["refund"] for r in wechat_emulator.STORE.refunds.values()] == [2000]
    assert_invariants(db)


def test_returns_need_a_shipped_order_and_refund_only_still_works(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=ITEMS)
    assert _ask(api, order, shopper[1]).error_code == "RETURN_NEEDS_SHIPMENT"
    assert _ask(api, order, shopper[1], "exchange").error_code == "RETURN_NEEDS_SHIPMENT"
    plain = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=shopper[1])
    assert plain.status == 201 and plain.json["type"] == "refund_only"
    assert _admin(api, plain.json["id"], "agree-return", owner).error_code == "RETURN_NOT_AGREEABLE"
    assert _admin(api, plain.json["id"], "approve", owner).json["status"] == "refunded"
    assert api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "x", "type": "swap"},
                    token=shopper[1]).status == 400


def test_rejected_at_each_step_with_a_reason(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=[{"price": 1000, "quantity": 3}], status="completed")
    token = shopper[1]
    sku = order["lines"][0]["sku_id"]
    one = [{"sku_id": sku, "quantity": 1}]
    first = _ask(api, order, token, lines=one).json["id"]
    assert _admin(api, first, "reject", owner).json["status"] == "rejected"  # a request: reason optional

    second = _ask(api, order, token, lines=one).json["id"]
    _admin(api, second, "agree-return", owner)
    assert _admin(api, second, "reject", owner).error_code == "REJECT_REASON_REQUIRED"
    rejected = _admin(api, second, "reject", owner, {"reason": "超出退货范围"})
    assert rejected.json["status"] == "rejected" and rejected.json["reject_reason"] == "超出退货范围"

    third = _to_returned(api, db, order, token, owner, lines=one)
    stock = _stock(db, order)
    refused = _admin(api, third, "reject", owner, {"reason": "退回商品已损坏"})
    assert refused.status == 200 and refused.json["status"] == "rejected"
    assert _stock(db, order) == stock and _shopper(api, third, "return", token,
                                                   {"carrier": "x", "tracking_no": "1"}).status == 409

    fourth = _to_returned(api, db, order, token, owner, lines=one)
    _admin(api, fourth, "receive", owner)
    assert _admin(api, fourth, "reject", owner, {"reason": "晚了"}).error_code == "REFUND_NOT_REJECTABLE"
    assert _admin(api, fourth, "approve", owner).json["status"] == "refunded"
    current = db.orders.find_one({"_id": order["_id"]})
    assert current["refunded_amount"] == 1000 and current["refund_open"] is False
    assert db.refunds.count_documents({"status": "rejected"}) == 3
    assert_invariants(db)


def test_an_exchange_reships_and_moves_no_money(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=ITEMS, status="shipped")
    sku = order["lines"][1]["sku_id"]
    stock = _stock(db, order, 1)
    asked = _ask(api, order, shopper[1], "exchange", [{"sku_id": sku, "quantity": 1}])
    assert asked.status == 201 and asked.json["amount"] == 0 and asked.json["type"] == "exchange"
    refund_id = asked.json["id"]
    _admin(api, refund_id, "agree-return", owner, {"address": {**ADDRESS, "detail": "换货专用仓"}})
    assert db.refunds.find_one({"_id": refund_id})["return_address"]["detail"] == "换货专用仓"
    _shopper(api, refund_id, "return", shopper[1], {"carrier": "中通", "tracking_no": "ZT1"})
    assert _admin(api, refund_id, "reship", owner, {"carrier": "SF", "tracking_no": "SF9"}).error_code == \
        "EXCHANGE_NOT_RESHIPPABLE"  # not received yet
    assert _admin(api, refund_id, "receive", owner).json["status"] == "received"
    assert _admin(api, refund_id, "approve", owner).error_code == "REFUND_NOT_APPROVABLE"
    assert _admin(api, refund_id, "reship", owner, {"carrier": "NOPE", "tracking_no": "1"}).error_code == \
        "CARRIER_UNKNOWN"
    reshipped = _admin(api, refund_id, "reship", owner, {"carrier": "SF", "tracking_no": "SF900"})
    assert reshipped.status == 200 and reshipped.json["status"] == "reshipped", reshipped
    assert reshipped.json["reshipment"]["tracking_no"] == "SF900"
    assert _stock(db, order, 1) == stock  # one unit back, one unit out
    current = db.orders.find_one({"_id": order["_id"]})
    assert current["refunded_amount"] == 0 and current["refund_open"] is False
    assert wechat_emulator.STORE.refunds == {}
    # the shopper's order lists it as an exchange (the mini-program shows 换货, not ¥0.00)
    listed = api.get(f"/v1/orders/{order['_id']}", token=shopper[1]).json["refunds"]
    assert [(r["id"], r["type"], r["status"], r["amount"]) for r in listed] == [(refund_id, "exchange", "reshipped", 0)]
    assert _ask(api, order, shopper[1], lines=[{"sku_id": sku, "quantity": 2}]).status == 201  # units free again
    assert_invariants(db)


def test_the_shopper_cancels_before_receipt_and_only_their_own(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=ITEMS, status="shipped")
    token = shopper[1]
    refund_id = _to_returned(api, db, order, token, owner)
    _, stranger = make_user(db)
    assert _shopper(api, refund_id, "cancel", stranger).error_code == "REFUND_NOT_FOUND"
    assert _shopper(api, refund_id, "return", stranger, {"carrier": "x", "tracking_no": "1"}).status == 404
    cancelled = _shopper(api, refund_id, "cancel", token)
    assert cancelled.status == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancel_reason"] == "shopper"
    assert db.orders.find_one({"_id": order["_id"]})["refund_open"] is False
    assert _admin(api, refund_id, "receive", owner).error_code == "RETURN_NOT_RECEIVABLE"
    plain = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "算了"}, token=token).json["id"]
    assert _shopper(api, plain, "cancel", token).json["status"] == "cancelled"  # refund-only too
    listed = api.get("/v1/me/refunds", token=token, query={"status": "cancelled"}).json
    assert listed["total"] == 2


def test_an_agreed_return_never_shipped_closes_after_its_deadline(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=ITEMS, status="shipped")
    refund_id = _ask(api, order, shopper[1]).json["id"]
    _admin(api, refund_id, "agree-return", owner)
    assert finish_refunds({"now": clock.iso(clock.now() + timedelta(days=4))})["returns_expired"] == 0
    counts = finish_refunds({"now": clock.iso(clock.now() + timedelta(days=5, minutes=1))})
    assert counts["returns_expired"] == 1
    closed = db.refunds.find_one({"_id": refund_id})
    assert (closed["status"], closed["cancel_reason"]) == ("cancelled", "return_overdue")
    assert db.orders.find_one({"_id": order["_id"]})["refund_open"] is False
    late = _shopper(api, refund_id, "return", shopper[1], {"carrier": "顺丰", "tracking_no": "SF1"})
    assert late.error_code == "RETURN_NOT_SHIPPABLE"


def test_shipping_back_after_the_deadline_closes_the_return(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=ITEMS, status="shipped")
    refund_id = _ask(api, order, shopper[1]).json["id"]
    _admin(api, refund_id, "agree-return", owner)
    db.refunds.update_one({"_id": refund_id}, {"$set": {"return_deadline": clock.now() - timedelta(minutes=1)}})
    late = _shopper(api, refund_id, "return", shopper[1], {"carrier": "顺丰", "tracking_no": "SF1"})
    assert late.status == 409 and late.error_code == "RETURN_OVERDUE"
    assert db.refunds.find_one({"_id": refund_id})["status"] == "cancelled"
    assert db.orders.find_one({"_id": order["_id"]})["refund_open"] is False


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    answers: list = [None] * len(actions)

    def run(i, action):
        barrier.wait()
        answers[i] = action()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_cancel_racing_receipt_has_one_winner(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    for _ in range(3):
        order = paid_order(items=ITEMS, status="shipped")
        stock = _stock(db, order)
        refund_id = _to_returned(api, db, order, shopper[1], owner)
        cancel, receive = _race(lambda rid=refund_id: _shopper(api, rid, "cancel", shopper[1]),
                                lambda rid=refund_id: _admin(api, rid, "receive", owner))
        assert sorted((cancel.status, receive.status)) == [200, 409], (cancel, receive)
        final = db.refunds.find_one({"_id": refund_id})["status"]
        if cancel.status == 200:
            assert final == "cancelled" and _stock(db, order) == stock
            assert db.orders.find_one({"_id": order["_id"]})["refund_open"] is False
        else:
            assert final == "received" and _stock(db, order) == stock + 3
            assert _admin(api, refund_id, "approve", owner).json["status"] == "refunded"
        assert_invariants(db)


def test_two_receipts_racing_return_the_stock_once(api, db, paid_order, shopper, owner):
    _set_return_address(api, owner)
    order = paid_order(items=ITEMS, status="shipped")
    stock = _stock(db, order)
    refund_id = _to_returned(api, db, order, shopper[1], owner)
    answers = _race(*[lambda: _admin(api, refund_id, "receive", owner)] * 2)
    assert sorted(a.status for a in answers) == [200, 409]
    assert _stock(db, order) == stock + 3
    approvals = _race(*[lambda: _admin(api, refund_id, "approve", owner)] * 2)
    assert {a.status for a in approvals} <= {200, 409}
    assert db.refunds.find_one({"_id": refund_id})["status"] == "refunded"
    assert db.orders.find_one({"_id": order["_id"]})["refunded_amount"] == 3900
    assert sum(r["amount"]["refund"] for r in wechat_emulator.STORE.refunds.values()) == 3900
    assert_invariants(db)


def test_the_admin_list_filters_by_type_and_the_detail_names_the_lines(api, db, paid_order, shopper, owner):
    """The after-sales screen's list (type × status) and detail (lines by title and specs, order number,
    buyer, the shopper's parcel back)."""
    _set_return_address(api, owner)
    token = shopper[1]
    returned = _to_returned(api, db, paid_order(items=ITEMS, status="shipped"), token, owner)
    exchange = _ask(api, paid_order(items=ITEMS, status="shipped"), token, "exchange").json["id"]
    refund_only = _ask(api, paid_order(items=ITEMS), token, "refund_only").json["id"]

    def ids(**query):
        page = api.get("/v1/admin/refunds", token=owner, query=query)
        assert page.status == 200, page
        return [r["id"] for r in page.json["items"]]

    assert ids(type="exchange") == [exchange]
    assert ids(type="return_refund") == [returned]
    assert ids(type="refund_only") == [refund_only]
    assert ids(type="return_refund", status="returned") == [returned]
    assert ids(type="return_refund", status="requested") == []
    assert api.get("/v1/admin/refunds", token=owner, query={"type": "swap"}).error_code == "INVALID_INPUT"

    detail = api.get(f"/v1/admin/refunds/{returned}", token=owner)
    assert detail.status == 200, detail
    order = db.orders.find_one({"_id": detail.json["order_id"]})
    assert detail.json["order_no"] == order["order_no"] and detail.json["order_status"] == "shipped"
    assert detail.json["buyer"]["id"] == shopper[0]
    assert [(line["title"], line["quantity"], line["bought"]) for line in detail.json["lines"]] == [
        (line["title"], line["quantity"], line["quantity"]) for line in order["lines"]]
    assert detail.json["return_shipment"]["tracking_no"] == "SF100200300"
    assert api.get("/v1/admin/refunds/nope", token=owner).error_code == "REFUND_NOT_FOUND"


def test_refunds_without_a_type_become_refund_only_on_migrate(api, db, paid_order, shopper, owner):
    from fenxiao.admin.bootstrap import migrate

    refund_id = _ask(api, paid_order(items=ITEMS), shopper[1], "refund_only").json["id"]
    db.refunds.update_one({"_id": refund_id}, {"$unset": {"type": ""}})  # written before types existed
    assert migrate(db, None)["refund_types_backfilled"] == 1
    assert migrate(db, None)["refund_types_backfilled"] == 0
    listed = api.get("/v1/admin/refunds", token=owner, query={"type": "refund_only"}).json["items"]
    assert [r["id"] for r in listed] == [refund_id]

"""Shipping info to WeChat: the carrier list, one upload per shipment, retries, split parcels, refusals."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock
from tests.platform.conftest import PLATFORM, fault, messages, run_schedule, uploads
from tests.platform.conftest import uploads as uploads_at
from tests.support.factories import admin_token
from tests.support.interleave import ProcessDied, die_before, run_after

SHIP = {"carrier": "SF", "tracking_no": "SF1234567890"}


def _ship(api, token, order_id, body=None):
    return api.post(f"/v1/admin/orders/{order_id}/ship", body or SHIP, token=token)


def test_carriers_come_from_wechats_delivery_list_and_survive_a_wechat_outage(api, db, stack):
    admin = admin_token(db, "viewer")
    first = api.get("/v1/admin/carriers", token=admin)
    assert first.status == 200, first
    assert {"code": "SF", "name": "顺丰速运"} in first.json["items"]
    assert {"code": "ZTO", "name": "中通快递"} in first.json["items"]
    # stale after a day; WeChat down: the stored copy is still served
    db.kv.update_one({"_id": "carriers:wechat"}, {"$set": {"fetched_at": clock.now() - timedelta(days=2)}})
    fault(stack, "get_delivery_list", -1)
    assert api.get("/v1/admin/carriers", token=admin).json["items"] == first.json["items"]


def test_shipping_uploads_the_shipping_info_once_with_the_payers_openid(api, db, stack, paid, shopper):
    order = paid(items=[{"quantity": 2, "title": "蓝牙耳机"}])
    admin = admin_token(db, "operator")
    shipped = _ship(api, admin, order["_id"])
    assert shipped.status == 200, shipped
    assert shipped.json["status"] == "shipped"
    assert shipped.json["shipment"]["carrier"] == "SF"
    assert shipped.json["shipping_upload"]["status"] == "uploaded"
    (upload,) = uploads(stack)
    assert upload["order_key"] == {"order_number_type": 2, "transaction_id": order["payment"]["transaction_id"]}
    assert (upload["logistics_type"], upload["delivery_mode"]) == (1, 1)
    assert upload["payer_openid"] == f"dev_{shopper[0]}"
    assert upload["shipping_list"] == [{"tracking_no": "SF1234567890", "express_company": "SF",
                                        "item_desc": "蓝牙耳机*2", "contact": {"receiver_contact": "138****0000"}}]
    # the retry schedule finds nothing left: exactly once per shipment
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(hours=1))["uploaded"] == 0
    assert len(uploads(stack)) == 1
    detail = api.get(f"/v1/admin/orders/{order['_id']}", token=admin).json
    assert detail["shipping_upload"]["uploaded_count"] == 1


def test_a_carrier_wechat_does_not_know_is_refused(api, db, paid):
    order = paid()
    resp = _ship(api, admin_token(db), order["_id"], {"carrier": "SHUNFENG", "tracking_no": "1"})
    assert (resp.status, resp.error_code) == (422, "CARRIER_UNKNOWN")
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "paid"


def test_wechat_errors_are_retried_by_the_schedule_until_accepted(api, db, stack, paid):
    order = paid()
    fault(stack, "upload_shipping_info", -1, times=2)
    shipped = _ship(api, admin_token(db), order["_id"])
    assert shipped.status == 200, shipped  # shipping never fails because WeChat did
    state = shipped.json["shipping_upload"]
    assert (state["status"], state["errcode"], state["attempts"]) == ("pending", -1, 1)
    assert run_schedule("upload_shipping_info", clock.now())["uploaded"] == 0  # not due yet (1 minute)
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(minutes=2))["pending"] == 1  # -1 again
    later = run_schedule("upload_shipping_info", clock.now() + timedelta(minutes=10))
    assert later["uploaded"] == 1
    assert len(uploads(stack)) == 1
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(hours=3))["uploaded"] == 0
    assert len(uploads(stack)) == 1
    doc = db.shipping_uploads.find_one({"_id": order["_id"]})
    assert [h["status"] for h in doc["history"]] == ["pending", "pending", "uploaded"]


def test_a_refusal_no_retry_fixes_is_failed_visible_and_can_be_retried_by_hand(api, db, stack, paid):
    order = paid()
    admin = admin_token(db, "operator")
    fault(stack, "upload_shipping_info", 10060004)
    state = _ship(api, admin, order["_id"]).json["shipping_upload"]
    assert (state["status"], state["errcode"]) == ("failed", 10060004)
    failed = api.get("/v1/admin/shipping-uploads", token=admin_token(db, "viewer"), query={"status": "failed"}).json
    assert [(u["order_id"], u["order_no"]) for u in failed["items"]] == [(order["_id"], order["order_no"])]
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(days=1))["uploaded"] == 0
    assert api.post(f"/v1/admin/orders/{order['_id']}/shipping-upload/retry", token=admin_token(db, "viewer")
                    ).status == 403
    retried = api.post(f"/v1/admin/orders/{order['_id']}/shipping-upload/retry", token=admin)
    assert retried.status == 200, retried
    assert retried.json["status"] == "uploaded"
    again = api.post(f"/v1/admin/orders/{order['_id']}/shipping-upload/retry", token=admin)
    assert (again.status, again.error_code) == (409, "SHIPPING_UPLOAD_NOT_RETRYABLE")
    assert len(uploads(stack)) == 1


def test_a_split_shipment_uploads_each_parcel_and_completes_on_the_last(api, db, stack, paid):
    order = paid(items=[{"title": "耳机"}, {"title": "充电线", "quantity": 2}])
    first_sku, second_sku = (line["sku_id"] for line in order["lines"])
    admin = admin_token(db)
    too_many = _ship(api, admin, order["_id"], {**SHIP, "lines": [{"sku_id": second_sku, "quantity": 3}]})
    assert (too_many.status, too_many.error_code) == (422, "SHIP_LINES_INVALID")
    part = _ship(api, admin, order["_id"], {**SHIP, "lines": [{"sku_id": first_sku, "quantity": 1}]})
    assert part.status == 200, part
    assert part.json["status"] == "paid" and len(part.json["shipments"]) == 1
    rest = _ship(api, admin, order["_id"], {"carrier": "ZTO", "tracking_no": "ZT9"})
    assert rest.json["status"] == "shipped"
    assert [s["lines"] for s in rest.json["shipments"]] == [[{"sku_id": first_sku, "quantity": 1}],
                                                            [{"sku_id": second_sku, "quantity": 2}]]
    first, second = uploads(stack)
    assert (first["delivery_mode"], first["is_all_delivered"]) == (2, False)
    assert [p["item_desc"] for p in first["shipping_list"]] == ["耳机*1"]
    assert (second["delivery_mode"], second["is_all_delivered"]) == (2, True)
    assert [(p["express_company"], p["item_desc"]) for p in second["shipping_list"]] == [("SF", "耳机*1"),
                                                                                         ("ZTO", "充电线*2")]
    again = _ship(api, admin, order["_id"], SHIP)
    assert (again.status, again.error_code) == (409, "ORDER_NOT_SHIPPABLE")


def test_an_order_paid_without_wechat_needs_no_upload(api, db, stack, shopper):
    from tests.support.orders import make_order

    order = make_order(db, shopper[0], status="paid", payment=None)
    shipped = _ship(api, admin_token(db), order["_id"])
    assert shipped.json["shipping_upload"]["status"] == "not_required"
    assert uploads(stack) == []


def test_the_schedule_registers_the_order_page_as_wechats_jump_path_once(db):
    first = run_schedule("upload_shipping_info", clock.now())
    assert first["jump_path_set"] == 1
    assert PLATFORM.jump_path == "pages/orders/detail"
    assert run_schedule("upload_shipping_info", clock.now())["jump_path_set"] == 0


def test_an_upload_whose_process_died_is_finished_by_the_schedule(api, db, stack, paid):
    order = paid()
    fault(stack, "upload_shipping_info", -1)
    _ship(api, admin_token(db), order["_id"])
    # as if a process claimed it and died before WeChat answered
    db.shipping_uploads.update_one({"_id": order["_id"]}, {"$set": {"status": "uploading",
                                                                     "claimed_at": clock.now()}})
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(minutes=1))["revived"] == 0
    result = run_schedule("upload_shipping_info", clock.now() + timedelta(minutes=5))
    assert (result["revived"], result["uploaded"]) == (1, 1)
    assert len(uploads(stack)) == 1


def test_the_shopper_is_told_which_parcel_shipped(api, db, stack, paid, shopper, templates):
    from tests.platform.conftest import grant

    order = paid()
    grant(api, shopper[1], templates["order_shipped"])
    _ship(api, admin_token(db), order["_id"])
    shipped = [m for m in messages(stack) if m["template_id"] == templates["order_shipped"]]
    assert len(shipped) == 1
    data = shipped[0]["data"]
    assert data["thing2"]["value"] == "顺丰速运" and data["character_string3"]["value"] == "SF1234567890"
    assert shipped[0]["page"] == f"pages/orders/detail?id={order['_id']}"


def test_wechats_settlement_push_is_verified_recorded_once_and_shown_on_the_order(api, db, stack, paid):
    import requests

    from fenxiao.config import get_config
    from fenxiao.shipping.events import signature_of

    order = paid()
    _ship(api, admin_token(db), order["_id"])
    trade_no = order["payment"]["out_trade_no"]
    pushed = requests.post(f"{stack['base_url']}/__wechat/shipping/{trade_no}/push", json={}, timeout=30).json()
    assert (pushed["status"], pushed["response"]) == (200, "success")
    trade = api.get(f"/v1/admin/orders/{order['_id']}", token=admin_token(db)).json["wechat_trade"]
    assert trade["confirm_receive_method"] == 1 and trade["settlement_time"].endswith("Z")
    assert db.wechat_events.count_documents({}) == 1
    forged = api.call("POST", "/v1/wechat/events", json_body={"Event": "trade_manage_order_settlement"},
                      query={"signature": "0" * 40, "timestamp": "1", "nonce": "n"})
    assert (forged.status, forged.error_code) == (401, "PUSH_SIGNATURE_INVALID")
    token = get_config().wechat_push_token
    check = api.call("GET", "/v1/wechat/events", query={"signature": signature_of(token, "9", "n"), "timestamp": "9",
                                                        "nonce": "n", "echostr": "hello"})
    assert (check.status, check.text) == (200, "hello")


def test_wechats_shipping_reminder_makes_a_waiting_upload_due_now(api, db, stack, paid):
    import requests

    order = paid()
    fault(stack, "upload_shipping_info", 10060014)  # refused: failed until someone acts
    _ship(api, admin_token(db), order["_id"])
    assert db.shipping_uploads.find_one({"_id": order["_id"]})["status"] == "failed"
    trade_no = order["payment"]["out_trade_no"]
    requests.post(f"{stack['base_url']}/__wechat/shipping/{trade_no}/push",
                  json={"event": "trade_manage_remind_shipping"}, timeout=30)
    assert run_schedule("upload_shipping_info", clock.now())["uploaded"] == 1


def test_a_shipment_whose_process_died_before_its_upload_was_registered_is_uploaded_by_the_schedule(
        api, db, stack, paid):
    from fenxiao.shipping import uploads

    order = paid()
    # the process dies right after the shipment was written, before its upload is registered
    with die_before(uploads, "_register"), pytest.raises(ProcessDied):
        _ship(api, admin_token(db), order["_id"])
    assert db.orders.find_one({"_id": order["_id"]})["upload_pending"] is True
    assert db.shipping_uploads.find_one({"_id": order["_id"]}) is None
    assert run_schedule("upload_shipping_info", clock.now())["registered"] == 0  # maybe still in progress
    later = run_schedule("upload_shipping_info", clock.now() + timedelta(minutes=3))
    assert (later["registered"], later["uploaded"]) == (1, 1)
    assert len(uploads_at(stack)) == 1
    assert "upload_pending" not in db.orders.find_one({"_id": order["_id"]})
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(minutes=10))["registered"] == 0


def test_two_admins_shipping_the_same_parcel_at_once_ship_it_once(api, db, stack, paid):
    from fenxiao.orders import lifecycle

    order = paid()
    admin = admin_token(db)
    raced: list[int] = []

    def other_admin_ships(*_args):
        raced.append(_ship(api, admin, order["_id"], {"carrier": "ZTO", "tracking_no": "ZT2"}).status)

    # the other admin ships between this one's check of the order's state and its write
    with run_after(lifecycle.states, "ensure_can", other_admin_ships, call=1):
        loser = _ship(api, admin, order["_id"])
    assert raced == [200]
    assert (loser.status, loser.error_code) == (409, "ORDER_NOT_SHIPPABLE")
    stored = db.orders.find_one({"_id": order["_id"]})
    assert [s["carrier"] for s in stored["shipments"]] == ["ZTO"]
    assert len(uploads_at(stack)) == 1


def test_a_busy_wechat_is_retried_until_it_accepts_but_an_unknown_payment_gives_up(api, db, stack, paid):
    busy, unknown = paid(), paid()
    fault(stack, "upload_shipping_info", -1, times=14)
    _ship(api, admin_token(db), busy["_id"])
    at = clock.now()
    for _ in range(13):
        at += timedelta(hours=1)
        run_schedule("upload_shipping_info", at)
    doc = db.shipping_uploads.find_one({"_id": busy["_id"]})
    assert (doc["status"], doc["attempts"], doc["errcode"]) == ("pending", 14, -1)
    assert doc["next_attempt_at"] - at == timedelta(minutes=60)  # the delay stops growing at an hour
    run_schedule("upload_shipping_info", at + timedelta(hours=1))
    assert db.shipping_uploads.find_one({"_id": busy["_id"]})["status"] == "uploaded"

    fault(stack, "upload_shipping_info", 10060001, times=12)
    _ship(api, admin_token(db), unknown["_id"])
    for _ in range(11):
        at += timedelta(hours=2)
        run_schedule("upload_shipping_info", at)
    doc = db.shipping_uploads.find_one({"_id": unknown["_id"]})
    assert (doc["status"], doc["attempts"], doc["errcode"]) == ("failed", 12, 10060001)


def test_the_push_in_safe_mode_is_decrypted_and_checked_over_the_ciphertext(api, db, stack, paid, monkeypatch):
    import base64
    import os

    import requests

    from fenxiao import config

    order = paid()
    _ship(api, admin_token(db), order["_id"])
    monkeypatch.setitem(os.environ, "FENXIAO_WECHAT_PUSH_AES_KEY", base64.b64encode(b"k" * 32).decode()[:43])
    config.reset()
    try:
        trade_no = order["payment"]["out_trade_no"]
        pushed = requests.post(f"{stack['base_url']}/__wechat/shipping/{trade_no}/push", json={}, timeout=30).json()
        assert (pushed["status"], pushed["response"]) == (200, "success")
        assert db.orders.find_one({"_id": order["_id"]})["wechat_trade"]["confirm_receive_method"] == 1
        from fenxiao.shipping.events import signature_of

        token = config.get_config().wechat_push_token
        signed = {"signature": signature_of(token, "1", "n"), "timestamp": "1", "nonce": "n", "encrypt_type": "aes"}
        tampered = api.call("POST", "/v1/wechat/events", json_body={"ToUserName": "gh", "Encrypt": "AAAA"},
                            query={**signed, "msg_signature": "0" * 40})
        assert (tampered.status, tampered.error_code) == (401, "PUSH_SIGNATURE_INVALID")
        garbage = api.call("POST", "/v1/wechat/events", json_body={"ToUserName": "gh", "Encrypt": "AAAA"},
                           query={**signed, "msg_signature": signature_of(token, "1", "n", "AAAA")})
        assert (garbage.status, garbage.error_code) == (400, "PUSH_NOT_DECRYPTABLE")
    finally:
        monkeypatch.undo()
        config.reset()

"""WeChat obligations of the return and exchange steps (issue 16): a subscribe message when the merchant
agrees to a return (with the address), when the refund is done and when an exchange's replacement ships;
the replacement parcel uploaded to WeChat's shipping-info service like any parcel, exactly once, also
after a crash between the reship and its parcel."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.payments import returns
from tests.platform.conftest import grant, messages, run_schedule, uploads
from tests.support.factories import admin_token
from tests.support.interleave import ProcessDied, die_before

ADDRESS = {"name": "售后部", "phone": "0755-12345678", "province": "广东省", "city": "深圳市",
           "district": "南山区", "detail": "科技园2号仓"}


def _shipped(api, paid, owner: str) -> dict:
    order = paid(items=[{"quantity": 2, "title": "蓝牙耳机", "price": 1500}])
    shipped = api.post(f"/v1/admin/orders/{order['_id']}/ship", {"carrier": "SF", "tracking_no": "SF1234567890"},
                       token=owner)
    assert shipped.status == 200 and shipped.json["shipping_upload"]["status"] == "uploaded", shipped
    return order


def _received(api, db, paid, shopper, kind: str, *granted: str) -> tuple[str, str, str, dict, str]:
    """A shipped order whose request of `kind` reached `received`, the shopper having allowed `granted`
    templates: (user id, token, owner token, order, refund id)."""
    user_id, token = shopper
    owner = admin_token(db)
    if granted:
        grant(api, token, *granted)
    order = _shipped(api, paid, owner)
    return user_id, token, owner, order, _to_received(api, order, token, owner, kind)


def _to_received(api, order: dict, token: str, owner: str, kind: str) -> str:
    asked = api.post(f"/v1/orders/{order['_id']}/refunds", {"type": kind, "reason": "有划痕",
                                                            "lines": [{"sku_id": order["lines"][0]["sku_id"],
                                                                       "quantity": 1}]}, token=token)
    assert asked.status == 201, asked
    refund_id = asked.json["id"]
    assert api.post(f"/v1/admin/refunds/{refund_id}/agree-return", {"address": ADDRESS}, token=owner).status == 200
    sent = api.post(f"/v1/me/refunds/{refund_id}/return", {"carrier": "中通", "tracking_no": "ZT1"}, token=token)
    assert sent.status == 200, sent
    assert api.post(f"/v1/admin/refunds/{refund_id}/receive", token=owner).json["status"] == "received"
    return refund_id


def _by_template(stack, user_id: str) -> dict[str, dict]:
    return {m["template_id"]: m for m in messages(stack, f"dev_{user_id}")}


def test_a_return_tells_the_address_then_the_refund(api, db, stack, paid, shopper, templates):
    user_id, _token, owner, order, refund_id = _received(api, db, paid, shopper, "return_refund",
                                                         templates["return_agreed"], templates["refund_result"])
    assert api.post(f"/v1/admin/refunds/{refund_id}/approve", token=owner).json["status"] == "refunded"
    sent = _by_template(stack, user_id)
    agreed = sent[templates["return_agreed"]]
    assert agreed["page"] == f"pages/aftersales/detail?id={refund_id}"
    assert agreed["data"]["character_string1"]["value"] == order["order_no"]
    assert agreed["data"]["thing3"]["value"] == "广东省深圳市南山区科技园2号仓"
    assert agreed["data"]["time4"]["value"]  # the deadline to send the goods back, Beijing time
    done = sent[templates["refund_result"]]
    assert (done["data"]["amount2"]["value"], done["data"]["phrase3"]["value"]) == ("¥15.00", "退款成功")
    assert len(messages(stack)) == 2  # nothing else, and each once


def test_an_exchange_tells_the_new_parcel_and_uploads_it_to_wechat(api, db, stack, paid, shopper, templates):
    user_id, token, owner, order, refund_id = _received(api, db, paid, shopper, "exchange",
                                                        templates["return_agreed"], templates["exchange_reshipped"])
    reshipped = api.post(f"/v1/admin/refunds/{refund_id}/reship", {"carrier": "ZTO", "tracking_no": "ZT900"},
                         token=owner)
    assert reshipped.status == 200 and reshipped.json["status"] == "reshipped", reshipped
    told = _by_template(stack, user_id)[templates["exchange_reshipped"]]
    assert told["data"]["thing3"]["value"] == "中通快递" and told["data"]["character_string4"]["value"] == "ZT900"
    assert told["page"] == f"pages/aftersales/detail?id={refund_id}"
    first, second = uploads(stack)
    assert [p["tracking_no"] for p in first["shipping_list"]] == ["SF1234567890"]
    # the replacement is a second parcel of the same WeChat payment: split delivery, everything delivered
    assert (second["delivery_mode"], second["is_all_delivered"]) == (2, True)
    assert [(p["tracking_no"], p["express_company"], p["item_desc"]) for p in second["shipping_list"]] == [
        ("SF1234567890", "SF", "蓝牙耳机*2"), ("ZT900", "ZTO", "蓝牙耳机*1")]
    current = db.orders.find_one({"_id": order["_id"]})
    assert [s.get("exchange_refund_id") for s in current["shipments"]] == [None, refund_id]
    assert current["status"] == "shipped"  # the order's own state is untouched
    tracking = api.get(f"/v1/orders/{order['_id']}/tracking", token=token).json["items"]
    assert [t["tracking_no"] for t in tracking] == ["SF1234567890", "ZT900"]  # the shopper can follow it
    again = run_schedule("finish_refunds", clock.now() + timedelta(minutes=10))
    assert again["reshipments_recorded"] == 0
    assert run_schedule("upload_shipping_info", clock.now() + timedelta(hours=1))["uploaded"] == 0
    assert len(uploads(stack)) == 2 and len(db.orders.find_one({"_id": order["_id"]})["shipments"]) == 2


def test_a_crash_after_the_reship_is_finished_by_the_schedule_once(api, db, stack, paid, shopper, templates):
    user_id, _token, owner, order, refund_id = _received(api, db, paid, shopper, "exchange",
                                                         templates["exchange_reshipped"])
    with die_before(returns, "_finish_reship"), pytest.raises(ProcessDied):
        api.post(f"/v1/admin/refunds/{refund_id}/reship", {"carrier": "ZTO", "tracking_no": "ZT901"}, token=owner)
    assert db.refunds.find_one({"_id": refund_id})["parcel_pending"] is True
    assert len(db.orders.find_one({"_id": order["_id"]})["shipments"]) == 1 and len(uploads(stack)) == 1
    assert run_schedule("finish_refunds", clock.now())["reshipments_recorded"] == 0  # still within its grace
    later = run_schedule("finish_refunds", clock.now() + timedelta(minutes=5))
    assert later["reshipments_recorded"] == 1
    assert "parcel_pending" not in db.refunds.find_one({"_id": refund_id})
    assert [s["tracking_no"] for s in db.orders.find_one({"_id": order["_id"]})["shipments"]] == [
        "SF1234567890", "ZT901"]
    assert len(uploads(stack)) == 2
    assert run_schedule("finish_refunds", clock.now() + timedelta(minutes=10))["reshipments_recorded"] == 0
    assert len(db.orders.find_one({"_id": order["_id"]})["shipments"]) == 2 and len(uploads(stack)) == 2
    assert [m["template_id"] for m in messages(stack, f"dev_{user_id}")] == [templates["exchange_reshipped"]]

"""Content security on text others read, and parcel tracking through WeChat's logistics view."""
from __future__ import annotations

from tests.platform.conftest import PLATFORM, fault
from tests.support.factories import admin_token, make_user


def test_risky_nicknames_are_refused_with_a_clear_error_and_checked_under_the_users_openid(api, db, shopper):
    user_id, token = shopper
    refused = api.patch("/v1/me", {"nickname": "赌博大王"}, token=token)
    assert (refused.status, refused.error_code) == (422, "CONTENT_RISKY")
    assert refused.json["error"]["message"] == "内容含有违规信息，请修改后再提交"
    assert refused.json["error"]["details"]["field"] == "nickname"
    assert db.users.find_one({"_id": user_id})["nickname"] == "测试用户"
    fine = api.patch("/v1/me", {"nickname": "小明"}, token=token)
    assert fine.status == 200 and fine.json["nickname"] == "小明"
    assert [(c["openid"], c["scene"], c["content"]) for c in PLATFORM.checks] == [
        (f"dev_{user_id}", 1, "赌博大王"), (f"dev_{user_id}", 1, "小明")]


def test_words_wechat_only_wants_reviewed_pass_and_an_outage_does_not_block(api, shopper, stack):
    _, token = shopper
    assert api.patch("/v1/me", {"nickname": "加微信聊"}, token=token).status == 200  # review → allowed
    fault(stack, "msg_sec_check", -1)
    assert api.patch("/v1/me", {"nickname": "赌博大王"}, token=token).status == 200  # unchecked, logged


def test_a_shopper_without_openid_is_not_checked(api, db):
    _, token = make_user(db, openid=None, phone_hash="h1")
    assert api.patch("/v1/me", {"nickname": "阿强"}, token=token).status == 200
    assert PLATFORM.checks == []


def test_distributor_applications_and_refund_reasons_are_checked(api, db, paid, shopper):
    _, token = shopper
    apply = api.post("/v1/distributor/application", {"real_name": "张三", "phone": "13900000002",
                                                     "reason": "代开发票"}, token=token)
    assert (apply.status, apply.error_code) == (422, "CONTENT_RISKY")
    assert apply.json["error"]["details"]["field"] == "reason"
    assert db.distributors.find_one({"_id": shopper[0]}) is None
    order = paid()
    refund = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "傻逼商家"}, token=token)
    assert (refund.status, refund.error_code) == (422, "CONTENT_RISKY")
    assert db.refunds.count_documents({}) == 0
    assert PLATFORM.checks[-1]["scene"] == 2  # a refund reason is a comment


def test_tracking_gives_a_waybill_token_once_per_parcel(api, db, paid, shopper):
    _, token = shopper
    order = paid(items=[{"title": "耳机"}])
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"lines.0.cover": "https://cdn.example/1.jpg"}})
    assert api.get(f"/v1/orders/{order['_id']}/tracking", token=token).error_code == "TRACKING_NOT_FOUND"
    api.post(f"/v1/admin/orders/{order['_id']}/ship", {"carrier": "SF", "tracking_no": "SF77"},
             token=admin_token(db))
    first = api.get(f"/v1/orders/{order['_id']}/tracking", token=token)
    assert first.status == 200, first
    (parcel,) = first.json["items"]
    assert parcel["waybill_token"].startswith("wbt_")
    assert (parcel["carrier_name"], parcel["tracking_no"]) == ("顺丰速运", "SF77")
    assert parcel["status_text"] == "已发货，运输中"
    traced = PLATFORM.waybills[parcel["waybill_token"]]
    assert traced["trans_id"] == order["payment"]["transaction_id"]
    assert traced["goods_info"]["detail_list"] == [{"goods_name": "耳机", "goods_img_url": "https://cdn.example/1.jpg"}]
    assert api.get(f"/v1/orders/{order['_id']}/tracking", token=token).json["items"][0]["waybill_token"] == \
        parcel["waybill_token"]
    assert len(PLATFORM.waybills) == 1
    _, stranger = make_user(db)
    assert api.get(f"/v1/orders/{order['_id']}/tracking", token=stranger).status == 404


def test_tracking_falls_back_to_a_plain_status_when_wechat_fails(api, db, stack, paid, shopper):
    _, token = shopper
    order = paid()
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"lines.0.cover": "https://cdn.example/1.jpg"}})
    api.post(f"/v1/admin/orders/{order['_id']}/ship", {"carrier": "ZTO", "tracking_no": "ZT1"},
             token=admin_token(db))
    fault(stack, "trace_waybill", -1)
    (parcel,) = api.get(f"/v1/orders/{order['_id']}/tracking", token=token).json["items"]
    assert parcel["waybill_token"] is None
    assert (parcel["carrier_name"], parcel["status_text"]) == ("中通快递", "已发货，运输中")
    assert api.get(f"/v1/orders/{order['_id']}/tracking", token=token).json["items"][0]["waybill_token"]


def test_the_order_page_finds_an_order_from_wechats_merchant_trade_no(api, db, paid, shopper):
    _, token = shopper
    order = paid()
    order_no = order["payment"]["out_trade_no"].split("_")[0]
    found = api.get("/v1/orders", token=token, query={"order_no": order_no}).json["items"]
    assert [o["id"] for o in found] == [order["_id"]]
    _, stranger = make_user(db)
    assert api.get("/v1/orders", token=stranger, query={"order_no": order_no}).json["items"] == []
    assert api.get("/v1/orders", token=token, query={"order_no": order_no, "status": "shipped"}).json["total"] == 0
    assert api.get("/v1/orders", token=token, query={"order_no": "bad no"}).status == 400

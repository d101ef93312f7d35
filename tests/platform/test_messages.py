"""Subscribe messages: grants, exactly one message per event, failures that never fail the action."""
from __future__ import annotations

from datetime import timedelta

import requests

from fenxiao import clock
from fenxiao.distribution import balances
from tests.distribution.money_support import make_buyer, make_distributor, paid_order
from tests.platform.conftest import fault, grant, messages, run_schedule
from tests.support.factories import admin_token, make_user


def test_the_shopper_sees_the_templates_and_reports_grants(api, db, shopper, templates):
    _user_id, token = shopper
    mine = api.get("/v1/me/subscriptions", token=token).json
    by_event = {t["event"]: t for t in mine["templates"]}
    assert by_event["order_paid"]["moments"] == ["pay"]
    assert by_event["withdrawal_rejected"]["template_id"] == templates["withdrawal_rejected"]
    assert set(mine["granted"].values()) == {0}
    after = grant(api, token, templates["order_paid"], templates["order_paid"], "someone-elses-template")
    assert after["granted"][templates["order_paid"]] == 1  # one tap, one grant; unknown ids are ignored
    after = grant(api, token, templates["order_paid"])
    assert after["granted"][templates["order_paid"]] == 2
    for bad in ({"template_ids": []}, {"template_ids": ["含空格 x"]}, {"template_ids": "x"}, {}):
        assert api.post("/v1/me/subscriptions", bad, token=token).status == 400, bad
    assert api.get("/v1/me/subscriptions").status == 401


def test_a_payment_sends_one_message_even_when_its_notification_is_replayed(api, db, stack, paid, shopper,
                                                                            templates):
    user_id, token = shopper
    grant(api, token, templates["order_paid"])
    grant(api, token, templates["order_paid"])
    order = paid(items=[{"price": 1990, "quantity": 1, "title": "运动鞋"}])
    replay = requests.post(f"{stack['base_url']}/__wechat/pay/{order['payment']['out_trade_no']}/succeed", timeout=30)
    assert replay.json()["status"] == 204
    (sent,) = messages(stack, f"dev_{user_id}")
    assert sent["template_id"] == templates["order_paid"]
    assert sent["data"]["character_string1"]["value"] == order["order_no"]
    assert sent["data"]["amount2"]["value"] == "¥19.90"
    assert sent["data"]["thing3"]["value"] == "运动鞋"
    assert sent["page"] == f"pages/orders/detail?id={order['_id']}"
    # one grant spent, one left
    assert api.get("/v1/me/subscriptions", token=token).json["granted"][templates["order_paid"]] == 1
    assert run_schedule("send_messages", clock.now() + timedelta(hours=1))["sent"] == 0
    assert len(messages(stack)) == 1


def test_without_a_grant_nothing_is_sent_and_the_payment_still_succeeds(api, db, stack, paid, templates):
    order = paid()
    assert order["status"] == "paid"
    assert messages(stack) == []
    doc = db.message_outbox.find_one({"_id": f"order_paid:{order['_id']}"})
    assert (doc["status"], doc["reason"]) == ("skipped", "NO_GRANT")
    listed = api.get("/v1/admin/messages", token=admin_token(db, "viewer"), query={"status": "skipped"}).json
    assert [m["id"] for m in listed["items"]] == [doc["_id"]]
    assert listed["items"][0]["event_label"] == "订单支付成功"


def test_wechat_refusing_is_logged_visible_and_never_fails_the_action(api, db, stack, paid, shopper, templates):
    user_id, token = shopper
    grant(api, token, templates["refund_result"])
    order = paid()
    refund = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=token)
    assert refund.status == 201, refund
    # WeChat says she did not subscribe after all (43101): the emulator's `_nosub` openids
    db.users.update_one({"_id": user_id}, {"$set": {"openid": "dev_carol_nosub"}})
    rejected = api.post(f"/v1/admin/refunds/{refund.json['id']}/reject", {"reason": "已发货"}, token=admin_token(db))
    assert rejected.status == 200, rejected
    assert rejected.json["status"] == "rejected"
    failed = api.get("/v1/admin/messages", token=admin_token(db), query={"status": "failed"}).json["items"]
    assert [(m["event"], m["errcode"]) for m in failed] == [("refund_result", 43101)]


def test_a_busy_wechat_is_retried_by_the_schedule_and_the_grant_is_spent_once(api, db, stack, paid, shopper,
                                                                               templates):
    _user_id, token = shopper
    grant(api, token, templates["order_paid"])
    fault(stack, "subscribe_send", -1, times=2)
    order = paid()
    doc = db.message_outbox.find_one({"_id": f"order_paid:{order['_id']}"})
    assert (doc["status"], doc["errcode"], doc["grant_taken"]) == ("pending", -1, True)
    assert run_schedule("send_messages", clock.now())["sent"] == 0  # not due yet
    assert run_schedule("send_messages", clock.now() + timedelta(minutes=6))["pending"] == 1  # busy again
    assert run_schedule("send_messages", clock.now() + timedelta(minutes=30))["sent"] == 1
    assert len(messages(stack)) == 1
    assert api.get("/v1/me/subscriptions", token=token).json["granted"][templates["order_paid"]] == 0


def test_a_send_whose_process_died_is_finished_by_the_schedule(api, db, stack, paid, shopper, templates):
    grant(api, shopper[1], templates["order_paid"])
    fault(stack, "subscribe_send", -1)
    order = paid()
    key = f"order_paid:{order['_id']}"
    db.message_outbox.update_one({"_id": key}, {"$set": {"status": "sending", "claimed_at": clock.now()}})
    result = run_schedule("send_messages", clock.now() + timedelta(minutes=10))
    assert (result["revived"], result["sent"]) == (1, 1)
    assert len(messages(stack)) == 1


def test_refund_results_are_told_once(api, db, stack, paid, shopper, templates):
    user_id, token = shopper
    grant(api, token, templates["refund_result"])
    grant(api, token, templates["refund_result"])
    order = paid(items=[{"price": 500, "quantity": 2}])
    owner = admin_token(db)
    first = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "尺码不合适"}, token=token).json
    api.post(f"/v1/admin/refunds/{first['id']}/reject", {"reason": "超过售后期"}, token=owner)
    second = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "尺码不合适"}, token=token).json
    approved = api.post(f"/v1/admin/refunds/{second['id']}/approve", token=owner)
    assert approved.json["status"] == "refunded", approved
    sent = [m["data"] for m in messages(stack, f"dev_{user_id}")]
    assert [(d["phrase3"]["value"], d["amount2"]["value"]) for d in sent] == [("已拒绝", "¥10.00"),
                                                                              ("退款成功", "¥10.00")]
    assert sent[0]["thing4"]["value"] == "超过售后期"


def test_application_results_commission_and_withdrawals_are_told(api, db, stack, templates):
    owner = admin_token(db)
    user_id, token = make_user(db)
    grant(api, token, templates["application_result"], templates["commission_settled"],
          templates["withdrawal_rejected"], templates["withdrawal_paid"])
    assert api.post("/v1/distributor/application", {"real_name": "王五", "phone": "13900000001"},
                    token=token).status == 200
    assert api.post(f"/v1/admin/distributor-applications/{user_id}/approve", {}, token=owner).status == 200
    # commission settled by the nightly run, sent by the messages schedule
    buyer, _ = make_buyer(db, [user_id])
    paid_order(db, buyer, completed_days_ago=8)
    assert run_schedule("settle_commissions", clock.now())["distributors"] == 1
    assert run_schedule("send_messages", clock.now())["sent"] == 1
    # a rejected withdrawal
    balances.post(db, [balances.entry(f"test-credit:{user_id}", user_id, "settle", {"available": 5000})])
    wid = api.post("/v1/distributor/withdrawals", {"amount": 3000}, token=token).json["id"]
    assert api.post(f"/v1/admin/withdrawals/{wid}/reject", {"reason": "信息不符"}, token=owner).status == 200
    sent = {m["template_id"]: m["data"] for m in messages(stack, f"dev_{user_id}")}
    assert sent[templates["application_result"]]["phrase1"]["value"] == "已通过"
    assert sent[templates["commission_settled"]]["amount1"]["value"] == "¥10.00"
    assert sent[templates["withdrawal_rejected"]]["thing2"]["value"].startswith("信息不符")
    assert sent[templates["withdrawal_rejected"]]["amount1"]["value"] == "¥30.00"
    paid_to, ptoken = make_distributor(db)
    grant(api, ptoken, templates["withdrawal_paid"])
    balances.post(db, [balances.entry(f"test-credit:{paid_to}", paid_to, "settle", {"available": 5000})])
    pid = api.post("/v1/distributor/withdrawals", {"amount": 2000}, token=ptoken).json["id"]
    assert api.post(f"/v1/admin/withdrawals/{pid}/mark-paid", {"reason": "银行转账"}, token=owner).status == 200
    (paid_msg,) = messages(stack, f"dev_{paid_to}")
    assert paid_msg["template_id"] == templates["withdrawal_paid"]


def test_merchant_settings_are_validated(api, db, templates):
    owner = admin_token(db)
    current = api.get("/v1/admin/settings/messages", token=owner).json
    assert current["templates"]["order_paid"]["template_id"] == templates["order_paid"]
    assert current["events"]["order_shipped"]["values"] == ["order_no", "carrier", "tracking_no", "goods", "time"]
    bad = {"templates": {"order_paid": {"template_id": "x", "fields": {"thing1": "nope"}}}}
    assert api.put("/v1/admin/settings/messages", bad, token=owner).status == 400
    assert api.put("/v1/admin/settings/messages", {"templates": {"no_such_event": {}}}, token=owner).status == 400
    assert api.put("/v1/admin/settings/messages", {"miniprogram_state": "trial"},
                   token=admin_token(db, "viewer")).status == 403
    changed = api.put("/v1/admin/settings/messages", {"miniprogram_state": "trial"}, token=owner).json
    assert changed["miniprogram_state"] == "trial" and changed["templates"] == current["templates"]


def test_a_rejected_application_and_a_failed_refund_are_told(api, db, stack, paid, shopper, templates):
    from fenxiao.payments import refunds

    user_id, token = shopper
    grant(api, token, templates["application_result"], templates["refund_result"])
    assert api.post("/v1/distributor/application", {"real_name": "王五", "phone": "13900000003"},
                    token=token).status == 200
    owner = admin_token(db)
    assert api.post(f"/v1/admin/distributor-applications/{user_id}/reject", {"reason": "资料不全"},
                    token=owner).status == 200
    order = paid()
    refund = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=token).json
    # the refund was sent to WeChat Pay (approved), which reports it CLOSED (what the refund notification
    # hands to apply_refund_result; only a refund we sent can be failed by WeChat's answer)
    db.refunds.update_one({"_id": refund["id"]}, {"$set": {"status": "approved"}})
    refunds.apply_refund_result(db, db.refunds.find_one({"_id": refund["id"]}), "CLOSED", {})
    sent = {m["template_id"]: m["data"] for m in messages(stack, f"dev_{user_id}")}
    assert sent[templates["application_result"]]["phrase1"]["value"] == "未通过"
    assert sent[templates["application_result"]]["thing2"]["value"] == "资料不全"
    assert sent[templates["refund_result"]]["phrase3"]["value"] == "退款失败"

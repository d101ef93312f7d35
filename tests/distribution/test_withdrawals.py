"""Withdrawals through the real handlers: limits, fee, no overdraft under races, payout, failure, reject."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fenxiao import clock
from fenxiao.distribution import balances
from infra.local import wechat_emulator
from tests.distribution.money_support import assert_consistent, balance, make_distributor
from tests.support.factories import admin_token
from tests.support.interleave import fail_after
from tests.support.invariants import assert_invariants

WITHDRAWALS = "/v1/distributor/withdrawals"
TRANSFER_NOTIFY = "/v1/payments/wechat/transfer-notify"


def _funded(db, available: int, **kw) -> tuple[str, str]:
    """A distributor with `available` fen, credited through the journal as settlement would."""
    user_id, token = make_distributor(db, **kw)
    balances.post(db, [balances.entry(f"test-credit:{user_id}", user_id, "settle", {"available": available})])
    return user_id, token


def _withdraw(api, token, amount, **kw):
    return api.post(WITHDRAWALS, {"amount": amount}, token=token, **kw)


def test_a_withdrawal_moves_available_to_withdrawing_and_takes_the_fee_from_the_amount(api, db, set_settings):
    set_settings(withdrawal={"min_amount": 100, "fee_bp": 60, "daily_limit": 1_000_000})
    user_id, token = _funded(db, 10_000)
    resp = _withdraw(api, token, 5_000)
    assert resp.status == 201, resp
    assert {k: resp.json[k] for k in ("amount", "fee", "payout", "status")} == {
        "amount": 5_000, "fee": 30, "payout": 4_970, "status": "pending"}
    assert balance(db, user_id) == {"frozen": 0, "available": 5_000, "withdrawing": 5_000, "withdrawn": 0}
    listed = api.get(WITHDRAWALS, token=token).json
    assert [i["id"] for i in listed["items"]] == [resp.json["id"]]
    assert_consistent(db, user_id)


def test_minimum_balance_and_input_are_checked(api, db, set_settings):
    set_settings(withdrawal={"min_amount": 1_000, "fee_bp": 0, "daily_limit": 1_000_000})
    user_id, token = _funded(db, 5_000)
    assert _withdraw(api, token, 999).error_code == "WITHDRAWAL_BELOW_MINIMUM"
    assert _withdraw(api, token, 5_001).error_code == "INSUFFICIENT_BALANCE"
    assert _withdraw(api, token, "1000").status == 400
    assert _withdraw(api, token, -5).status == 400
    assert api.post(WITHDRAWALS, {"amount": 1000, "to": "bank"}, token=token).status == 400
    shopper = make_distributor(db, status="pending")[1]
    assert _withdraw(api, shopper, 1_000).error_code == "NOT_DISTRIBUTOR"
    assert balance(db, user_id)["available"] == 5_000


def test_the_daily_limit_counts_each_china_day(api, db, set_settings):
    set_settings(withdrawal={"min_amount": 100, "fee_bp": 0, "daily_limit": 1_500})
    user_id, token = _funded(db, 10_000)
    # 15:59 UTC is 23:59 in Beijing: the next minute is a new day there (tomorrow's: tokens are not from the future)
    clock.pin((clock.now() + timedelta(days=1)).replace(hour=15, minute=59, second=0, microsecond=0))
    assert _withdraw(api, token, 1_000).status == 201
    refused = _withdraw(api, token, 600)
    assert refused.error_code == "WITHDRAWAL_DAILY_LIMIT", refused
    assert _withdraw(api, token, 500).status == 201
    clock.pin(clock.now() + timedelta(minutes=2))
    assert _withdraw(api, token, 1_500).status == 201
    assert balance(db, user_id)["withdrawing"] == 3_000


def test_an_idempotency_key_replay_returns_the_first_withdrawal(api, db):
    user_id, token = _funded(db, 5_000)
    first = _withdraw(api, token, 1_000, headers={"Idempotency-Key": "w-1"})
    again = _withdraw(api, token, 1_000, headers={"Idempotency-Key": "w-1"})
    assert first.status == again.status == 201 and first.json["id"] == again.json["id"]
    assert balance(db, user_id)["withdrawing"] == 1_000


def test_parallel_withdrawals_never_overdraw(api, db):
    user_id, token = _funded(db, 1_000)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: _withdraw(api, token, 300), range(10)))
    assert sorted(r.status for r in results) == [201] * 3 + [422] * 7, results
    assert {r.error_code for r in results if r.status == 422} == {"INSUFFICIENT_BALANCE"}
    assert balance(db, user_id) == {"frozen": 0, "available": 100, "withdrawing": 900, "withdrawn": 0}
    assert db.balance_journal.count_documents({"kind": "withdraw", "void": False}) == 3
    assert_consistent(db, user_id)
    assert_invariants(db)


def test_owner_approval_pays_through_the_wechat_transfer_and_its_notification(api, db, owner):
    user_id, token = _funded(db, 5_000)
    wid = _withdraw(api, token, 2_000).json["id"]
    assert api.post(f"/v1/admin/withdrawals/{wid}/approve", {}, token=admin_token(db, "operator")).status == 403
    resp = api.post(f"/v1/admin/withdrawals/{wid}/approve", {}, token=owner)
    assert resp.status == 200, resp
    assert resp.json["status"] == "paid" and resp.json["transfer"]["state"] == "SUCCESS"
    bill = wechat_emulator.STORE.transfers[wid]
    assert bill["transfer_amount"] == 2_000 and bill["openid"] == f"dev_{user_id}"
    assert [d["status"] for d in wechat_emulator.STORE.deliveries] == [204]
    assert balance(db, user_id) == {"frozen": 0, "available": 3_000, "withdrawing": 0, "withdrawn": 2_000}
    assert api.post(f"/v1/admin/withdrawals/{wid}/approve", {}, token=owner).error_code == \
        "WITHDRAWAL_STATE_CONFLICT"
    assert api.get(WITHDRAWALS, token=token).json["items"][0]["status"] == "paid"
    assert_consistent(db, user_id)


def _transfer_notification(db, wid: str, state: str, amount: int) -> tuple[dict[str, str], bytes]:
    return wechat_emulator.build_notification("MCHTRANSFER.BILL.FINISHED", {
        "out_bill_no": wid, "transfer_bill_no": "1330" + wid, "state": state, "transfer_amount": amount,
        "mch_id": "1900000001", "openid": "x", "fail_reason": "PAYEE_ACCOUNT_ABNORMAL" if state == "FAIL" else None,
    }, original_type="mch_payment", summary="商家转账单据终态通知")


def test_a_failed_transfer_returns_the_money_once(api, db):
    user_id, token = _funded(db, 5_000)
    wid = _withdraw(api, token, 2_000).json["id"]
    db.withdrawals.update_one({"_id": wid}, {"$set": {"status": "approved", "method": "wechat", "transfer": {
        "state": "WAIT_USER_CONFIRM", "package_info": "PKG"}}})
    assert api.get(WITHDRAWALS, token=token).json["items"][0]["package_info"] == "PKG"
    headers, body = _transfer_notification(db, wid, "FAIL", 2_000)
    for _ in range(2):  # WeChat retries: the second changes nothing
        assert api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=body.decode()).status == 204
    doc = db.withdrawals.find_one({"_id": wid})
    assert (doc["status"], doc["fail_reason"]) == ("failed", "PAYEE_ACCOUNT_ABNORMAL")
    assert balance(db, user_id) == {"frozen": 0, "available": 5_000, "withdrawing": 0, "withdrawn": 0}
    assert_consistent(db, user_id)


def test_a_forged_or_mismatched_transfer_notification_changes_nothing(api, db):
    user_id, token = _funded(db, 5_000)
    wid = _withdraw(api, token, 2_000).json["id"]
    db.withdrawals.update_one({"_id": wid}, {"$set": {"status": "approved"}})
    headers, body = _transfer_notification(db, wid, "SUCCESS", 2_000)
    forged = body.replace(b'"id":"', b'"id":"x')
    assert api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=forged.decode()).status == 401
    headers, body = _transfer_notification(db, wid, "SUCCESS", 9_999)
    assert api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=body.decode()).status == 500
    assert db.withdrawals.find_one({"_id": wid})["status"] == "approved"
    assert balance(db, user_id)["withdrawing"] == 2_000


def test_reject_returns_the_money_and_offline_payment_is_finance_work(api, db, owner):
    user_id, token = _funded(db, 5_000)
    first = _withdraw(api, token, 1_000).json["id"]
    second = _withdraw(api, token, 1_500).json["id"]
    operator = admin_token(db, "operator")
    assert api.post(f"/v1/admin/withdrawals/{first}/reject", {}, token=operator).status == 403
    rejected = api.post(f"/v1/admin/withdrawals/{first}/reject", {"reason": "信息不符"},
                        token=admin_token(db, "finance"))
    assert rejected.status == 200 and rejected.json["reject_reason"] == "信息不符"
    assert api.post(f"/v1/admin/withdrawals/{first}/mark-paid", {}, token=owner).status == 409
    assert api.post(f"/v1/admin/withdrawals/{second}/mark-paid", {}, token=operator).status == 403
    paid = api.post(f"/v1/admin/withdrawals/{second}/mark-paid", {"reason": "银行转账"}, token=owner)
    assert paid.status == 200 and paid.json["status"] == "paid" and paid.json["method"] == "offline"
    assert api.post(f"/v1/admin/withdrawals/{second}/reject", {}, token=owner).status == 409
    assert balance(db, user_id) == {"frozen": 0, "available": 3_500, "withdrawing": 0, "withdrawn": 1_500}
    listed = api.get("/v1/admin/withdrawals", token=operator, query={"status": "rejected"}).json
    assert [i["id"] for i in listed["items"]] == [first]
    assert api.post("/v1/admin/withdrawals/nope/reject", {}, token=owner).status == 404
    assert_consistent(db, user_id)


def test_approval_needs_a_wechat_payee(api, db, owner):
    _, token = _funded(db, 5_000, openid=False)
    wid = _withdraw(api, token, 1_000).json["id"]
    assert api.post(f"/v1/admin/withdrawals/{wid}/approve", {}, token=owner).error_code == "PAYEE_HAS_NO_OPENID"
    assert db.withdrawals.find_one({"_id": wid})["status"] == "pending"


def test_another_users_withdrawals_are_invisible(api, db):
    _, token = _funded(db, 5_000)
    _, other = _funded(db, 5_000)
    _withdraw(api, token, 1_000)
    assert api.get(WITHDRAWALS, token=other).json["total"] == 0


def test_the_admin_lists_one_distributors_withdrawals(api, db, owner):
    """The admin page's distributor drill-down asks for one distributor's withdrawals."""
    first, token = _funded(db, 5_000)
    db.distributors.update_one({"_id": first}, {"$set": {"phone_masked": "138****8000"}})
    _, other = _funded(db, 5_000)
    mine = _withdraw(api, token, 1_000).json
    _withdraw(api, other, 2_000)
    listed = api.get("/v1/admin/withdrawals", token=owner, query={"user_id": first}).json
    assert [w["id"] for w in listed["items"]] == [mine["id"]] and listed["total"] == 1
    profile = db.distributors.find_one({"_id": first})
    assert listed["items"][0]["distributor"] == {  # who gets the money, as the merchant knows them
        "id": first, "nickname": db.users.find_one({"_id": first})["nickname"],
        "real_name": profile["real_name"], "phone": "138****8000"}
    assert api.get("/v1/admin/withdrawals", token=owner).json["total"] == 2


def test_a_retry_after_a_crash_mid_opening_finishes_the_same_withdrawal(api, db):
    user_id, token = _funded(db, 10_000)
    with fail_after(balances, "apply", RuntimeError("failed after moving the money"), call=None):
        assert _withdraw(api, token, 4_000, headers={"Idempotency-Key": "w-1"}).status == 500
    assert balance(db, user_id)["withdrawing"] == 4_000

    retried = _withdraw(api, token, 4_000, headers={"Idempotency-Key": "w-1"})
    assert retried.status == 201, retried
    assert retried.json["status"] == "pending"
    assert db.withdrawals.count_documents({"user_id": user_id}) == 1
    assert balance(db, user_id) == {"frozen": 0, "available": 6_000, "withdrawing": 4_000, "withdrawn": 0}
    assert_consistent(db, user_id)


def test_a_rejected_withdrawal_gives_todays_limit_back_once(api, db, set_settings, owner):
    set_settings(withdrawal={"min_amount": 100, "fee_bp": 0, "daily_limit": 1_500})
    _, token = _funded(db, 10_000)
    wid = _withdraw(api, token, 1_200).json["id"]
    assert _withdraw(api, token, 500).error_code == "WITHDRAWAL_DAILY_LIMIT"
    assert api.post(f"/v1/admin/withdrawals/{wid}/reject", {"reason": "信息有误"}, token=owner).status == 200
    assert api.post(f"/v1/admin/withdrawals/{wid}/reject", {"reason": "again"}, token=owner).status in (200, 409)
    assert _withdraw(api, token, 1_500).status == 201  # the rejected 1,200 no longer counts
    assert _withdraw(api, token, 100).error_code == "WITHDRAWAL_DAILY_LIMIT"  # and was not given back twice


def test_a_disabled_distributor_cannot_request_a_withdrawal(api, db, owner):
    user_id, token = _funded(db, 5_000)
    assert api.put(f"/v1/admin/distributors/{user_id}", {"status": "disabled"}, token=owner).status == 200
    resp = _withdraw(api, token, 2_000)
    assert (resp.status, resp.error_code) == (409, "DISTRIBUTOR_DISABLED"), resp
    assert db.withdrawals.count_documents({}) == 0
    assert balance(db, user_id) == {"frozen": 0, "available": 5_000, "withdrawing": 0, "withdrawn": 0}
    assert api.put(f"/v1/admin/distributors/{user_id}", {"status": "approved"}, token=owner).status == 200
    assert _withdraw(api, token, 2_000).status == 201  # enabled again: the balance was kept for them
    assert_consistent(db, user_id)


def test_the_nightly_run_asks_wechat_about_an_approved_transfer_whose_answer_and_notification_were_lost(
        api, db, owner):
    from fenxiao import wechat
    from functions.schedules import settle_commissions

    user_id, token = _funded(db, 5_000)
    wid = _withdraw(api, token, 2_000).json["id"]
    db.withdrawals.update_one({"_id": wid}, {"$set": {"status": "approved", "approved_at": clock.now(),
                                                      "method": "wechat"}})
    # the transfer reached WeChat (paid there), but its answer and its notification never reached us
    wechat.transfer(wid, f"dev_{user_id}", 2_000, "佣金提现", notify_url="http://127.0.0.1:9/lost")
    soon = settle_commissions.handler({"now": clock.iso(clock.now() + timedelta(minutes=1))})
    assert soon["distribution_recovery"]["transfers"]["queried"] == 0  # within the grace: the normal path
    later = settle_commissions.handler({"now": clock.iso(clock.now() + timedelta(minutes=11))})
    assert later["distribution_recovery"]["transfers"] == {"queried": 1, "finished": 1, "errors": 0}
    assert db.withdrawals.find_one({"_id": wid})["status"] == "paid"
    assert balance(db, user_id) == {"frozen": 0, "available": 3_000, "withdrawing": 0, "withdrawn": 2_000}
    assert_consistent(db, user_id)

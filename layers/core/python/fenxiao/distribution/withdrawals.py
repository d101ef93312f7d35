"""Withdrawals: available commission out to the distributor's WeChat change (or paid offline).

`withdrawals`: {_id, user_id, amount, fee, payout (= amount − fee), status, method: wechat | offline,
transfer: {bill_no, state, package_info}?, reject_reason, fail_reason, journal_done, created_at,
approved_at, approved_by, paid_at, rejected_at, failed_at}.

Status: `opening` (internal, milliseconds: being funded) → `pending` → `approved` (owner started a WeChat
transfer) → `paid` | `failed` (money back to available); `pending` → `rejected` (money back) or `paid`
(the owner paid offline). Every change is one conditional update naming the states it may leave; a
wrong state or a lost race answers 409.

Money moves through the journal (`balances`): opening a withdrawal posts `withdraw:<id>` (available →
withdrawing) applied with the overdraft guard `balance.available >= amount` in the same update, so
parallel requests can never take more than there is. Paying posts `withdraw-paid:<id>` (withdrawing →
withdrawn, the whole amount: the fee is the merchant's); rejecting or failing posts
`withdraw-return:<id>` (withdrawing → available). The status flips first and the journal follows; a
crash in between is finished by `recover` (status final, `journal_done` false), as is an `opening`
withdrawal whose creator died.

The daily limit (fen per China day) is a counter document per user and day taken with one conditional
`$inc` (`amount <= limit − requested` in the filter): it cannot be overrun by parallel requests either.
"""
from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs, transitions
from fenxiao.analytics import backlogs
from fenxiao.config import get_config
from fenxiao.distribution import balances
from fenxiao.distribution.commission import BP
from fenxiao.distribution.models import Id
from fenxiao.distribution.settings import MAX_MONEY, get_distribution_settings
from fenxiao.errors import AppError, BusinessRule, Conflict, NotFound
from fenxiao.idempotency import run_once
from fenxiao.messages import tell
from fenxiao.model import ConfigDict, Field, Model, StringConstraints
from fenxiao.paging import PageQuery, page_of
from fenxiao.users.names import people

OPENING, PENDING, APPROVED, PAID, REJECTED, FAILED = "opening", "pending", "approved", "paid", "rejected", "failed"
FINAL = (PAID, REJECTED, FAILED)
STALE_OPENING = timedelta(minutes=20)  # longer than any function runs: its creator is surely gone
TRANSFER_GRACE = timedelta(minutes=10)  # the transfer answer and its notification normally arrive within seconds
RECOVERY_BATCH = 200
TRANSFER_REMARK = "佣金提现"
Status = Literal["pending", "approved", "paid", "rejected", "failed"]


class WithdrawalIn(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    amount: int = Field(ge=1, le=MAX_MONEY)


class WithdrawalQuery(PageQuery):
    model_config = ConfigDict(extra="ignore")

    status: Status | None = None
    user_id: Id | None = None  # one distributor's withdrawals (the admin page's distributor drill-down)


class ReasonIn(Model):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


# --- rendering -----------------------------------------------------------------------------------------

def render(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the distributor sees; `package_info` while WeChat waits for them to confirm the transfer."""
    transfer = doc.get("transfer") or {}
    view = {"id": doc["_id"], "amount": doc["amount"], "fee": doc["fee"], "payout": doc["payout"],
            "status": doc["status"], "method": doc.get("method"), "reject_reason": doc.get("reject_reason"),
            "fail_reason": doc.get("fail_reason"), "created_at": doc["created_at"],
            "approved_at": doc.get("approved_at"), "paid_at": doc.get("paid_at")}
    if doc["status"] == APPROVED and transfer.get("state") == "WAIT_USER_CONFIRM":
        view["package_info"] = transfer.get("package_info")
    return view


def render_admin(doc: Mapping[str, Any]) -> dict[str, Any]:
    transfer = doc.get("transfer") or {}
    return {**render(doc), "user_id": doc["user_id"], "approved_by": doc.get("approved_by"),
            "rejected_at": doc.get("rejected_at"), "failed_at": doc.get("failed_at"),
            "transfer": {k: transfer.get(k) for k in ("bill_no", "state")} if transfer else None,
            "note": doc.get("note")}


def _get(db: Database, withdrawal_id: str, user_id: str | None = None) -> dict[str, Any]:
    query: dict[str, Any] = {"_id": withdrawal_id, "status": {"$ne": OPENING}}
    if user_id is not None:
        query["user_id"] = user_id
    doc = db.withdrawals.find_one(query)
    if doc is None:
        raise NotFound("No such withdrawal", code="WITHDRAWAL_NOT_FOUND", details={"id": withdrawal_id})
    return doc


def list_mine(db: Database, user_id: str, query: WithdrawalQuery) -> dict[str, Any]:
    filter_: dict[str, Any] = {"user_id": user_id, "status": query.status or {"$ne": OPENING}}
    return page_of(db.withdrawals, filter_, query, [("created_at", -1), ("_id", -1)], render)


def admin_list(db: Database, query: WithdrawalQuery) -> dict[str, Any]:
    # MongoDB serves the `$ne` beside each window from the (created_at, _id) index; the embedded engine
    # scans the withdrawals for it (it combines only an equality prefix with a range): tests/test_indexes.py
    # indexes: withdrawals (status, created_at, _id); (user_id, created_at, _id)
    filter_: dict[str, Any] = {"status": query.status or {"$ne": OPENING}}
    if query.user_id:
        filter_["user_id"] = query.user_id
    page = page_of(db.withdrawals, filter_, query, [("created_at", -1), ("_id", -1)], render_admin,
                   windowed=True)
    # who gets the money, as the merchant knows them: nickname, masked phone, the real name for the payout
    ids = [w["user_id"] for w in page["items"]]
    named = people(db, ids)
    profiles = {d["_id"]: d for d in db.distributors.find({"_id": {"$in": ids}}, {"real_name": 1, "phone_masked": 1})}
    for withdrawal in page["items"]:
        profile = profiles.get(withdrawal["user_id"], {})
        withdrawal["distributor"] = {**named[withdrawal["user_id"]], "real_name": profile.get("real_name") or "",
                                     "phone": profile.get("phone_masked")}
    return page


# --- requesting ----------------------------------------------------------------------------------------

def china_day(moment: datetime) -> str:
    return clock.china_day(moment).isoformat()


def _take_daily(db: Database, user_id: str, amount: int, limit: int, now: datetime) -> str:
    day = china_day(now)
    key = f"{user_id}:{day}"
    refusal = BusinessRule("This exceeds today's withdrawal limit", code="WITHDRAWAL_DAILY_LIMIT",
                           details={"daily_limit": limit, "amount": amount, "day": day})
    if amount > limit:
        raise refusal
    with contextlib.suppress(DuplicateKeyError):  # a parallel request created it first
        db.withdrawal_days.update_one({"_id": key}, {"$setOnInsert": {"user_id": user_id, "day": day, "amount": 0,
                                                                      "expires_at": now + timedelta(days=3)}},
                                      upsert=True)
    taken = db.withdrawal_days.update_one({"_id": key, "amount": {"$lte": limit - amount}},
                                          {"$inc": {"amount": amount}})
    if not taken.modified_count:
        raise refusal
    return key


def _give_back_daily(db: Database, key: str, amount: int) -> None:
    db.withdrawal_days.update_one({"_id": key}, {"$inc": {"amount": -amount}})


def _journal_out(doc: Mapping[str, Any]) -> dict[str, Any]:
    return balances.entry(f"withdraw:{doc['_id']}", doc["user_id"], "withdraw",
                          {"available": -doc["amount"], "withdrawing": doc["amount"]}, withdrawal_id=doc["_id"])


def _insufficient(amount: int, available: int) -> BusinessRule:
    return BusinessRule("Not enough available balance", code="INSUFFICIENT_BALANCE",
                        details={"amount": amount, "available": available})


def _open(db: Database, user_id: str, amount: int, withdrawal_id: str) -> str:
    existing = db.withdrawals.find_one({"_id": withdrawal_id, "user_id": user_id})
    if existing is not None:  # a crashed attempt with this Idempotency-Key: finish it, never a second one
        return _finish_opening(db, existing)
    settings = get_distribution_settings(db).withdrawal
    distributor = db.distributors.find_one({"_id": user_id}, {"status": 1, "balance": 1})
    if distributor is None or distributor.get("status") not in ("approved", "disabled"):
        raise NotFound("You are not a distributor", code="NOT_DISTRIBUTOR")
    if distributor["status"] == "disabled":
        # the merchant stopped this distributor (e.g. suspected fraud): their balance stays where it is,
        # visible to both, until the merchant enables them again; withdrawals already pending stay the
        # merchant's decision
        raise Conflict("Your distributor account is disabled; contact the shop", code="DISTRIBUTOR_DISABLED")
    if amount < settings.min_amount:
        raise BusinessRule("The amount is below the minimum withdrawal", code="WITHDRAWAL_BELOW_MINIMUM",
                           details={"min_amount": settings.min_amount, "amount": amount})
    fee = amount * settings.fee_bp // BP
    if amount - fee <= 0:
        raise BusinessRule("Nothing would be left after the fee", code="WITHDRAWAL_ALL_FEE",
                           details={"amount": amount, "fee": fee})
    available = int((distributor.get("balance") or {}).get("available", 0))
    if amount > available:  # cheap early answer; the guarded update below is what actually protects
        raise _insufficient(amount, available)
    now = clock.now()
    day_key = _take_daily(db, user_id, amount, settings.daily_limit, now)
    doc = {"_id": withdrawal_id, "user_id": user_id, "amount": amount, "fee": fee, "payout": amount - fee,
           "status": OPENING, "method": None, "transfer": None, "journal_done": False, "day_key": day_key,
           "created_at": now, "approved_at": None, "paid_at": None}
    db.withdrawals.insert_one(doc)
    return _finish_opening(db, doc)


def _finish_opening(db: Database, doc: Mapping[str, Any]) -> str:
    """available → withdrawing (journal first, then the guarded balance update; both idempotent), then
    `pending`. Also what a retry runs for an opening a crash interrupted."""
    if doc["status"] != OPENING:
        return doc["_id"]
    journal = _journal_out(doc)
    balances.record(db, [journal])
    if not balances.apply(db, journal, require_available=doc["amount"]):
        _undo_opening(db, doc, "insufficient available balance")
        current = db.distributors.find_one({"_id": doc["user_id"]}, {"balance": 1}) or {}
        raise _insufficient(doc["amount"], int((current.get("balance") or {}).get("available", 0)))
    _pending(db, doc["_id"])
    return doc["_id"]


def _pending(db: Database, withdrawal_id: str) -> None:
    """opening → pending: now it waits for the merchant's review (待审核提现)."""
    db.withdrawals.update_one({"_id": withdrawal_id, "status": OPENING}, {"$set": {"status": PENDING}})
    backlogs.sync(db, "withdrawals", withdrawal_id)


def _undo_opening(db: Database, doc: Mapping[str, Any], reason: str) -> None:
    balances.void(db, f"withdraw:{doc['_id']}", reason)
    if db.withdrawals.delete_one({"_id": doc["_id"], "status": OPENING}).deleted_count:
        _give_back_daily(db, doc["day_key"], doc["amount"])


def request_withdrawal(db: Database, user_id: str, body: WithdrawalIn, idempotency_key: str | None
                       ) -> dict[str, Any]:
    """POST /v1/distributor/withdrawals: available → withdrawing at once, `pending` for the merchant."""
    return run_once(db, "withdrawal", user_id, idempotency_key, body.model_dump(),
                    lambda wid: _open(db, user_id, body.amount, wid), lambda wid: render(_get(db, wid, user_id)))


# --- status changes ------------------------------------------------------------------------------------

def _move(db: Database, withdrawal_id: str, sources: tuple[str, ...], target: str, fields: dict[str, Any]
          ) -> dict[str, Any] | None:
    """One conditional transition; None when the withdrawal was already in `target` (a replay)."""
    return transitions.move(db.withdrawals, withdrawal_id, sources, target, code="WITHDRAWAL_STATE_CONFLICT",
                            not_found="WITHDRAWAL_NOT_FOUND", fields=fields, replay=True)


def _final_journal(doc: Mapping[str, Any]) -> dict[str, Any]:
    wid, amount = doc["_id"], doc["amount"]
    if doc["status"] == PAID:
        return balances.entry(f"withdraw-paid:{wid}", doc["user_id"], "withdraw_paid",
                              {"withdrawing": -amount, "withdrawn": amount}, withdrawal_id=wid)
    return balances.entry(f"withdraw-return:{wid}", doc["user_id"], "withdraw_return",
                          {"withdrawing": -amount, "available": amount}, withdrawal_id=wid)


def _book_final(db: Database, doc: Mapping[str, Any]) -> None:
    balances.post(db, [_final_journal(doc)])
    if doc["status"] != PAID and db.withdrawals.update_one(
            {"_id": doc["_id"], "daily_returned": {"$ne": True}}, {"$set": {"daily_returned": True}}).modified_count:
        _give_back_daily(db, doc["day_key"], doc["amount"])  # money not paid out does not use up today's limit
    db.withdrawals.update_one({"_id": doc["_id"]}, {"$set": {"journal_done": True}})


def _finish(db: Database, withdrawal_id: str, sources: tuple[str, ...], target: str, fields: dict[str, Any]
            ) -> dict[str, Any]:
    moved = _move(db, withdrawal_id, sources, target, fields)
    doc = moved or _get(db, withdrawal_id)
    if not doc.get("journal_done"):
        _book_final(db, doc)
    tell.withdrawal_result(db, doc)  # once per withdrawal (outbox key), also when recovery finishes it
    return _get(db, withdrawal_id)


def reject(db: Database, withdrawal_id: str, body: ReasonIn, *, by: str | None) -> dict[str, Any]:
    """pending → rejected; the amount returns to available."""
    return render_admin(_finish(db, withdrawal_id, (PENDING,), REJECTED,
                                {"rejected_at": clock.now(), "reject_reason": body.reason or "", "rejected_by": by}))


def mark_paid(db: Database, withdrawal_id: str, body: ReasonIn, *, by: str | None) -> dict[str, Any]:
    """pending → paid, paid outside WeChat Pay (bank transfer, cash); only from pending, so a WeChat
    transfer that may still succeed can never be paid a second time by hand."""
    return render_admin(_finish(db, withdrawal_id, (PENDING,), PAID,
                                {"paid_at": clock.now(), "method": "offline", "approved_by": by,
                                 "note": body.reason or ""}))


def _transfer_payee(db: Database, doc: Mapping[str, Any]) -> tuple[str, str | None]:
    user = db.users.find_one({"_id": doc["user_id"]}, {"openid": 1}) or {}
    if not user.get("openid"):
        raise BusinessRule("This distributor has no WeChat account to pay into; pay offline and mark it paid",
                           code="PAYEE_HAS_NO_OPENID", details={"user_id": doc["user_id"]})
    distributor = db.distributors.find_one({"_id": doc["user_id"]}, {"real_name": 1}) or {}
    return user["openid"], distributor.get("real_name") or None


def approve(db: Database, withdrawal_id: str, *, by: str | None) -> dict[str, Any]:
    """pending → approved, then the WeChat Pay transfer of `payout` (out_bill_no = withdrawal id).

    Calling it again on an `approved` withdrawal retries the transfer: WeChat answers the same bill for
    the same out_bill_no, so a timeout never pays twice. The transfer's notification (or this call's
    answer) completes it: SUCCESS → paid, FAIL / CANCELLED → failed with the money back.
    """
    from fenxiao import wechat  # local for cold start: only a payout loads the WeChat Pay client

    doc = _get(db, withdrawal_id)
    transitions.ensure_in(db.withdrawals, doc, (PENDING, APPROVED), "WITHDRAWAL_STATE_CONFLICT")
    openid, real_name = _transfer_payee(db, doc)
    if doc["status"] == PENDING:
        _move(db, withdrawal_id, (PENDING,), APPROVED, {"approved_at": clock.now(), "approved_by": by,
                                                        "method": "wechat"})
    answer = wechat.transfer(withdrawal_id, openid, doc["payout"], TRANSFER_REMARK, user_name=real_name)
    # Only while still approved: the notification may already have made it final (and set the state).
    db.withdrawals.update_one({"_id": withdrawal_id, "status": APPROVED}, {"$set": {"transfer": {
        "bill_no": answer.get("transfer_bill_no"), "state": answer.get("state"),
        "package_info": answer.get("package_info")}}})
    apply_transfer_state(db, withdrawal_id, str(answer.get("state") or ""))
    return render_admin(_get(db, withdrawal_id))


def apply_transfer_state(db: Database, withdrawal_id: str, state: str, reason: str | None = None) -> None:
    """WeChat's bill state → ours; intermediate states (WAIT_USER_CONFIRM, TRANSFERING…) change nothing."""
    if state == "SUCCESS":
        _finish(db, withdrawal_id, (APPROVED,), PAID, {"paid_at": clock.now()})
    elif state in ("FAIL", "CANCELLED"):
        _finish(db, withdrawal_id, (APPROVED,), FAILED, {"failed_at": clock.now(),
                                                         "fail_reason": reason or state})


def handle_transfer_notification(db: Database, headers: Mapping[str, str], raw_body: bytes) -> None:
    """MCHTRANSFER.BILL.FINISHED: verify it, check it is ours and for the right amount, apply its state."""
    from fenxiao import wechat  # local for cold start: only a payout loads the WeChat Pay client

    note = wechat.parse_notification(headers, raw_body)
    if not str(note["event_type"]).startswith("MCHTRANSFER."):
        logs.info("transfer notify: ignored event", event_type=note["event_type"])
        return
    bill = note["resource"]
    withdrawal_id = str(bill.get("out_bill_no") or "")
    doc = db.withdrawals.find_one({"_id": withdrawal_id})
    if doc is None:
        logs.error("ALERT transfer notification for an unknown withdrawal", out_bill_no=withdrawal_id)
        return  # nothing of ours to change; answering 2xx stops the retries
    if doc["status"] != APPROVED:
        if doc["status"] in FINAL and doc.get("method") == "wechat":
            return  # a replay of what already made it final
        logs.error("ALERT transfer notification for a withdrawal we never sent to WeChat",
                   withdrawal_id=withdrawal_id, status=doc["status"])
        raise Conflict("No transfer was sent for this withdrawal", code="TRANSFER_NOT_SENT",
                       details={"status": doc["status"]})
    _check_bill(doc, bill)
    # only while approved: a concurrent final answer wins, and nothing is written to a withdrawal not in flight
    transfer = {**(doc.get("transfer") or {}), "state": bill.get("state"), "bill_no": bill.get("transfer_bill_no")}
    db.withdrawals.update_one({"_id": withdrawal_id, "status": APPROVED}, {"$set": {"transfer": transfer}})
    apply_transfer_state(db, withdrawal_id, str(bill.get("state") or ""), bill.get("fail_reason"))


def _check_bill(doc: Mapping[str, Any], bill: Mapping[str, Any]) -> None:
    """The bill must be the transfer we asked for: our merchant, the payout, and — once WeChat gave us its
    number — that bill number."""
    known_bill_no = (doc.get("transfer") or {}).get("bill_no")
    wrong = [name for name, ok in (
        ("mch_id", bill.get("mch_id") == get_config().wechatpay_mchid),
        ("transfer_amount", bill.get("transfer_amount") == doc["payout"]),
        ("transfer_bill_no", not known_bill_no or bill.get("transfer_bill_no") == known_bill_no)) if not ok]
    if wrong:
        logs.error("ALERT transfer notification does not match the withdrawal", withdrawal_id=doc["_id"],
                   fields=wrong, transfer_amount=bill.get("transfer_amount"), payout=doc["payout"])
        raise AppError("The transfer notification does not match the withdrawal", status=500,
                       code="TRANSFER_AMOUNT_MISMATCH" if wrong == ["transfer_amount"] else "TRANSFER_MISMATCH",
                       details={"fields": wrong})


# --- recovery ------------------------------------------------------------------------------------------

def recover(db: Database) -> int:
    """Finish withdrawals a crash left half-done; returns how many were touched.

    - final status without its journal entry (`journal_done` false): post it (idempotent by ref);
    - `opening` older than STALE_OPENING: funded → pending, otherwise voided and removed (the shopper
      got no answer, so their retry with the same Idempotency-Key opens a new one).
    """
    touched = 0
    for doc in db.withdrawals.find({"journal_done": False, "status": {"$in": list(FINAL)}}):
        _book_final(db, doc)
        touched += 1
    for doc in db.withdrawals.find({"status": OPENING, "created_at": {"$lt": clock.now() - STALE_OPENING}}):
        journal = _journal_out(doc)
        if db.distributors.count_documents({"_id": doc["user_id"], "applied_refs": journal["_id"]}, limit=1):
            balances.mark_applied(db, [journal["_id"]])
            _pending(db, doc["_id"])
        else:
            _undo_opening(db, doc, "abandoned while opening")
        touched += 1
    return touched


def settle_transfers(db: Database, now: datetime) -> dict[str, int]:
    """`approved` withdrawals older than TRANSFER_GRACE whose transfer answer and notification were lost:
    ask WeChat about the bill (out_bill_no = withdrawal id) and apply its state. A bill WeChat never saw
    (the transfer call itself failed) waits for the owner to approve again: paying needs their decision."""
    from fenxiao import wechat  # local for cold start: only a stuck transfer loads the WeChat Pay client

    counts = {"queried": 0, "finished": 0, "errors": 0}
    # index: withdrawals (status, created_at); few are approved at any time
    for doc in db.withdrawals.find({"status": APPROVED, "approved_at": {"$lte": now - TRANSFER_GRACE}},
                                   {"_id": 1, "payout": 1, "transfer": 1}).limit(RECOVERY_BATCH):
        counts["queried"] += 1
        try:
            bill = wechat.query_transfer(doc["_id"])
            _check_bill(doc, bill)
            apply_transfer_state(db, doc["_id"], str(bill.get("state") or ""), bill.get("fail_reason"))
        except AppError as exc:
            counts["errors"] += 1
            logs.error("querying a stuck withdrawal transfer failed", withdrawal_id=doc["_id"], code=exc.code)
            continue
        if db.withdrawals.count_documents({"_id": doc["_id"], "status": {"$ne": APPROVED}}, limit=1):
            counts["finished"] += 1
    return counts

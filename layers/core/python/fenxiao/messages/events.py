"""The business events a shopper can be told about through a WeChat subscribe message.

Each event offers named values (what the merchant maps onto the keywords of the template they picked in
WeChat's library), the mini-program page the message opens, and the moments at which the mini-program
asks the shopper for the one-time grant: WeChat lets `wx.requestSubscribeMessage` run only from a tap,
so the asks sit on the taps that lead to the event (paying, applying, withdrawing, requesting a refund).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fenxiao.pages import DISTRIBUTOR_PAGE, WITHDRAW_PAGE, aftersales_page, order_page

Moment = Literal["pay", "group_pay", "apply", "withdraw", "refund"]


@dataclass(frozen=True)
class Event:
    label: str
    values: tuple[str, ...]   # value names a template keyword may be mapped to
    page: str                 # the page the message opens, formatted with the event's values
    moments: tuple[Moment, ...]


_ORDER_PAGE = order_page("{order_id}")  # formatted with the event's order_id
_AFTERSALES_PAGE = aftersales_page("{refund_id}")  # the after-sales request: the address, the next step

EVENTS: dict[str, Event] = {
    "order_paid": Event("订单支付成功", ("order_no", "amount", "goods", "time"), _ORDER_PAGE, ("pay",)),
    "order_shipped": Event("订单已发货", ("order_no", "carrier", "tracking_no", "goods", "time"), _ORDER_PAGE,
                           ("pay", "group_pay")),
    "refund_result": Event("退款结果", ("order_no", "amount", "result", "note", "time"), _ORDER_PAGE, ("refund",)),
    # return-and-refund / exchange steps (payments.returns); the refund itself is `refund_result`
    "return_agreed": Event("退货申请已同意", ("order_no", "goods", "address", "deadline", "note"), _AFTERSALES_PAGE,
                           ("refund",)),
    "exchange_reshipped": Event("换货已发出", ("order_no", "goods", "carrier", "tracking_no", "time"),
                                _AFTERSALES_PAGE, ("refund",)),
    "group_succeeded": Event("拼团成功", ("goods", "size", "note", "time"), _ORDER_PAGE, ("group_pay",)),
    "group_failed": Event("拼团失败", ("goods", "amount", "note", "time"), _ORDER_PAGE, ("group_pay",)),
    "application_result": Event("分销商申请结果", ("result", "note", "time"), DISTRIBUTOR_PAGE, ("apply",)),
    "commission_settled": Event("佣金到账", ("amount", "time", "note"), DISTRIBUTOR_PAGE, ("apply",)),
    "withdrawal_paid": Event("提现已到账", ("amount", "time", "note"), WITHDRAW_PAGE, ("withdraw",)),
    "withdrawal_rejected": Event("提现未成功", ("amount", "note", "time"), WITHDRAW_PAGE, ("withdraw",)),
}

EventName = Literal["order_paid", "order_shipped", "refund_result", "return_agreed", "exchange_reshipped",
                    "group_succeeded", "group_failed",
                    "application_result", "commission_settled", "withdrawal_paid", "withdrawal_rejected"]

"""The caller's withdrawals: request one (available → withdrawing) and list them.

Two routes on one resource share one function: both are the distributor's own withdrawals and load
the same code, so one warm container serves the request and the list the mini-program shows after it.
"""
from fenxiao.distribution.withdrawals import WithdrawalIn, WithdrawalQuery, list_mine, request_withdrawal
from fenxiao.runtime import HttpFunction, Routes, UserRequest

routes = Routes()


@routes.route("POST", "/v1/distributor/withdrawals", auth="user", body=WithdrawalIn, status=201)
def create(req: UserRequest[WithdrawalIn]) -> dict:
    """Withdraw available commission (Idempotency-Key honoured): the fee comes out of the amount."""
    return request_withdrawal(req.db, req.user_id, req.body, req.idempotency_key)


@routes.route("GET", "/v1/distributor/withdrawals", auth="user", query=WithdrawalQuery)
def mine(req: UserRequest[None, WithdrawalQuery]) -> dict:
    """The caller's withdrawals, newest first; an approved WeChat payout carries `package_info`."""
    return list_mine(req.db, req.user_id, req.query)


withdrawals = HttpFunction(routes, name="distribution-withdrawals")

handler = withdrawals.handler

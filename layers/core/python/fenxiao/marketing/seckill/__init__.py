"""Seckill (秒杀): merchant activities with time slots, their own stock and a per-shopper limit.

An activity (`seckill_activities`) sells SKUs of one product at a seckill price during its slots. Its
`stock` is separate from the SKUs' stock (the merchant sets aside N units for the event; each order takes
both): one conditional `$inc` guarded by `stock >= quantity` takes the activity's units, and the shopper's
quota (`seckill_quotas`, one document per activity and shopper) is taken the same way, so a 200-way race
sells exactly N and nobody buys past the limit. A seckill order has a short pay deadline (the activity's
`pay_minutes`), closed by the existing close-unpaid schedule, and its units come back exactly once on
close / cancel / refund before shipping (`reservations.return_once` under the order or refund id, the
order's `stock_released` flag and the refund's follow-up deciding who returns).

What other areas call (modules are imported by path, so a function loads only what it uses):
- checkout (`fenxiao.orders.checkout.load_rules`): `checkout.seckill_rule(db, lines, request, now)`;
- placement: `units.take(db, order)` / `units.release_holds(db, order)` / `units.drop_holds(db, order)`;
- lifecycle and refunds: `units.give_back(db, order, return_id, quantity)`;
- shop and admin routes: `activities`.
"""

"""Group buying (拼团): campaigns, groups that fill as members pay, and what happens when they cannot.

A campaign (`group_campaigns`) offers a group price per SKU of one product for a window. A shopper opens a
group by paying an order placed with `group_buy: {campaign_id}`, or joins one with `{campaign_id,
group_id}`. Membership counts once paid, so seats are taken by the payment, not the order: the group
(`groups`) is created when the leader's payment lands, and each member's payment takes a seat with ONE
conditional update. The payment that takes the last seat flips the group to `succeeded` and its orders
become shippable; a group still short at its deadline fails and every paid order in it is refunded.

What other areas call (modules are imported by path, so a function loads only what it uses):
- checkout (`fenxiao.orders.checkout.load_rules`): `checkout.group_buy_rule(db, user_id, lines, group_buy,
  now)` → the `GroupBuyPrice` rule and the order's `group_buy` fields, or 404/422.
- payments: `groups.ensure_payable(db, order, now)` before a prepay (`fenxiao.payments.prepay`), and
  `groups.on_order_paid(db, order)` from `payments.hooks.on_order_paid` (idempotent).
- catalog: `campaigns.product_group_buy(db, product_id, now)` → the product page's `group_buy` or None.
- schedules: `expiry.expire_group_buys(db, now)`.
- shop / admin routes: `groups.get_group`, `campaigns.create_campaign` / `update_campaign` /
  `disable_campaign` / `admin_list_campaigns`.
"""

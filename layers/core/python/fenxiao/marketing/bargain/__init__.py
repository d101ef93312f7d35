"""Bargain (砍价): a shopper starts a bargain on a merchant's bargain activity, friends help cut the price,
and the shopper buys at the price reached while the bargain's window is open.

An activity (`bargain_activities`) names one SKU, its floor price, the most helps it takes to reach the
floor (`max_helpers`) and how long each bargain stays open. Starting a bargain (`bargains`, one per
activity and shopper) fixes its whole cut sequence from a random seed stored with it (`rules.cut_sequence`:
each cut ≥ 1 fen, summing exactly to list price − floor price in at most `max_helpers` cuts), so the server
alone decides the cuts and the floor is reached exactly, never overshot. A help takes the next cut with ONE
conditional update naming the number of helps it read and that the helper is not yet among the helpers,
so two helps of one friend count once and two concurrent helps take two different cuts. Anti-abuse: a
helper's account must be older than the activity's `helper_min_account_hours`, and helps are counted per
client address, per device and per helper (`fenxiao.users.throttle.count_in_window`, the referral-farming
guard's counters) against the activity's limits.

Buying is an order with `bargain_id` (`checkout.bargain_rule`: a `BargainPrice`, exclusive); placement
claims the bargain for that order (`bargains.claim`), cancel / close frees it, payment marks it bought.
"""

"""Points (积分) and member levels (会员等级): a journal applied exactly once, its rules, and its checkout side.

- `journal`: entries with deterministic refs, applied by one conditional update each (like the
  distributor balances); `reconcile` proves balance = Σ journal.
- `orders`: spent at placement (guarded), given back on cancel/close, earned and returned as the order
  completes and is refunded (`sync_order`).
- `signin`, `expiry` (yearly), `checkout` (the member discount, points and free shipping as pricing rules),
  `service` (the shopper's and the admin's views), `recovery` (the nightly schedule's one place).
Rules and the stacking order: docs/pricing.md; the journal and its crash windows: docs/points.md.
"""

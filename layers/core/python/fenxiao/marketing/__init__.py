"""Marketing: coupons, limited-time prices, full reductions, share cards.

Each promotion is a rule of the pricing engine (`fenxiao.pricing`), so the preview and the order always agree.
What other areas call:
- checkout (`fenxiao.orders.checkout.load_rules`): `promotions.active_rules(db, now)` → engine rules running
  now; `coupons.checkout_coupon(db, user_id, coupon_id, now)` → the buyer's chosen `Coupon` (422
  COUPON_NOT_APPLICABLE {reason}); `coupons.candidate_coupons(db, user_id, now)` → the buyer's coupons
  checkout ranks for the preview's `usable_coupons`.
- placement / cancel / close / payment / refund: `coupons.lock_coupon`, `coupons.release_coupon`,
  `coupons.mark_coupon_used`.
- catalog: `promotions.active_promotions(db)` with `rules.product_promotion` / `rules.sku_promo_prices`, and
  `share.share_card` for the product page.
Modules are imported by path (not re-exported here) so a function loads only what it uses.
"""

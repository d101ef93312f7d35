"""Marketing: claim and list coupons, list running promotions."""

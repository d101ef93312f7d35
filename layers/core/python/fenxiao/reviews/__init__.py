"""Product reviews: buyers of completed orders rate each line once, the merchant replies or hides."""

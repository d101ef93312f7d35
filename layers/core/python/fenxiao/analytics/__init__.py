"""Analytics: the merchant dashboard's numbers, from daily rollups the money and sign-up events keep (rollups.py)."""

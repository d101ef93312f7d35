"""Analytics: the merchant dashboard's numbers, read with aggregation pipelines on indexed time fields."""

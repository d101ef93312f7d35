"""Categories, products and SKUs."""

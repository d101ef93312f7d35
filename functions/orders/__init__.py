"""Order actions: checkout preview, placement, the shopper's orders, cancel, confirm receipt."""

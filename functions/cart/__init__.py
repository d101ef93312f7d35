"""The shopper's cart: one function per action."""

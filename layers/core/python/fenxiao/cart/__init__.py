"""The shopper's cart: one document per shopper, changed only by conditional single-document updates."""
from fenxiao.cart.models import AddItem, SelectAll, UpdateItem
from fenxiao.cart.service import (
    add_item,
    get_cart,
    remove_item,
    remove_lines,
    select_all,
    selected_lines,
    update_item,
)

__all__ = ["AddItem", "SelectAll", "UpdateItem", "add_item", "get_cart", "remove_item", "remove_lines",
           "select_all", "selected_lines", "update_item"]

"""The shopper's cart: one document per shopper, changed only by conditional single-document updates.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
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

__getattr__ = exports(__name__, {
    **dict.fromkeys(("AddItem", "SelectAll", "UpdateItem"), "models"),
    **dict.fromkeys(("add_item", "get_cart", "remove_item", "remove_lines", "select_all",
                     "selected_lines", "update_item"), "service"),
})

__all__ = ["AddItem", "SelectAll", "UpdateItem", "add_item", "get_cart", "remove_item", "remove_lines",
           "select_all", "selected_lines", "update_item"]

"""Orders: checkout, placement, the order state machine, stock reservation, cancellation and closing.

    from fenxiao.orders import render_order, get_order_for_user

- `checkout.build_checkout` / `preview_checkout`: request → priced `Checkout` (the preview and placement
  share it); `checkout.load_rules` is where marketing plugs in.
- `placement.place_order`: the crash-safe placement (see its module docstring).
- `lifecycle`: cancel, close_unpaid_orders, confirm_receipt, auto_confirm_receipts, ship_order.
- `queries`: render_order(doc, refunds=None), get_order_for_user, list and admin reads.
- `states.transition` for every status change; `stock` for every unit that moves.

The names load from their submodules on first access (`fenxiao.lazy`): reading an order does not import
checkout, pricing and marketing.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.orders.checkout import preview_checkout
    from fenxiao.orders.lifecycle import (
        auto_confirm_receipts,
        cancel_order,
        close_unpaid_orders,
        confirm_receipt,
        ship_order,
    )
    from fenxiao.orders.models import AdminOrderQuery, CheckoutIn, OrderQuery, PlaceOrderIn, ShipIn
    from fenxiao.orders.placement import place_order
    from fenxiao.orders.queries import (
        admin_get_order,
        admin_list_orders,
        get_order_for_user,
        list_orders_for_user,
        render_admin_order,
        render_order,
    )

__getattr__ = exports(__name__, {
    "preview_checkout": "checkout",
    **dict.fromkeys(("auto_confirm_receipts", "cancel_order", "close_unpaid_orders", "confirm_receipt",
                     "ship_order"), "lifecycle"),
    **dict.fromkeys(("AdminOrderQuery", "CheckoutIn", "OrderQuery", "PlaceOrderIn", "ShipIn"), "models"),
    "place_order": "placement",
    **dict.fromkeys(("admin_get_order", "admin_list_orders", "get_order_for_user", "list_orders_for_user",
                     "render_admin_order", "render_order"), "queries"),
})

__all__ = ["AdminOrderQuery", "CheckoutIn", "OrderQuery", "PlaceOrderIn", "ShipIn", "admin_get_order",
           "admin_list_orders", "auto_confirm_receipts", "cancel_order", "close_unpaid_orders", "confirm_receipt",
           "get_order_for_user", "list_orders_for_user", "place_order", "preview_checkout", "render_admin_order",
           "render_order", "ship_order"]

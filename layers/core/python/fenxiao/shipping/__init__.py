"""WeChat's shipping obligations: the carrier list, shipping-info uploads (exactly once per shipment,
retried by a schedule), the order-page jump path, and parcel tracking through WeChat's logistics view.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.shipping.carriers import carrier_name, carriers_view, list_carriers
    from fenxiao.shipping.tracking import order_tracking
    from fenxiao.shipping.uploads import ADMIN_SORT, record_shipment, render, retry_upload, upload_due, upload_state

__getattr__ = exports(__name__, {
    **dict.fromkeys(("carrier_name", "carriers_view", "list_carriers"), "carriers"),
    "order_tracking": "tracking",
    **dict.fromkeys(("ADMIN_SORT", "record_shipment", "render", "retry_upload", "upload_due",
                     "upload_state"), "uploads"),
})

__all__ = ["ADMIN_SORT", "carrier_name", "carriers_view", "list_carriers", "order_tracking", "record_shipment",
           "render", "retry_upload", "upload_due", "upload_state"]

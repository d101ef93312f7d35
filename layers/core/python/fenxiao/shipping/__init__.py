"""WeChat's shipping obligations: the carrier list, shipping-info uploads (exactly once per shipment,
retried by a schedule), the order-page jump path, and parcel tracking through WeChat's logistics view."""
from fenxiao.shipping.carriers import carrier_name, carriers_view, list_carriers
from fenxiao.shipping.tracking import order_tracking
from fenxiao.shipping.uploads import ADMIN_SORT, record_shipment, render, retry_upload, upload_due, upload_state

__all__ = ["ADMIN_SORT", "carrier_name", "carriers_view", "list_carriers", "order_tracking", "record_shipment",
           "render", "retry_upload", "upload_due", "upload_state"]

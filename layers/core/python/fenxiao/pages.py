"""The mini-program's page paths the backend puts into share links, QR codes, share cards, WeChat messages
(subscribe messages, WeChat's shipping messages via set_msg_jump_path) and waybill tracking.

One definition, because a share card and a QR code that disagree on the product page send shoppers to
a page that does not exist. wxacode wants them without a leading slash; onShareAppMessage accepts both.
"""
HOME_PAGE = "pages/index/index"
PRODUCT_PAGE = "pages/product/detail"  # reads `id` and `ref` from its query
ORDER_PAGE = "pages/orders/detail"  # reads `id`, or WeChat's `merchant_trade_no` (<order_no>_<suffix>)
DISTRIBUTOR_PAGE = "pages/distributor/index"
WITHDRAW_PAGE = "pages/distributor/withdraw"
AFTERSALES_PAGE = "pages/aftersales/detail"  # reads `id` (the after-sales request)


def order_page(order_id: str) -> str:
    return f"{ORDER_PAGE}?id={order_id}"


def aftersales_page(refund_id: str) -> str:
    return f"{AFTERSALES_PAGE}?id={refund_id}"

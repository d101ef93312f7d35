"""The mini-program's page paths the backend puts into share links, QR codes and share cards.

One definition, because a share card and a QR code that disagree on the product page send shoppers to
a page that does not exist. wxacode wants them without a leading slash; onShareAppMessage accepts both.
"""
HOME_PAGE = "pages/index/index"
PRODUCT_PAGE = "pages/product/detail"  # reads `id` and `ref` from its query

"""Product reviews for shoppers: the product page's list with its rating summary, writing a review of a
completed order's line, and the caller's reviews of one order. One function for the three routes, because
each new function costs deploy resources (README: the CloudFormation stack is near its limit)."""
from fenxiao.paging import PageQuery
from fenxiao.reviews.models import ReviewIn
from fenxiao.reviews.service import order_reviews, product_reviews, write_review
from fenxiao.runtime import HttpFunction, Request, Routes

routes = Routes()


@routes.route("GET", "/v1/products/{product_id}/reviews", query=PageQuery)
def for_product(req: Request) -> dict:
    """A page of the product's visible reviews, newest first, plus `summary` (count, average, stars)."""
    return product_reviews(req.db, req.params["product_id"], req.query)


@routes.route("POST", "/v1/orders/{order_id}/reviews", auth="user", body=ReviewIn, status=201)
def write(req: Request) -> dict:
    """Review one line of the caller's completed order (once; the text is content-checked)."""
    return write_review(req.db, req.user_id, req.params["order_id"], req.body)


@routes.route("GET", "/v1/orders/{order_id}/reviews", auth="user")
def for_order(req: Request) -> dict:
    """The caller's reviews of one of their orders: which lines are reviewed already."""
    return order_reviews(req.db, req.user_id, req.params["order_id"])


handler = HttpFunction(routes).handler

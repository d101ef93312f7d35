"""Product reviews for shoppers: the product page's list with its rating summary, writing a review of a
completed order's line, and the caller's own reviews. One function for the three routes, because each
new function costs deploy resources (README: the CloudFormation stack is near its limit). The writes sit
under /v1/me rather than /v1/orders/{order_id}: on Tencent a function serving both /v1/products/* and
/v1/orders/* would merge the catalogue and every order action into one SCF function (infra/tencent/plan.py)."""
from fenxiao.paging import PageQuery
from fenxiao.reviews.models import MyReviewQuery, ReviewIn
from fenxiao.reviews.service import my_reviews, product_reviews, write_review
from fenxiao.runtime import HttpFunction, Request, Routes, UserRequest

routes = Routes()


@routes.route("GET", "/v1/products/{product_id}/reviews", query=PageQuery)
def for_product(req: Request[None, PageQuery]) -> dict:
    """A page of the product's visible reviews, newest first, plus `summary` (count, average, stars)."""
    return product_reviews(req.db, req.params["product_id"], req.query)


@routes.route("POST", "/v1/me/reviews", auth="user", body=ReviewIn, status=201)
def write(req: UserRequest[ReviewIn]) -> dict:
    """Review one line of the caller's completed order (once; the text is content-checked)."""
    return write_review(req.db, req.user_id, req.body)


@routes.route("GET", "/v1/me/reviews", auth="user", query=MyReviewQuery)
def mine(req: UserRequest[None, MyReviewQuery]) -> dict:
    """The caller's reviews, newest first; `?order_id=` shows which lines of that order are reviewed."""
    return my_reviews(req.db, req.user_id, req.query)


handler = HttpFunction(routes).handler

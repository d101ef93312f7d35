"""The merchant admin web page (`/admin` and its script and stylesheet); composed by handler.py.

Public routes: the page holds no data, it signs in through POST /v1/admin/login like any client.
"""
from flask import Response

from fenxiao.admin.page import INDEX, SECURITY_HEADERS, asset
from fenxiao.runtime import Request, Routes

routes = Routes()


def _serve(name: str, req: Request) -> Response:
    file = asset(name)
    headers = {**SECURITY_HEADERS, "ETag": file.etag}
    if file.etag in req.headers.get("if-none-match", ""):
        return Response(status=304, headers=headers)
    return Response(file.body, status=200, headers=headers, content_type=file.content_type)


@routes.route("GET", "/admin")
def page_index(req: Request) -> Response:
    """The admin single-page app (no trailing slash: API Gateway routes may not end in one)."""
    return _serve(INDEX, req)


@routes.route("GET", "/admin/{name}")
def page_asset(req: Request) -> Response:
    """The page's script and stylesheet."""
    return _serve(req.params["name"], req)

"""What a scanned product wxacode (scene `s=<link id>`) stands for: {ref, product_id, path}."""
from fenxiao.distribution.share import resolve
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/share-links/{link_id}")
def share_link(req: Request) -> dict:
    return resolve(req.db, req.params["link_id"])


handler = share_link.handler

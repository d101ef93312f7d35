"""Share links and mini-program codes (wxacode) that carry a distributor's share code.

A wxacode's `scene` is at most 32 characters, too short for a share code plus a 24-character product id.
So every share gets a `share_links` record (one per distributor and product, unique):
- the shop's home page: scene = the share code itself (API.md: "scene = ref code");
- a product: scene = `s=<link id>`; the mini-program resolves it with GET /v1/share-links/{id}, which
  answers {ref, product_id, path}.
The PNG is stored once in object storage at a deterministic key (`wxacode/<code>/<product or home>.png`)
and its URL kept on the record, so repeated shares cost one read and never call WeChat again; a crash
between upload and record is repaired by looking for the object before generating it again.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.distribution.distributors import is_active, my_distributor
from fenxiao.errors import Conflict, NotFound
from fenxiao.ids import short_code
from fenxiao.pages import HOME_PAGE, PRODUCT_PAGE

LINK_ID_LENGTH = 8
_ATTEMPTS = 5


def page_path(code: str, product_id: str | None) -> str:
    """The mini-program path a share opens, carrying `ref` (and the product `id`)."""
    if product_id:
        return f"{PRODUCT_PAGE}?{urlencode({'id': product_id, 'ref': code})}"
    return f"{HOME_PAGE}?{urlencode({'ref': code})}"


def _link(db: Database, distributor: dict[str, Any], product_id: str | None) -> dict[str, Any]:
    """The distributor's link for this product (or the home page), created on first share."""
    owner = {"distributor_id": distributor["_id"], "product_id": product_id}
    found = db.share_links.find_one(owner)
    if found is not None:
        return found
    code = distributor["code"]
    for _ in range(_ATTEMPTS):
        link_id = short_code(LINK_ID_LENGTH)
        doc = {"_id": link_id, **owner, "code": code, "page": PRODUCT_PAGE if product_id else HOME_PAGE,
               "scene": f"s={link_id}" if product_id else code, "qrcode_url": None, "created_at": clock.now()}
        try:
            db.share_links.insert_one(doc)
            return doc
        except DuplicateKeyError:
            found = db.share_links.find_one(owner)  # a concurrent first share won: use its link
            if found is not None:
                return found
    raise Conflict("Could not create a share link; try again", code="SHARE_LINK_CONFLICT")


def _qrcode_url(db: Database, link: dict[str, Any]) -> str:
    from fenxiao import storage, wechat  # lazily: only sharing loads the WeChat and S3 clients

    key = f"wxacode/{link['code']}/{link['product_id'] or 'home'}.png"
    if storage.object_exists(key):
        url = storage.public_url(key)
    else:
        image = wechat.wxacode_unlimited(link["scene"], link["page"])
        url = storage.put_public_object(key, image, "image/png")
    db.share_links.update_one({"_id": link["_id"]}, {"$set": {"qrcode_url": url}})
    return url


def sharing_distributor(db: Database, user_id: str) -> dict[str, Any]:
    """The caller's distributor document when they may share with their code (approved), else 409."""
    distributor = my_distributor(db, user_id)
    if not is_active(distributor):
        raise Conflict("Only an approved distributor can share with a referral code", code="DISTRIBUTOR_NOT_ACTIVE",
                       details={"status": distributor.get("status")})
    return distributor


def share(db: Database, user_id: str, product_id: str | None) -> dict[str, Any]:
    """{ref, path, qrcode_url} for the caller's share of a product (or of the shop)."""
    distributor = sharing_distributor(db, user_id)
    if product_id and not db.products.count_documents({"_id": product_id, "status": "on_sale"}, limit=1):
        raise NotFound("No such product, or it is no longer on sale", code="PRODUCT_NOT_FOUND",
                       details={"id": product_id})
    link = _link(db, distributor, product_id)
    url = link.get("qrcode_url") or _qrcode_url(db, link)
    return {"ref": distributor["code"], "path": page_path(distributor["code"], product_id), "qrcode_url": url}


def resolve(db: Database, link_id: str) -> dict[str, Any]:
    """What a scanned `s=<link id>` scene stands for: {ref, product_id, path}."""
    link = db.share_links.find_one({"_id": link_id})
    if link is None:
        raise NotFound("No such share link", code="SHARE_LINK_NOT_FOUND", details={"id": link_id})
    return {"ref": link["code"], "product_id": link.get("product_id"),
            "path": page_path(link["code"], link.get("product_id"))}

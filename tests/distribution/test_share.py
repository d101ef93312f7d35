"""Share links: ref, page path and a wxacode PNG stored in S3 (moto) once and reused."""
from __future__ import annotations

import requests

from fenxiao import wechat
from tests.catalog.conftest import product_body
from tests.support.factories import make_user

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_product(api, owner):
    category = api.post("/v1/admin/categories", {"name": "服饰"}, token=owner).json
    resp = api.post("/v1/admin/products", product_body(category["id"]), token=owner)
    assert resp.status == 201, resp
    return resp.json


def count_wxacode_calls(monkeypatch):
    calls: list = []
    real = wechat.wxacode_unlimited

    def counting(scene, page):
        calls.append((scene, page))
        return real(scene, page)

    monkeypatch.setattr(wechat, "wxacode_unlimited", counting)
    return calls


def test_product_share_stores_a_png_and_reuses_it(api, db, owner, distributor, monkeypatch):
    calls = count_wxacode_calls(monkeypatch)
    product = make_product(api, owner)
    _, token, code = distributor()
    resp = api.get("/v1/distributor/share", query={"product_id": product["id"]}, token=token)
    assert resp.status == 200, resp
    body = resp.json
    assert body["ref"] == code
    assert body["path"] == f"pages/product/detail?id={product['id']}&ref={code}"
    image = requests.get(body["qrcode_url"], timeout=10)
    assert image.status_code == 200 and image.content.startswith(PNG_MAGIC)
    (scene, page), = calls
    assert page == "pages/product/detail" and len(scene) <= 32 and scene.startswith("s=")

    again = api.get("/v1/distributor/share", query={"product_id": product["id"]}, token=token).json
    assert again == body and len(calls) == 1
    resolved = api.get(f"/v1/share-links/{scene[2:]}")
    assert resolved.status == 200
    assert resolved.json == {"ref": code, "product_id": product["id"], "path": body["path"]}


def test_home_share_uses_the_code_as_scene(api, db, distributor, monkeypatch):
    calls = count_wxacode_calls(monkeypatch)
    _, token, code = distributor()
    body = api.get("/v1/distributor/share", token=token).json
    assert body["path"] == f"pages/index/index?ref={code}"
    assert calls == [(code, "pages/index/index")]
    assert requests.get(body["qrcode_url"], timeout=10).content.startswith(PNG_MAGIC)


def test_a_lost_record_reuses_the_stored_object(api, db, distributor, monkeypatch):
    _, token, _ = distributor()
    first = api.get("/v1/distributor/share", token=token).json
    db.share_links.update_many({}, {"$set": {"qrcode_url": None}})  # as if we crashed after the upload
    calls = count_wxacode_calls(monkeypatch)
    assert api.get("/v1/distributor/share", token=token).json == first
    assert calls == []


def test_share_needs_an_active_distributor_and_a_real_product(api, db, distributor):
    _, shopper = make_user(db)
    assert api.get("/v1/distributor/share", token=shopper).error_code == "NOT_DISTRIBUTOR"
    _, token, _ = distributor()
    missing = api.get("/v1/distributor/share", query={"product_id": "nope"}, token=token)
    assert missing.status == 404 and missing.error_code == "PRODUCT_NOT_FOUND"
    assert api.get("/v1/share-links/NOSUCH").status == 404

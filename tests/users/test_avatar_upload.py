"""A shopper's avatar through the real handlers: an upload form (POST /v1/me/uploads), the file sent to
object storage (moto over HTTP, as wx.uploadFile sends it: the form's fields plus `file`), then PATCH /v1/me."""
from __future__ import annotations

import requests

from tests.support.factories import admin_token, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(api, token, **body):  # type: ignore[no-untyped-def]
    return api.post("/v1/me/uploads", {"filename": "tmp_avatar.png", "content_type": "image/png",
                                       "size": len(PNG), **body}, token=token)


def test_shopper_uploads_an_avatar_and_saves_it_on_the_profile(api, db) -> None:
    _, token = make_user(db)
    r = _form(api, token)
    assert r.status == 200, r
    form = r.json
    assert form["key"].startswith("public/uploads/shoppers/") and form["key"].endswith(".png")
    sent = requests.post(form["url"], data=form["fields"], files={"file": ("a.png", PNG, "image/png")}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text
    assert requests.get(form["public_url"], timeout=10).content == PNG

    r = api.patch("/v1/me", {"nickname": "小红", "avatar_url": form["public_url"]}, token=token)
    assert r.status == 200, r
    me = api.get("/v1/me", token=token).json
    assert (me["nickname"], me["avatar_url"]) == ("小红", form["public_url"])


def test_upload_form_needs_a_shopper_and_an_image(api, db) -> None:
    assert _form(api, None).status == 401
    assert _form(api, admin_token(db)).status == 403
    _, token = make_user(db)
    r = _form(api, token, content_type="image/gif")
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r
    r = _form(api, token, size=6 * 1024 * 1024)
    assert r.status == 400, r

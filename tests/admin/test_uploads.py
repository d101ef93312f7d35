"""Image upload forms through the real admin handler, and a real upload to object storage (moto over HTTP)."""
from __future__ import annotations

import base64
import json

import pytest
import requests

from fenxiao.admin.uploads import MAX_IMAGE_BYTES
from tests.support.factories import admin_token, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG signature is all S3 needs: it stores bytes


def upload_form(api, token: str, **body):  # type: ignore[no-untyped-def]
    return api.post("/v1/admin/uploads", {"filename": "cover.png", "content_type": "image/png",
                                          "size": len(PNG), **body}, token=token)


def test_presigned_post_uploads_to_storage_and_is_readable(api, db) -> None:
    r = upload_form(api, admin_token(db, role="operator"))
    assert r.status == 200, r
    form = r.json
    assert set(form) == {"url", "fields", "key", "public_url"}
    assert form["key"].startswith("public/uploads/images/") and form["key"].endswith(".png")
    assert form["fields"]["key"] == form["key"] and form["fields"]["Content-Type"] == "image/png"
    assert form["public_url"].endswith("/" + form["key"])

    sent = requests.post(form["url"], data=form["fields"], files={"file": ("cover.png", PNG, "image/png")}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text

    stored = requests.get(form["public_url"], timeout=10)
    assert stored.status_code == 200 and stored.content == PNG
    assert stored.headers["Content-Type"] == "image/png"


def test_each_form_gets_its_own_key(api, db) -> None:
    token = admin_token(db)
    keys = {upload_form(api, token).json["key"] for _ in range(3)}
    assert len(keys) == 3


def test_jpeg_keeps_a_jpg_key(api, db) -> None:
    r = upload_form(api, admin_token(db), filename="照片.JPEG", content_type="image/jpeg")
    assert r.status == 200 and r.json["key"].endswith(".jpg"), r


@pytest.mark.parametrize(("body", "field"), [
    ({"content_type": "image/gif"}, "content_type"),
    ({"content_type": "text/html"}, "content_type"),
    ({"size": MAX_IMAGE_BYTES + 1}, "size"),
    ({"size": 0}, "size"),
    ({"filename": ""}, "filename"),
    ({"filename": "../../etc/passwd"}, "filename"),
    ({"filename": "x" * 201}, "filename"),
    ({"bucket": "other"}, "bucket"),
])
def test_invalid_requests_are_400(api, db, body: dict, field: str) -> None:
    r = upload_form(api, admin_token(db), **body)
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r
    assert [f["field"] for f in r.json["error"]["details"]["fields"]] == [field]


def test_a_name_of_another_type_is_refused(api, db) -> None:
    r = upload_form(api, admin_token(db), filename="cover.jpg", content_type="image/png")
    assert r.status == 400 and r.error_code == "UPLOAD_TYPE_MISMATCH", r


def test_five_megabytes_is_the_limit(api, db) -> None:
    r = upload_form(api, admin_token(db), size=MAX_IMAGE_BYTES)
    assert r.status == 200, r


def test_admins_only(api, db) -> None:
    _, shopper = make_user(db)
    assert upload_form(api, shopper).status == 403
    assert api.post("/v1/admin/uploads", {"filename": "a.png", "content_type": "image/png", "size": 1}).status == 401



def test_signed_policy_pins_key_type_and_declared_size(api, db) -> None:
    """moto does not enforce POST policies, so read the policy S3 will enforce from the form itself."""
    form = upload_form(api, admin_token(db), size=1234).json
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 1234] in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert {"key": form["key"]} in conditions

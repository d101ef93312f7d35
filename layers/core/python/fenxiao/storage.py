"""Object storage (AWS S3, or Tencent COS through its S3-compatible API) for public assets.

boto3 is imported inside the first call that needs it: most functions never touch storage and must not
pay its import cost on a cold start. The endpoint comes from the standard `AWS_ENDPOINT_URL_S3` (the
local stack points it at moto, a COS deployment at `https://cos.<region>.myqcloud.com`); the bucket from
`FENXIAO_S3_BUCKET`; public URLs are `FENXIAO_S3_PUBLIC_BASE` + key (a CDN or the bucket's public URL),
so objects are served without signing and the URL is stable enough to store.

Every object lives under PUBLIC_PREFIX (`public/`): the bucket policy makes exactly that prefix publicly
readable (never writable), so nothing else a bucket may hold is exposed. Callers name keys without it.

Outside production a missing bucket is created on first use, so a fresh local stack or test run needs no
setup step; in production the bucket is infrastructure (serverless.yml) and a missing one is an error.
"""
from __future__ import annotations

import functools
import os
import threading
from typing import Annotated, Any

from fenxiao.config import get_config
from fenxiao.ids import new_id
from fenxiao.model import StringConstraints

# An image's public URL as clients send it (products, categories, banners): one type for every area, kept here
# with the storage that serves the images so catalog and marketing both use it without importing each other.
ImageUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^https?://\S+$")]

PUBLIC_PREFIX = "public/"
_ensured: set[str] = set()
_lock = threading.Lock()


@functools.cache
def _client(endpoint_marker: str) -> Any:
    import boto3  # lazily: see the module docstring
    from botocore.config import Config

    # The marker only keys the cache: a test or the dev server that repoints the endpoint gets a new client.
    # Timeouts well inside a function's 15 s: a slow store fails the request instead of the platform killing it.
    return boto3.client("s3", config=Config(signature_version="s3v4", connect_timeout=2, read_timeout=5,
                                            retries={"max_attempts": 2, "mode": "standard"}))


def client() -> Any:
    return _client(os.environ.get("AWS_ENDPOINT_URL_S3", ""))


def _bucket() -> str:
    config = get_config()
    config.require("s3_bucket", "s3_public_base")
    bucket = config.s3_bucket
    if config.env != "production" and bucket not in _ensured:
        with _lock:
            if bucket not in _ensured:
                _create_if_missing(bucket)
                _ensured.add(bucket)
    return bucket


def _create_if_missing(bucket: str) -> None:
    from botocore.exceptions import ClientError

    s3 = client()
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError:
        region = s3.meta.region_name
        options = {"CreateBucketConfiguration": {"LocationConstraint": region}} if region != "us-east-1" else {}
        try:
            s3.create_bucket(Bucket=bucket, **options)
        except ClientError as exc:  # created by a concurrent request meanwhile
            if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
        # The admin page uploads with a presigned POST straight from the browser: a cross-origin request.
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [
            {"AllowedMethods": ["GET", "POST"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"]}]})


def object_key(key: str) -> str:
    """The stored key of a public object: always under PUBLIC_PREFIX."""
    return PUBLIC_PREFIX + key.lstrip("/")


def public_url(key: str) -> str:
    return get_config().s3_public_base.rstrip("/") + "/" + object_key(key)


SHOPPER_UPLOADS = "uploads/shoppers/"  # where POST /v1/me/uploads puts a shopper's images


def is_shopper_upload(url: str) -> bool:
    """An image a shopper uploaded through POST /v1/me/uploads (refund photos, review images): only our
    own storage's URLs are taken, so nobody's page loads an image from a place a shopper chose."""
    return url.startswith(public_url(SHOPPER_UPLOADS)) and not any(c.isspace() for c in url)


def object_exists(key: str) -> bool:
    """HEAD the object. A missing key is 404 only when the caller may list the bucket (the deployed role
    may, for PUBLIC_PREFIX); a 403 is a real permission problem and raises instead of reading as "absent"."""
    from botocore.exceptions import ClientError

    try:
        client().head_object(Bucket=_bucket(), Key=object_key(key))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def put_public_object(key: str, data: bytes, content_type: str, *, cache_seconds: int = 86400) -> str:
    """Store `data` at `key` and return its public URL. Same key, same URL: callers choose stable keys."""
    # In production the bucket's policy (or CDN) makes objects readable and ACLs are often disabled, so no
    # ACL is sent; the local bucket (moto) has no policy, so its objects are made public one by one.
    acl = {} if get_config().env == "production" else {"ACL": "public-read"}
    client().put_object(Bucket=_bucket(), Key=object_key(key), Body=data, ContentType=content_type,
                        CacheControl=f"public, max-age={cache_seconds}", **acl)
    return public_url(key)


def presigned_post(key_prefix: str, content_type: str, max_bytes: int, *, suffix: str = "",
                   expires_seconds: int = 600) -> dict[str, Any]:
    """A browser upload form limited to one new key under `key_prefix`, one content type and a size.

    The key is ours (`<prefix>/<new id><suffix>`), never a client-chosen name. Returns
    {url, fields, key, public_url}: the admin page posts `fields` plus the file to `url`.
    """
    key = f"{key_prefix.strip('/')}/{new_id()}{suffix}"
    stored = object_key(key)
    fields = {"Content-Type": content_type}
    if get_config().env != "production":  # public like put_public_object's local objects (moto has no policy)
        fields["acl"] = "public-read"
    form = client().generate_presigned_post(
        Bucket=_bucket(), Key=stored, Fields=fields,
        Conditions=[*({name: value} for name, value in fields.items()), ["content-length-range", 1, max_bytes]],
        ExpiresIn=expires_seconds)
    return {"url": form["url"], "fields": form["fields"], "key": stored, "public_url": public_url(key)}


def reset() -> None:
    """Forget clients and created buckets (tests that switch endpoints)."""
    _client.cache_clear()
    with _lock:
        _ensured.clear()

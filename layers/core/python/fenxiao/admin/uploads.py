"""Image uploads for the merchant: validate what the browser says it will send, hand out a presigned POST.

The file goes from the browser straight to object storage; the function only signs a policy that pins
the key, the content type and the size the client declared, so it never handles image bytes.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fenxiao import clock, storage
from fenxiao.errors import InvalidInput
from fenxiao.model import ConfigDict, Field, Model, StringConstraints

MAX_IMAGE_BYTES = 5 * 1024 * 1024
ImageType = Literal["image/jpeg", "image/png", "image/webp"]
# content type -> (the key's suffix, file name extensions that may carry it)
EXTENSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "image/jpeg": (".jpg", frozenset({".jpg", ".jpeg", ".jfif"})),
    "image/png": (".png", frozenset({".png"})),
    "image/webp": (".webp", frozenset({".webp"})),
}
_EXTENSION = re.compile(r"(\.[A-Za-z0-9]{1,8})$")


class UploadIn(Model):
    model_config = ConfigDict(extra="forbid")

    # Only checked against the content type and logged: keys are never built from client-chosen names.
    filename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                               pattern=r"^[^/\\\x00-\x1f]+$")]
    content_type: ImageType
    size: int = Field(ge=1, le=MAX_IMAGE_BYTES, description="bytes; at most 5 MB")


def check_extension(filename: str, content_type: str) -> str:
    """The key suffix for `content_type`; a file named like another type is refused.

    Catches the common mistake of a browser guessing one type while the file is another before the
    upload, instead of serving a .png name with JPEG bytes later.
    """
    suffix, allowed = EXTENSIONS[content_type]
    match = _EXTENSION.search(filename)
    if match and match.group(1).lower() not in allowed:
        raise InvalidInput(f"{filename!r} does not look like {content_type}", code="UPLOAD_TYPE_MISMATCH",
                           details={"fields": [{"field": "filename", "message": f"expected one of {sorted(allowed)}",
                                                "in": "body"}]})
    return suffix


def image_upload(data: UploadIn, *, folder: str = "images", now: datetime | None = None) -> dict[str, Any]:
    """A presigned POST for one image: `{url, fields, key, public_url}`; keys are grouped by month under
    `uploads/<folder>/` (the merchant's images, or what shoppers send: avatars)."""
    suffix = check_extension(data.filename, data.content_type)
    month = (now or clock.now()).strftime("%Y/%m")
    return storage.presigned_post(f"uploads/{folder}/{month}", data.content_type, data.size, suffix=suffix)

"""Inputs of reviews: what a buyer writes, what the merchant replies, the list queries."""
from __future__ import annotations

from typing import Annotated, Literal

from fenxiao import storage
from fenxiao.model import ConfigDict, Field, Model, StringConstraints, field_validator
from fenxiao.paging import PageQuery

MAX_IMAGES = 6
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class _Strict(Model):
    model_config = ConfigDict(extra="forbid")


class ReviewIn(_Strict):
    """`POST /v1/me/reviews`: one line (`sku_id`) of the caller's completed order, once. `images` are
    uploaded first through POST /v1/me/uploads (only our storage's URLs are taken)."""

    order_id: Id
    sku_id: Id
    rating: int = Field(ge=1, le=5)
    content: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    images: list[Annotated[str, StringConstraints(max_length=500)]] = Field(default_factory=list,
                                                                             max_length=MAX_IMAGES)

    @field_validator("images")
    @classmethod
    def _our_uploads(cls, images: list[str]) -> list[str]:
        if not all(storage.is_shopper_upload(url) for url in images):
            raise ValueError("images must be uploaded through POST /v1/me/uploads")
        return images


class ReplyIn(_Strict):
    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class MyReviewQuery(PageQuery):
    order_id: Id | None = None


class AdminReviewQuery(PageQuery):
    status: Literal["visible", "hidden"] | None = None
    product_id: Id | None = None

"""The API's list convention: ?page=&page_size= (max 100) → {items, page, page_size, total}."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pymongo.collection import Collection


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class Page(BaseModel):
    items: list[Any]
    page: int
    page_size: int
    total: int


def page_of(collection: Collection, filter_: Mapping[str, Any], query: PageQuery,
            sort: list[tuple[str, int]], render: Callable[[dict[str, Any]], Any],
            projection: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One page of a collection plus the total: two round trips, both on the same index."""
    skip = (query.page - 1) * query.page_size
    docs = collection.find(filter_, projection).sort(sort).skip(skip).limit(query.page_size)
    return {"items": [render(d) for d in docs], "page": query.page, "page_size": query.page_size,
            "total": collection.count_documents(filter_)}

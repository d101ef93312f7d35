"""Product search that understands Chinese: titles are cut into character bigrams, stored and indexed.

Chinese has no spaces, so a substring match of the whole query misses 主动降噪真无线蓝牙耳机 for
`q=降噪耳机` (the words are not adjacent). Instead each run of Chinese characters is cut into overlapping
character pairs (主动 动降 降噪 噪真 … 耳机) plus its single characters, Latin words and numbers are kept
whole and lower-cased, and the product stores these tokens in `search_tokens` (a multikey index). A query
is cut the same way; a product matches when it has enough of the query's tokens (`min_matches`), and
results rank by how many it has, then by sales. Why bigrams rather than a segmenter: nothing to install or
keep current (a dictionary would have to know 降噪), and product titles are short.

Cost: the `$in` on the multikey index reads only products that share a token with the query (never the
whole collection); those candidates are scored and paged in one aggregation.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from pymongo.database import Database

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"[{_CJK}]+|[a-z]+|[0-9]+")
MAX_QUERY_TOKENS = 40  # a 50-character query gives at most 49 bigrams; 40 is plenty to rank by


def _is_cjk(run: str) -> bool:
    return not run[0].isascii()


def title_tokens(text: str) -> list[str]:
    """What a product stores: every bigram and single character of each Chinese run, Latin words whole."""
    found: dict[str, None] = {}
    for run in _RUNS.findall(text.lower()):
        if _is_cjk(run):
            found.update(dict.fromkeys(run))
            found.update(dict.fromkeys(run[i:i + 2] for i in range(len(run) - 1)))
        else:
            found[run] = None
    return list(found)


def query_tokens(text: str) -> list[str]:
    """What a query looks for: bigrams of Chinese runs (a lone Chinese character as itself), Latin words."""
    found: dict[str, None] = {}
    for run in _RUNS.findall(text.lower()):
        if _is_cjk(run) and len(run) > 1:
            found.update(dict.fromkeys(run[i:i + 2] for i in range(len(run) - 1)))
        else:
            found[run] = None
    return list(found)[:MAX_QUERY_TOKENS]


def min_matches(tokens: Iterable[str]) -> int:
    """A product must share at least 60 % of the query's tokens (降噪耳机: 2 of 降噪 噪耳 耳机), so a query
    does not return every product that merely shares one common pair (耳机 alone)."""
    count = len(list(tokens))
    return max(1, math.ceil(count * 0.6))


def search_pipeline(filter_: dict[str, Any], tokens: list[str], sort: list[tuple[str, int]] | None,
                    projection: dict[str, Any], skip: int, limit: int) -> list[dict[str, Any]]:
    """The aggregation of `search_page`. The token `$match` comes alone and first: the embedded server
    plans an `$in` on the multikey index only when nothing else is in the same `$match` (real MongoDB
    merges the two stages and uses the same index), so the shop's other conditions follow it."""
    order = [("score", -1), ("sales", -1), ("_id", -1)] if sort is None else sort
    return [
        {"$match": {"search_tokens": {"$in": tokens}}},
        {"$match": filter_},
        {"$project": {**projection, "score": {"$size": {"$setIntersection": ["$search_tokens", tokens]}}}},
        {"$match": {"score": {"$gte": min_matches(tokens)}}},
        {"$facet": {"items": [{"$sort": dict(order)}, {"$skip": skip}, {"$limit": limit}],
                    "total": [{"$count": "n"}]}},
    ]


def search_page(db: Database, filter_: dict[str, Any], q: str, sort: list[tuple[str, int]] | None,
                projection: dict[str, Any], skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """One page of the products matching `q` within `filter_`, and how many match.

    `sort` None ranks by relevance (tokens matched), then sales; a sort the shopper chose keeps its order
    among the matches. A query without any searchable character matches nothing.
    """
    tokens = query_tokens(q)
    if not tokens:
        return [], 0
    (result,) = db.products.aggregate(search_pipeline(filter_, tokens, sort, projection, skip, limit))
    total = result["total"][0]["n"] if result["total"] else 0
    return result["items"], total


def backfill_tokens(db: Database) -> int:
    """Give products written before search tokens existed their tokens (the migrate task; idempotent)."""
    count = 0
    for doc in db.products.find({"search_tokens": {"$exists": False}}, {"title": 1}):
        db.products.update_one({"_id": doc["_id"]}, {"$set": {"search_tokens": title_tokens(doc["title"])}})
        count += 1
    return count

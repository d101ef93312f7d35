"""The API's list convention, at a cost that depends on the page, never on the size of the shop.

Request: `?page=&page_size=` (max 100) as API.md has it, or `?cursor=` (the `next_cursor` of the previous
answer, opaque) for the following page. Answer: `{items, page, page_size, total, total_is_estimate,
next_cursor}`.

Page numbers reach the first `MAX_PAGE` pages only: `?page=n` has no position to start from, so it reads
the n − 1 pages before it, and a deeper `page` is refused (400 `PAGE_TOO_DEEP`, telling the client to
follow `next_cursor`) instead of costing O(n) pages. The bound keeps every request O(page_size): at most
MAX_PAGE × 100 documents for the deepest page number, however big the shop. Checked where the query is
parsed (`PageQuery`), so every paged list, the catalogue search's relevance pages included, has it.

Why keyset, and why no count: a page found by `skip` costs every skipped document, and a total counted
per view costs every matching document (measured: 13 s for page 1 of the admin orders at 100k).
A cursor holds the sort values of the page's last item, so the next page starts exactly there (ties on
the first sort key are broken by `_id`, the last key of every sort). `total` is exact when the caller
passes one kept by counters (a team's size) or when the list ends on this page; otherwise it is "at
least this many" (the items up to this page plus one) and `total_is_estimate` is true. A client shows
"more" while `next_cursor` is set (the mini-program's pager and the admin page's 下一页 already do,
because total then always exceeds what they have).

Windowed lists (`windowed=True`: the big, growing lists sorted newest first by a time field — admin
orders, refunds, withdrawals, distributors, a top distributor's commissions, team, journal): the query
is a range on the time field, walked backwards in windows that grow ×8 from one hour (or from the span
the previous page covered, which the cursor carries), but no wider than the last window's density says
the rest of the page needs, each window one indexed range query with a limit.
MongoDB stops an index scan at the limit anyway; the embedded engine (SecantusDB) materialises every
candidate the index gives before applying the limit, and a bounded range is the only shape that keeps
its cost to the window. Small lists (one shopper's own orders, the catalogue, coupon templates) run one
plain query.
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.collection import Collection

from fenxiao import clock
from fenxiao.errors import InvalidInput
from fenxiao.model import ConfigDict, Field, Model, model_validator

FIRST_WINDOW = timedelta(hours=1)
GROWTH = 8
MAX_PAGE = 10  # deepest `?page=` without a cursor (docs/api-notes.md "Cursors")
MAX_WINDOW = timedelta(days=366 * 40)
# Nothing the shop stores predates this: a window reaching below it ends the walk with one last
# open-ended query (cheap: it matches nothing, or the few stragglers a test wrote in the past).
FLOOR = datetime(2000, 1, 1, tzinfo=UTC)


class PageQuery(Model):
    model_config = ConfigDict(extra="ignore")

    # le: every input has a bound (the parser's, as before); MAX_PAGE is the page check's, with its own code
    page: int = Field(1, ge=1, le=10_000,
                      description=f"1 to {MAX_PAGE} without a cursor; deeper pages follow `next_cursor`")
    page_size: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, min_length=1, max_length=512,
                               description="`next_cursor` of the previous page; takes precedence over `page`")

    @model_validator(mode="after")
    def _page_within_reach(self) -> PageQuery:
        if self.cursor is None and self.page > MAX_PAGE:
            # an AppError, not a ValueError: pydantic lets it through unwrapped, so the client gets this
            # code rather than INVALID_INPUT
            raise InvalidInput(f"page {self.page} is deeper than {MAX_PAGE}: follow next_cursor",
                               code="PAGE_TOO_DEEP", details={"page": self.page, "max_page": MAX_PAGE})
        return self


class Page(Model):
    items: list[Any]
    page: int
    page_size: int
    total: int
    total_is_estimate: bool = False
    next_cursor: str | None = None


# --- the cursor ----------------------------------------------------------------------------------------

def _bad_cursor() -> InvalidInput:
    return InvalidInput("Not a cursor of this list", details={"fields": [
        {"field": "cursor", "message": "not a cursor this list gave out", "in": "query", "type": "cursor"}]})


def _pack(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"d": value.astimezone(UTC).isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot page on a {type(value).__name__}")


def _unpack(value: Any) -> Any:
    if isinstance(value, dict):
        return datetime.fromisoformat(value["d"])
    return value


def encode_cursor(keys: list[str], values: list[Any], offset: int, window: timedelta | None) -> str:
    body = {"k": keys, "v": [_pack(v) for v in values], "o": offset}
    if window is not None:
        body["w"] = int(window.total_seconds())
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[str]) -> tuple[list[Any], int, timedelta | None]:
    """(sort values of the last item, items before the next page, window hint); 400 for anything else."""
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if body["k"] != keys or len(body["v"]) != len(keys) or not isinstance(body["o"], int) or body["o"] < 0:
            raise ValueError("another list's cursor")
        values = [_unpack(v) for v in body["v"]]
        seconds = body.get("w")
        window = timedelta(seconds=min(max(int(seconds), 1), int(MAX_WINDOW.total_seconds()))) if seconds else None
        return values, body["o"], window
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        raise _bad_cursor() from None


# --- reading documents in sort order -------------------------------------------------------------------

def _value(doc: Mapping[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _after(doc: Mapping[str, Any], sort: list[tuple[str, int]], last: list[Any]) -> bool:
    """Does `doc` come strictly after the cursor's item? Only asked of documents tied on the first key."""
    for (key, direction), seen in zip(sort[1:], last[1:], strict=True):
        value = _value(doc, key)
        if value != seen:
            return (value < seen) if direction < 0 else (value > seen)
    return False


def _keyset(sort: list[tuple[str, int]], last: list[Any]) -> dict[str, Any]:
    """Everything after `last` in `sort` order, for sorts of more than two keys (the small catalogue lists)."""
    branches = []
    for n, (key, direction) in enumerate(sort):
        equal = {k: v for (k, _), v in zip(sort[:n], last[:n], strict=True)}
        value = last[n]
        if value is None:
            if direction < 0:
                continue  # nothing sorts below null
            branches.append({**equal, key: {"$ne": None}})
        else:
            branches.append({**equal, key: {"$lt" if direction < 0 else "$gt": value}})
    return {"$or": branches} if branches else {"_id": {"$exists": False}}


def _with(filter_: Mapping[str, Any], key: str, condition: Mapping[str, Any]) -> dict[str, Any]:
    if key not in filter_:
        return {**filter_, key: dict(condition)}
    return {"$and": [dict(filter_), {key: dict(condition)}]}


def _projection(projection: Mapping[str, Any] | None, sort: list[tuple[str, int]]) -> Mapping[str, Any] | None:
    if not projection or not any(projection.values()):
        return projection
    return {**projection, **{key: 1 for key, _ in sort}}


def _plain(collection: Collection, filter_: Mapping[str, Any], sort: list[tuple[str, int]],
           last: list[Any] | None, want: int, projection: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Up to `want` documents after `last` in one query (one more round only past a run of ties)."""
    if last is None:
        return list(collection.find(filter_, projection).sort(sort).limit(want))
    if len(sort) != 2:
        return list(collection.find({"$and": [dict(filter_), _keyset(sort, last)]}, projection)
                    .sort(sort).limit(want))
    (key, direction), first = sort[0], last[0]
    condition = {"$lte" if direction < 0 else "$gte": first} if first is not None else {"$exists": True}
    bounded = _with(filter_, key, condition) if first is not None else dict(filter_)
    limit = want + 1
    while True:
        raw = list(collection.find(bounded, projection).sort(sort).limit(limit))
        docs = [d for d in raw if _value(d, key) != first or _after(d, sort, last)]
        if len(docs) >= want or len(raw) < limit:
            return docs[:want]
        limit *= 2  # the page was all ties with the cursor's item: read past them


def _bounds(filter_: Mapping[str, Any], key: str) -> tuple[dict[str, Any], datetime | None, datetime | None] | None:
    """Split the caller's own range on the time field off the filter: (rest, lower ≥, upper <)."""
    own = filter_.get(key)
    if own is None:
        return dict(filter_), None, None
    if not isinstance(own, Mapping) or set(own) - {"$gte", "$gt", "$lt", "$lte"}:
        return None
    if any(not isinstance(v, datetime) for v in own.values()):
        return None
    rest = {k: v for k, v in filter_.items() if k != key}
    lower = max((v for op, v in own.items() if op in ("$gte", "$gt")), default=None)
    upper = min((v + timedelta(microseconds=1) if op == "$lte" else v for op, v in own.items()
                 if op in ("$lt", "$lte")), default=None)
    if "$gt" in own and lower == own["$gt"]:
        lower = own["$gt"] + timedelta(microseconds=1)
    return rest, lower, upper


def _windowed(collection: Collection, filter_: Mapping[str, Any], sort: list[tuple[str, int]],
              last: list[Any] | None, want: int, projection: Mapping[str, Any] | None,
              window: timedelta | None) -> list[dict[str, Any]] | None:
    """Up to `want` documents after `last`, newest first, reading the time field in growing windows."""
    key = sort[0][0]
    split = _bounds(filter_, key)
    if split is None or (last is not None and not isinstance(last[0], datetime)):
        return None
    rest, lower, upper = split
    found: list[dict[str, Any]] = []
    width = window or FIRST_WINDOW
    top: datetime | None = upper  # exclusive; None: no upper bound (documents dated ahead of our clock too)
    if last is not None:
        first = last[0]
        # the rest of the cursor's own instant (ties are rare: times carry milliseconds)
        ties = collection.find({**rest, key: first}, projection).sort(sort)
        found.extend([d for d in ties if _after(d, sort, last)][:want])
        top = min(first, upper) if upper is not None else first
    start = top if top is not None else clock.now()
    while len(found) < want:
        bottom = start - width
        if lower is not None and bottom <= lower:
            bottom = lower
        open_end = lower is None and bottom < FLOOR
        condition: dict[str, Any] = {} if open_end else {"$gte": bottom}
        if top is not None:
            condition["$lt"] = top
        query = {**rest, key: condition} if condition else {**rest, key: {"$exists": True}}
        batch = list(collection.find(query, projection).sort(sort).limit(want - len(found)))
        found.extend(batch)
        if open_end or bottom == lower:
            break
        top, start = bottom, bottom
        width = _next_width(width, len(batch), want - len(found))
    return found


def _next_width(width: timedelta, got: int, needed: int) -> timedelta:
    """×GROWTH, but no wider than the density the last window showed says `needed` documents take
    (+25%): the embedded engine reads every document of a window, so a window ×8 too wide in a dense
    shop cost ×8 the page (admin orders page 50 grew ×4.9 from 1k to 100k)."""
    grown = min(width * GROWTH, MAX_WINDOW)
    if got == 0 or needed <= 0:
        return grown
    return max(min(grown, width * needed / got * 1.25), timedelta(seconds=1))


def _span(docs: list[dict[str, Any]], key: str) -> timedelta | None:
    """Twice the time the page covered: where the next page's first window starts."""
    times = [t for d in docs if isinstance(t := _value(d, key), datetime)]
    if len(times) < 2:
        return None
    return max((times[0] - times[-1]) * 2, timedelta(seconds=1))


def page_of(collection: Collection, filter_: Mapping[str, Any], query: PageQuery,
            sort: list[tuple[str, int]], render: Callable[[dict[str, Any]], Any],
            projection: Mapping[str, Any] | None = None, *, windowed: bool = False,
            total: int | None = None) -> dict[str, Any]:
    """One page in sort order (`sort` ends on `_id`); `total` when the caller keeps an exact count.

    `windowed`: the sort is (time field desc, _id desc) over a list that grows with the shop (see the
    module's docstring). One page reads page_size + 1 documents (the extra one says whether more follow);
    `?page=n` without a cursor reads the (n − 1) pages before it too, which is why n stops at MAX_PAGE.
    """
    keys = [key for key, _ in sort]
    if keys[-1] != "_id":
        raise ValueError("a paged sort ends on _id, so every position is unique")
    size = query.page_size
    last: list[Any] | None = None
    window: timedelta | None = None
    if query.cursor:
        last, offset, window = decode_cursor(query.cursor, keys)
    else:
        offset = (query.page - 1) * size
    skip = 0 if last is not None else offset
    want = skip + size + 1
    fields = _projection(projection, sort)
    docs = _windowed(collection, filter_, sort, last, want, fields, window) if windowed else None
    if docs is None:
        docs = _plain(collection, filter_, sort, last, want, fields)
    docs = docs[skip:]
    more = len(docs) > size
    docs = docs[:size]
    seen = offset + len(docs)
    next_cursor = None
    if more and docs:
        next_cursor = encode_cursor(keys, [_value(docs[-1], k) for k in keys], seen,
                                    _span(docs, keys[0]) if windowed else None)
    exact = total is not None or not more
    return {"items": [render(d) for d in docs], "page": offset // size + 1, "page_size": size,
            "total": total if total is not None else seen + (1 if more else 0),
            "total_is_estimate": not exact, "next_cursor": next_cursor}

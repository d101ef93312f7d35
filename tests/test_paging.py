"""fenxiao.paging: cursors walk every document exactly once, in order, whatever the spacing of the times
(ties, documents years apart, dated ahead of the clock), windowed or not, and totals say when they guess."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args, get_origin

import pytest

from fenxiao import clock
from fenxiao.errors import InvalidInput
from fenxiao.paging import MAX_PAGE, PageQuery, page_of
from tests.support.factories import admin_token, make_user

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SORT = [("created_at", -1), ("_id", -1)]


def _times() -> list[datetime]:
    """Clusters and gaps: five documents on one millisecond, minutes, days and years apart, one ahead."""
    tie = NOW - timedelta(minutes=30)
    return ([NOW + timedelta(days=1), NOW, NOW - timedelta(seconds=1)] + [tie] * 5
            + [NOW - timedelta(hours=h) for h in (2, 3, 30, 200)]
            + [NOW - timedelta(days=d) for d in (40, 400, 3000)] + [datetime(2001, 1, 1, tzinfo=UTC)])


def _seed(collection) -> list[str]:
    docs = [{"_id": f"d{i:03d}", "kind": "a" if i % 3 else "b", "created_at": t} for i, t in enumerate(_times())]
    collection.insert_many(docs)
    return [d["_id"] for d in sorted(docs, key=lambda d: (d["created_at"], d["_id"]), reverse=True)]


def _walk(collection, filter_, size, windowed):
    seen, cursor, pages = [], None, []
    while True:
        page = page_of(collection, filter_, PageQuery(page_size=size, cursor=cursor), SORT, lambda d: d["_id"],
                       windowed=windowed)
        seen += page["items"]
        pages.append(page)
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("windowed", [True, False])
@pytest.mark.parametrize("size", [1, 3, 7, 100])
def test_cursors_visit_every_document_once_in_sort_order(db, windowed, size):
    clock.pin(NOW)
    expected = _seed(db.paging_probe)
    seen, pages = _walk(db.paging_probe, {}, size, windowed)
    assert seen == expected
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1))
    # every page but the last says "at least", the last one knows
    assert all(p["total_is_estimate"] and p["total"] == p["page"] * size + 1 for p in pages[:-1])
    assert (pages[-1]["total"], pages[-1]["total_is_estimate"]) == (len(expected), False)
    # ?page=n lands where the cursors did
    for n, page in enumerate(pages[:4], start=1):
        by_number = page_of(db.paging_probe, {}, PageQuery(page=n, page_size=size), SORT, lambda d: d["_id"],
                            windowed=windowed)
        assert by_number["items"] == page["items"]


def test_a_windowed_list_keeps_the_filter_and_its_own_time_range(db):
    clock.pin(NOW)
    _seed(db.paging_probe)
    docs = list(db.paging_probe.find())
    low, high = NOW - timedelta(days=500), NOW - timedelta(seconds=1)
    expected = [d["_id"] for d in sorted(docs, key=lambda d: (d["created_at"], d["_id"]), reverse=True)
                if d["kind"] == "a" and low <= d["created_at"] < high]
    seen, _ = _walk(db.paging_probe, {"kind": "a", "created_at": {"$gte": low, "$lt": high}}, 2, True)
    assert seen == expected and len(expected) >= 5


def test_exact_total_from_the_caller(db):
    _seed(db.paging_probe)
    page = page_of(db.paging_probe, {}, PageQuery(page_size=2), SORT, lambda d: d, total=17)
    assert (page["total"], page["total_is_estimate"]) == (17, False) and page["next_cursor"]


@pytest.mark.parametrize("cursor", ["x", "eyJrIjpbXX0", "eyJrIjpbImNyZWF0ZWRfYXQiLCJfaWQiXSwidiI6WzEsMl0sIm8iOi0xfQ"])
def test_a_cursor_not_from_this_list_is_a_clean_400(db, cursor):
    with pytest.raises(InvalidInput) as raised:
        page_of(db.paging_probe, {}, PageQuery(cursor=cursor), SORT, lambda d: d, windowed=True)
    assert raised.value.details["fields"][0]["field"] == "cursor"


def _paid_orders_and_operator(db) -> str:
    """One paid order at each of `_times()` (clock pinned to NOW); the operator's token that lists them."""
    clock.pin(NOW)
    for i, moment in enumerate(_times()):
        db.orders.insert_one({"_id": f"o{i:03d}", "order_no": f"N{i:03d}", "user_id": "u1", "status": "paid",
                              "lines": [], "amounts": {}, "created_at": moment})
    return admin_token(db, "operator")


def test_admin_orders_follow_cursors_through_the_real_handler(api, db):
    token = _paid_orders_and_operator(db)
    seen, cursor = [], None
    while True:
        r = api.get("/v1/admin/orders", token=token, query={"page_size": 4, **({"cursor": cursor} if cursor else {})})
        assert r.status == 200, r
        seen += [o["id"] for o in r.json["items"]]
        cursor = r.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [d["_id"] for d in db.orders.find().sort(SORT)]
    assert r.json["total"] == len(seen) and not r.json["total_is_estimate"]
    bad = api.get("/v1/admin/orders", token=token, query={"cursor": "garbage"})
    assert bad.status == 400 and "翻页位置" in bad.json["error"]["message"]


def test_a_window_grows_no_wider_than_the_rest_of_the_page_needs() -> None:
    """×8 when the last window was empty or sparse; in a dense list, the width its density says the
    rest of the page takes (+25%), since the embedded engine reads a whole window whatever the limit."""
    from fenxiao.paging import _next_width

    hour = timedelta(hours=1)
    assert _next_width(hour, 0, 41) == 8 * hour
    assert _next_width(hour, 1, 1000) == 8 * hour
    assert _next_width(hour, 60, 41) == hour * 41 / 60 * 1.25
    assert _next_width(hour, 60, 0) == 8 * hour


def _paged_routes(entries) -> list[Any]:
    from fenxiao.runtime import registry

    return [r for e in registry.http_entries(entries) for r in e.function.routes
            if r.query is not None and issubclass(r.query, PageQuery)]


def _required(model) -> dict[str, str]:
    """A value for each required query field (a Literal's first choice), so the page check is reached."""
    return {name: str(get_args(f.annotation)[0]) if get_origin(f.annotation) is Literal else "x"
            for name, f in model.model_fields.items() if f.is_required()}


def test_every_paged_list_takes_page_numbers_up_to_the_bound_and_refuses_deeper(api, db, stack):
    """The bound holds for every route whose query is a PageQuery (one check in the model), through the
    real handlers: page MAX_PAGE is served, MAX_PAGE + 1 is 400 PAGE_TOO_DEEP in Chinese, naming
    next_cursor; with a cursor, `page` is not looked at."""
    _, user = make_user(db)
    admin = admin_token(db, "owner")
    routes = _paged_routes(stack["entries"])
    assert len(routes) >= 40  # every list of the API, admin and shopper
    wrong = []
    for route in routes:
        path = re.sub(r"\{\w+\}", "x", route.path)
        token = admin if route.auth == "admin" else (None if route.auth == "none" else user)
        query = _required(route.query)
        deep = api.get(path, token=token, query={**query, "page": str(MAX_PAGE + 1)})
        at_bound = api.get(path, token=token, query={**query, "page": str(MAX_PAGE)})
        if deep.status != 400 or deep.error_code != "PAGE_TOO_DEEP" or at_bound.status >= 500 \
                or (at_bound.status >= 400 and at_bound.error_code == "PAGE_TOO_DEEP"):
            wrong.append((route.endpoint, deep, at_bound))
    assert wrong == []
    message = deep.json["error"]["message"]
    assert f"第 {MAX_PAGE} 页" in message and "next_cursor" in message
    assert deep.json["error"]["details"] == {"page": MAX_PAGE + 1, "max_page": MAX_PAGE}


def test_cursors_go_on_past_the_deepest_page_number(api, db):
    token = _paid_orders_and_operator(db)
    seen, cursor, pages = [], None, []
    while True:  # a stale `page` beside the cursor is not looked at
        r = api.get("/v1/admin/orders", token=token,
                    query={"page_size": 1, "page": str(MAX_PAGE + 5), **({"cursor": cursor} if cursor else {})}) \
            if cursor else api.get("/v1/admin/orders", token=token, query={"page_size": 1})
        assert r.status == 200, r
        seen += [o["id"] for o in r.json["items"]]
        pages.append(r.json["page"])
        cursor = r.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [d["_id"] for d in db.orders.find().sort(SORT)]
    assert len(pages) > MAX_PAGE and pages == list(range(1, len(pages) + 1))

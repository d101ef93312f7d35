"""Search that finds Chinese words inside titles (character bigrams, indexed), ranked by relevance;
the merchant's hot searches."""
from __future__ import annotations

from fenxiao.admin.bootstrap import migrate
from fenxiao.catalog.search import min_matches, query_tokens, title_tokens
from tests.support.catalog import make_product as insert_product


def test_titles_are_cut_into_bigrams_and_latin_words():
    tokens = title_tokens("主动降噪 AirPods Pro2代")
    assert {"主动", "动降", "降噪", "主", "噪"} <= set(tokens)
    assert {"airpods", "pro", "2", "代"} <= set(tokens)
    assert "噪a" not in tokens and "降噪a" not in tokens  # runs of different scripts are never joined


def test_a_query_uses_bigrams_and_a_lone_character_as_itself():
    assert query_tokens("降噪耳机") == ["降噪", "噪耳", "耳机"]
    assert query_tokens("机") == ["机"]
    assert query_tokens("  C++  ") == ["c"]
    assert query_tokens("!!!") == []
    assert min_matches(["降噪", "噪耳", "耳机"]) == 2 and min_matches(["机"]) == 1


def _titles(resp):
    assert resp.status == 200, resp
    return [item["title"] for item in resp.json["items"]]


def test_a_chinese_query_finds_its_words_inside_a_title_ranked_by_relevance(api, make_product):
    make_product(title="主动降噪真无线蓝牙耳机")
    make_product(title="有线耳机")               # shares only 耳机: below the 60 % bar
    make_product(title="降噪耳机 头戴式")         # all three bigrams: most relevant
    make_product(title="纯棉T恤")

    r = api.get("/v1/products", query={"q": "降噪耳机"})
    assert _titles(r) == ["降噪耳机 头戴式", "主动降噪真无线蓝牙耳机"]
    assert r.json["total"] == 2
    assert _titles(api.get("/v1/products", query={"q": "蓝牙"})) == ["主动降噪真无线蓝牙耳机"]
    assert _titles(api.get("/v1/products", query={"q": "T恤"})) == ["纯棉T恤"]
    assert _titles(api.get("/v1/products", query={"q": "电饭煲"})) == []


def test_search_pages_and_keeps_a_chosen_sort(api, make_product):
    for price in (3000, 1000, 2000):
        make_product(title=f"蓝牙耳机{price}", skus=[{"specs": {}, "price": price, "stock": 1}], specs=[])
    first = api.get("/v1/products", query={"q": "蓝牙耳机", "sort": "price_asc", "page_size": 2})
    assert [i["price_min"] for i in first.json["items"]] == [1000, 2000] and first.json["total"] == 3
    second = api.get("/v1/products", query={"q": "蓝牙耳机", "sort": "price_asc", "page_size": 2, "page": 2})
    assert [i["price_min"] for i in second.json["items"]] == [3000]


def test_an_edited_title_is_searchable_under_its_new_words(api, admin, make_product):
    product = make_product(title="旧名字")
    body = {k: product[k] for k in ("title", "subtitle", "category_id", "images", "description", "specs", "status")}
    body["skus"] = [{"specs": s["specs"], "price": s["price"], "stock": s["stock"]} for s in product["skus"]]
    assert api.put(f"/v1/admin/products/{product['id']}", {**body, "title": "新款保温杯"}, token=admin).status == 200
    assert _titles(api.get("/v1/products", query={"q": "保温杯"})) == ["新款保温杯"]
    assert _titles(api.get("/v1/products", query={"q": "旧名字"})) == []


def test_migrate_gives_older_products_their_tokens(api, db):
    insert_product(db, title="老商品保温杯")  # written without tokens, as before this release
    assert _titles(api.get("/v1/products", query={"q": "保温杯"})) == []
    assert migrate(db, None)["search_tokens_backfilled"] == 1
    assert _titles(api.get("/v1/products", query={"q": "保温杯"})) == ["老商品保温杯"]
    assert migrate(db, None)["search_tokens_backfilled"] == 0


def test_hot_searches_are_set_by_the_merchant(api, admin):
    assert api.get("/v1/search/hot").json == {"items": []}
    r = api.put("/v1/admin/settings/search", {"hot": ["降噪耳机", " 坚果 "]}, token=admin)
    assert r.status == 200 and r.json == {"hot": ["降噪耳机", "坚果"]}
    assert api.get("/v1/search/hot").json == {"items": ["降噪耳机", "坚果"]}
    too_long = api.put("/v1/admin/settings/search", {"hot": ["好" * 21]}, token=admin)
    assert (too_long.status, too_long.error_code) == (400, "INVALID_INPUT")


def test_only_an_owner_or_operator_changes_hot_searches(api, db):
    from tests.support.factories import admin_token

    r = api.put("/v1/admin/settings/search", {"hot": ["x"]}, token=admin_token(db, "viewer"))
    assert r.status == 403

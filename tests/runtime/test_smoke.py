def test_categories_empty(api):
    r = api.get("/v1/categories")
    assert r.status == 200, r
    assert r.json == {"items": []}

"""/v1/me/addresses: ownership, the default rules, the cap, validation, and get_address for orders."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import NotFound
from fenxiao.users.addresses import get_address
from fenxiao.users.models import MAX_ADDRESSES
from tests.support.factories import make_user
from tests.users.conftest import field_names, yesterday_at

T0 = yesterday_at(0)


def address(**overrides):
    body = {"name": "张三", "phone": "13800138000", "province": "广东省", "city": "深圳市",
            "district": "南山区", "detail": "科技园 1 号", "is_default": False}
    body.update(overrides)
    return body


def add(api, token, n: int, **overrides):
    clock.pin(T0 + timedelta(minutes=n))  # distinct creation times make "newest" well defined
    resp = api.post("/v1/me/addresses", address(detail=f"地址 {n}", **overrides), token=token)
    assert resp.status == 201, resp
    return resp.json


def listed(api, token):
    resp = api.get("/v1/me/addresses", token=token)
    assert resp.status == 200, resp
    return resp.json["items"]


def defaults(api, token):
    return [a["id"] for a in listed(api, token) if a["is_default"]]


def test_create_returns_the_address_and_the_first_is_default(api, db):
    _, token = make_user(db)
    first = add(api, token, 1)
    assert set(first) == {"id", "name", "phone", "province", "city", "district", "detail", "is_default"}
    assert first["is_default"] is True and first["phone"] == "13800138000"
    second = add(api, token, 2)
    assert second["is_default"] is False
    assert defaults(api, token) == [first["id"]]


def test_new_default_clears_the_old_and_lists_default_first(api, db):
    _, token = make_user(db)
    a = add(api, token, 1)
    b = add(api, token, 2)
    c = add(api, token, 3, is_default=True)
    items = listed(api, token)
    assert [i["id"] for i in items] == [c["id"], b["id"], a["id"]]
    assert defaults(api, token) == [c["id"]]


def test_put_replaces_fields_and_can_move_the_default(api, db):
    _, token = make_user(db)
    a = add(api, token, 1)
    b = add(api, token, 2)
    resp = api.put(f"/v1/me/addresses/{b['id']}", address(name="李四", detail="新地址", is_default=True),
                   token=token)
    assert resp.status == 200, resp
    assert resp.json["name"] == "李四" and resp.json["detail"] == "新地址" and resp.json["is_default"] is True
    assert defaults(api, token) == [b["id"]]
    resp = api.put(f"/v1/me/addresses/{b['id']}", address(is_default=False), token=token)
    assert resp.json["is_default"] is False
    assert defaults(api, token) == []
    assert {i["id"] for i in listed(api, token)} == {a["id"], b["id"]}


def test_deleting_the_default_promotes_the_newest_remaining(api, db):
    _, token = make_user(db)
    a = add(api, token, 1)
    b = add(api, token, 2)
    c = add(api, token, 3)
    assert defaults(api, token) == [a["id"]]
    resp = api.delete(f"/v1/me/addresses/{a['id']}", token=token)
    assert resp.status == 204, resp
    assert defaults(api, token) == [c["id"]]
    assert api.delete(f"/v1/me/addresses/{b['id']}", token=token).status == 204
    assert defaults(api, token) == [c["id"]]  # deleting a non-default changes nothing
    assert api.delete(f"/v1/me/addresses/{c['id']}", token=token).status == 204
    assert listed(api, token) == []
    assert api.delete(f"/v1/me/addresses/{c['id']}", token=token).error_code == "ADDRESS_NOT_FOUND"


def test_another_users_address_is_not_found(api, db):
    owner_id, owner = make_user(db)
    _, other = make_user(db)
    mine = add(api, owner, 1)
    path = f"/v1/me/addresses/{mine['id']}"
    for resp in [api.put(path, address(name="hijack"), token=other), api.delete(path, token=other)]:
        assert resp.status == 404 and resp.error_code == "ADDRESS_NOT_FOUND", resp
    assert listed(api, other) == []
    add(api, other, 2, is_default=True)  # the other user's default does not touch the owner's
    assert listed(api, owner) == [mine]
    with pytest.raises(NotFound) as info:
        get_address(db, "someone-else", mine["id"])
    assert info.value.code == "ADDRESS_NOT_FOUND"
    assert get_address(db, owner_id, mine["id"]) == mine


def test_at_most_twenty_addresses(api, db):
    _, token = make_user(db)
    for n in range(MAX_ADDRESSES):
        add(api, token, n)
    resp = api.post("/v1/me/addresses", address(), token=token)
    assert resp.status == 422, resp
    assert resp.error_code == "ADDRESS_LIMIT"
    assert len(listed(api, token)) == MAX_ADDRESSES


def test_bad_input_names_the_fields(api, db):
    _, token = make_user(db)
    resp = api.post("/v1/me/addresses", address(phone="12345", name="", detail="x" * 121), token=token)
    assert field_names(resp) == {"phone", "name", "detail"}
    body = address()
    del body["province"]
    assert field_names(api.post("/v1/me/addresses", {**body, "user_id": "x"}, token=token)) == {
        "province", "user_id"}
    assert api.post("/v1/me/addresses", address(phone="010-12345678", district=""), token=token).status == 201


def test_the_database_refuses_a_second_default(db):
    db.addresses.insert_one({"_id": "a1", "user_id": "u", "is_default": True})
    db.addresses.insert_one({"_id": "a2", "user_id": "u", "is_default": False})
    with pytest.raises(DuplicateKeyError):
        db.addresses.update_one({"_id": "a2"}, {"$set": {"is_default": True}})


def test_concurrent_default_changes_leave_exactly_one_default(api, db):
    _, token = make_user(db)
    ids = [add(api, token, n)["id"] for n in range(6)]
    clock.pin(None)
    results = []

    def make_default(address_id: str) -> None:
        results.append(api.put(f"/v1/me/addresses/{address_id}", address(is_default=True), token=token))

    threads = [threading.Thread(target=make_default, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.status in (200, 409) for r in results), results
    assert len(defaults(api, token)) == 1

"""The error catalogue: complete, without dead entries, consistent with how codes are raised, and what
the envelope's `message` says in each language through the real handlers.

Every error a test is served through `tests/support/client.py` is also checked against the catalogue's
status there, so the whole suite exercises the status consistency, not only this file.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest

from fenxiao.error_catalogue import CATALOGUE, placeholders
from fenxiao.error_messages import FIELD_LABELS, language, render
from fenxiao.errors import BusinessRule, InvalidInput
from tests.support.client import Api
from tests.support.factories import admin_token, make_user
from tests.support.raised_codes import raised_sites

SITES = raised_sites()
RAISED = {site.code for site in SITES}


def test_every_raised_code_is_catalogued() -> None:
    missing = sorted({f"{s.code} ({s.where})" for s in SITES if s.code not in CATALOGUE})
    assert not missing, "codes raised but not in fenxiao/error_catalogue.py: " + ", ".join(missing)


def test_no_catalogue_entry_is_dead() -> None:
    assert not sorted(set(CATALOGUE) - RAISED), "catalogued codes nothing raises"


def test_every_code_is_raised_with_its_catalogued_status() -> None:
    wrong = [f"{s.where}: {s.code} raised as {s.status}, catalogued as {CATALOGUE[s.code].status}"
             for s in SITES if s.code in CATALOGUE and CATALOGUE[s.code].status != s.status]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("code", sorted(c for c, e in CATALOGUE.items() if e.zh_detailed))
def test_a_detailed_wording_is_reachable(code: str) -> None:
    """Some site raises the code with every key the wording names (or details built elsewhere)."""
    needed = placeholders(CATALOGUE[code].zh_detailed or "")
    assert any(s.detail_keys is None or needed <= s.detail_keys for s in SITES if s.code == code), \
        f"no site raises {code} with details {sorted(needed)}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_entries_are_chinese_and_english_alike(code: str) -> None:
    entry = CATALOGUE[code]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in entry.zh if ch.isalpha() and ord(ch) > 127)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.zh), entry.zh
    assert entry.en.isascii() and entry.en, entry.en
    assert placeholders(entry.zh) == placeholders(entry.en) == set()
    assert (entry.zh_detailed is None) == (entry.en_detailed is None)
    if entry.zh_detailed and entry.en_detailed:
        assert placeholders(entry.zh_detailed) == placeholders(entry.en_detailed) != set()


@pytest.mark.parametrize(("header", "expected"), [
    (None, "zh"), ("", "zh"), ("en", "en"), ("en-US", "en"), ("EN-gb,zh;q=0.5", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en;q=0.5,zh-CN;q=0.9", "zh"), ("zh;q=0.1, en;q=0.2", "en"),
    ("fr", "zh"), ("ja,en;q=0.9", "zh"), ("*", "zh"), ("en;q=0", "zh"), ("en;q=abc", "zh"),
    ("english", "zh"), ("en;q=1.5", "zh"),
])
def test_accept_language_picks_english_only_when_english_is_preferred(header: str | None, expected: str) -> None:
    assert language(header) == expected


def test_placeholders_are_filled_from_details_and_left_out_without_them() -> None:
    detailed = {"sku_id": "s", "stock": 3, "in_cart": 0}
    assert render("QUANTITY_EXCEEDS_STOCK", detailed, "zh", "x") == "库存不足，仅剩 3 件"
    assert render("QUANTITY_EXCEEDS_STOCK", detailed, "en", "x") == "Only 3 left in stock"
    assert render("QUANTITY_EXCEEDS_STOCK", {"sku_id": "s"}, "zh", "x") == "库存不足"
    assert render("WITHDRAWAL_BELOW_MINIMUM", {"min_amount": 1005}, "zh", "x") == "低于最低提现金额 10.05 元"
    assert render("WITHDRAWAL_BELOW_MINIMUM", {"min_amount": 1000}, "en", "x") == \
        "The minimum withdrawal is 10.00 yuan"
    assert render("WITHDRAWAL_BELOW_MINIMUM", {"min_amount": "ten"}, "zh", "x") == "低于最低提现金额"


def test_a_coupon_refusal_is_worded_by_its_reason() -> None:
    assert render("COUPON_NOT_APPLICABLE", {"reason": "COUPON_EXPIRED"}, "zh", "x") == "优惠券已过期"
    assert render("COUPON_NOT_APPLICABLE", {"reason": "SOMETHING_NEW"}, "zh", "x") == "优惠券不可用"


def test_invalid_fields_are_named_in_chinese() -> None:
    fields = [{"field": "skus.0.price", "type": "int_type"}, {"field": "phone", "type": "missing"},
              {"field": "title", "type": "string_too_long", "ctx": {"max_length": 60}},
              {"field": "quantity", "type": "greater_than_equal", "ctx": {"ge": 1}}]
    assert render("INVALID_INPUT", {"fields": fields}, "zh", "x") == \
        "请检查：售价需为整数；手机号必填；标题最多 60 个字（另有 1 处）"
    assert render("INVALID_INPUT", {"fields": fields[:1]}, "en", "x") == \
        "Some fields are invalid: skus.0.price must be an integer"
    assert render("INVALID_INPUT", {"field": "amount"}, "zh", "x") == "请检查：金额填写有误"
    assert render("INVALID_INPUT", {}, "zh", "x") == CATALOGUE["INVALID_INPUT"].zh
    assert {"quantity", "price", "stock", "phone", "name", "reason", "amount"} <= set(FIELD_LABELS)


def test_the_envelope_keeps_code_and_details_and_words_the_message() -> None:
    error = BusinessRule("Only 2 left in stock", code="QUANTITY_EXCEEDS_STOCK", details={"stock": 2})
    assert error.to_json()["error"] == {"code": "QUANTITY_EXCEEDS_STOCK", "message": "库存不足，仅剩 2 件",
                                        "details": {"stock": 2}}
    assert error.to_json("en")["error"]["message"] == "Only 2 left in stock"
    assert InvalidInput("x", code="NOT_CATALOGUED").to_json()["error"]["message"] == "x"


# --- through the real handlers ----------------------------------------------------------------------

def _error(resp: Any) -> dict[str, Any]:
    return resp.json["error"]


def test_messages_are_chinese_by_default_and_english_on_request(api: Api, db: Any) -> None:
    anonymous = api.get("/v1/me")
    assert (anonymous.status, _error(anonymous)) == (401, {**_error(anonymous), "code": "AUTH_REQUIRED",
                                                           "message": "请先登录"})
    english = api.get("/v1/me", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert _error(english)["message"] == "Sign in first"
    prefers_chinese = api.get("/v1/me", headers={"Accept-Language": "en;q=0.3,zh-CN"})
    assert _error(prefers_chinese)["message"] == "请先登录"


def test_admin_login_failure_is_chinese(api: Api, db: Any) -> None:
    resp = api.post("/v1/admin/login", {"username": "owner", "password": "not the password"})
    assert (resp.status, resp.error_code, _error(resp)["message"]) == (401, "ADMIN_LOGIN_FAILED", "用户名或密码错误")
    english = api.post("/v1/admin/login", {"username": "owner", "password": "nope"}, headers={"Accept-Language": "en"})
    assert _error(english)["message"] == "Wrong username or password"


def test_invalid_body_names_the_field_in_chinese_and_keeps_details(api: Api, db: Any) -> None:
    _, token = make_user(db)
    resp = api.post("/v1/cart/items", {"sku_id": "x" * 24, "quantity": "2"}, token=token)
    assert (resp.status, resp.error_code) == (400, "INVALID_INPUT"), resp
    field = next(f for f in _error(resp)["details"]["fields"] if f["field"] == "quantity")
    assert {"field", "message", "in", "type"} <= set(field) and field["in"] == "body"
    assert "数量需为整数" in _error(resp)["message"], resp
    english = api.post("/v1/cart/items", {"sku_id": "x" * 24, "quantity": "2"}, token=token,
                       headers={"Accept-Language": "en"})
    assert "quantity must be an integer" in _error(english)["message"], english


def test_an_oversized_body_is_told_its_limit(api: Api, db: Any) -> None:
    _, token = make_user(db)
    big = api.call("POST", "/v1/cart/items", raw_body="{" + " " * (300 * 1024) + "}", token=token)
    assert (big.status, big.error_code) == (413, "PAYLOAD_TOO_LARGE")
    assert _error(big)["message"] == "提交的内容太大（最多 262144 字节）"


@pytest.mark.parametrize(("raw", "expected"), [("{not json", "请检查：请求内容不是有效的 JSON"),
                                               ("[1, 2]", "请检查：请求内容需为 JSON 对象")])
def test_a_broken_body_is_told_in_chinese(api: Api, db: Any, raw: str, expected: str) -> None:
    _, token = make_user(db)
    resp = api.call("POST", "/v1/cart/items", raw_body=raw, token=token)
    assert (resp.status, _error(resp)["message"]) == (400, expected), resp
    assert _error(resp)["details"]["fields"][0]["field"] == "body"


def test_a_dashboard_range_problem_is_told_in_chinese(api: Api, db: Any) -> None:
    resp = api.get("/v1/admin/dashboard", token=admin_token(db), query={"from": "2026-03-02", "to": "2026-03-01"})
    assert (resp.status, _error(resp)["message"]) == (400, "请检查：开始日期不能晚于结束日期"), resp


def _returned_constants(module: str, function: str) -> set[str]:
    tree = ast.parse(Path(importlib.import_module(module).__file__ or "").read_text())
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function)
    return {r.value.value for r in ast.walk(fn) if isinstance(r, ast.Return) and isinstance(r.value, ast.Constant)
            and isinstance(r.value.value, str)}


def test_every_coupon_reason_has_its_wording_and_no_other() -> None:
    from fenxiao.pricing.rules import CouponReason

    unusable = _returned_constants("fenxiao.marketing.rules", "usability_refusal") - {"COUPON_IN_USE"}
    not_applicable = {str(r) for r in CouponReason} | unusable | {"COUPON_NOT_FOUND"}
    assert set(CATALOGUE["COUPON_NOT_APPLICABLE"].reasons) == not_applicable
    assert set(CATALOGUE["COUPON_NOT_CLAIMABLE"].reasons) == \
        _returned_constants("fenxiao.marketing.rules", "claim_refusal")

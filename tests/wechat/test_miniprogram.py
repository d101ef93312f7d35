"""Mini-program APIs: the real wechatpy client against the HTTP emulator."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from fenxiao import wechat
from fenxiao.config import get_config
from fenxiao.errors import BusinessRule, InvalidInput, UpstreamError
from fenxiao.wechat import miniprogram

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _token_key() -> str:
    return f"{miniprogram.TOKEN_KEY_PREFIX}{get_config().wechat_appid}_access_token"


def test_login_code_maps_to_a_stable_dev_openid(emulator):
    first = wechat.code_to_session("alice")
    again = wechat.code_to_session("alice")
    assert first["openid"] == "dev_alice"
    assert first["session_key"] and first["session_key"] == again["session_key"]
    assert first["unionid"] is None
    assert wechat.code_to_session("bob")["openid"] == "dev_bob"


def test_login_needs_no_access_token(emulator):
    wechat.code_to_session("carol")
    assert emulator.token_grants == 0


@pytest.mark.parametrize("code", ["invalid", "invalid-123", "", "   "])
def test_bad_login_code_is_a_business_rule(emulator, code):
    with pytest.raises(BusinessRule) as caught:
        wechat.code_to_session(code)
    assert caught.value.code == "WECHAT_CODE_INVALID"


def test_wechat_outage_is_an_upstream_error(emulator):
    with pytest.raises(UpstreamError) as caught:
        wechat.code_to_session("system_busy")
    assert caught.value.status == 502
    assert caught.value.details["errcode"] == -1


def test_phone_code_of_eleven_digits_is_that_phone(emulator):
    assert wechat.phone_number("13800138000") == "13800138000"


@pytest.mark.parametrize("code", ["1380013800", "138001380001", "abc", "invalid"])
def test_bad_phone_code_is_refused(emulator, code):
    with pytest.raises(BusinessRule) as caught:
        wechat.phone_number(code)
    assert caught.value.code == "WECHAT_CODE_INVALID"
    assert caught.value.details["errcode"] == 40029


def test_wxacode_is_a_png(emulator):
    image = wechat.wxacode_unlimited("AB23CD45", "pages/product/detail")
    assert image.startswith(PNG_MAGIC)
    assert len(image) > 200


def test_wxacode_accepts_a_leading_slash_in_the_page(emulator):
    assert wechat.wxacode_unlimited("x", "/pages/index/index").startswith(PNG_MAGIC)


def test_wxacode_scene_longer_than_32_is_refused(emulator):
    assert wechat.wxacode_unlimited("s" * 32, "pages/index/index").startswith(PNG_MAGIC)
    with pytest.raises(InvalidInput) as caught:
        wechat.wxacode_unlimited("s" * 33, "pages/index/index")
    assert caught.value.code == "WXACODE_SCENE_INVALID"


def test_subscribe_message_is_recorded(emulator, stack):
    data = {"thing1": "运动鞋", "number2": "3", "thing3": "商家将尽快发货"}
    wechat.send_subscribe_message("dev_alice", "demo-group-succeeded", data, "pages/orders/detail?id=1", "formal")
    assert len(emulator.messages) == 1
    message = emulator.messages[0]
    assert message["touser"] == "dev_alice"
    assert message["template_id"] == "demo-group-succeeded"
    assert message["data"] == {"thing1": {"value": "运动鞋"}, "number2": {"value": "3"},
                               "thing3": {"value": "商家将尽快发货"}}
    listed = requests.get(f"{stack['base_url']}/__wechat/messages", params={"touser": "dev_alice"}, timeout=5)
    assert [m["template_id"] for m in listed.json()["items"]] == ["demo-group-succeeded"]


def _phone(container, code: str) -> None:
    container.post("wxa/business/getuserphonenumber", api_base_url=container.wxa.API_BASE_URL, data={"code": code})


def test_access_token_is_shared_by_containers_through_mongo(emulator, db):
    config = get_config()
    container_a, container_b = miniprogram.new_client(config), miniprogram.new_client(config)
    _phone(container_a, "13800138000")
    assert emulator.token_grants == 1
    stored = db.kv.find_one({"_id": _token_key()})
    assert stored["value"] in emulator.tokens
    assert stored["expires_at"] > datetime.now(UTC) + timedelta(minutes=100)

    _phone(container_b, "13800138001")
    assert emulator.token_grants == 1, "the second container must reuse the stored token"


def test_expired_stored_token_is_refreshed(emulator, db):
    wechat.phone_number("13800138000")
    past = datetime.now(UTC) - timedelta(seconds=1)
    db.kv.update_one({"_id": _token_key()}, {"$set": {"expires_at": past}})
    fresh_container = miniprogram.new_client(get_config())
    fresh_container.post("wxa/business/getuserphonenumber", api_base_url=fresh_container.wxa.API_BASE_URL,
                         data={"code": "13800138001"})
    assert emulator.token_grants == 2


def test_token_revoked_by_wechat_is_fetched_again(emulator):
    wechat.phone_number("13800138000")
    emulator.tokens.clear()  # WeChat invalidated it (e.g. another system fetched a new one)
    assert wechat.phone_number("13900139000") == "13900139000"
    assert emulator.token_grants == 2


def test_emulator_refuses_calls_without_a_valid_token(stack):
    url = f"{stack['base_url']}/__wechat/wxa/business/getuserphonenumber"
    assert requests.post(url, json={"code": "13800138000"}, timeout=5).json()["errcode"] == 41001
    answer = requests.post(url, params={"access_token": "forged"}, json={"code": "13800138000"}, timeout=5)
    assert answer.json()["errcode"] == 40001

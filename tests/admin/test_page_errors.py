"""The admin page shows the server's catalogued message for an error, and its own Chinese line only when
there is no answer to show: the page's api.js module is run by node (tests/admin/page_harness.js) with its
fetch answering what the real handler answered. test_browser.py shows the same on the real login form."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fenxiao.admin import page
from tests.support.client import Api

HARNESS = Path(__file__).with_name("page_harness.js")
API_JS = Path(page.__file__).with_name("api.js")

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the page's script")


def _sign_in(answer: str) -> dict[str, Any]:
    run = subprocess.run(["node", str(HARNESS), str(API_JS), answer], capture_output=True, text=True, timeout=60,
                         check=True)
    return json.loads(run.stdout)


def test_a_refused_sign_in_shows_the_servers_chinese_message(api: Api) -> None:
    resp = api.post("/v1/admin/login", {"username": "owner", "password": "wrong password"})
    assert resp.error_code == "ADMIN_LOGIN_FAILED"
    shown = _sign_in(json.dumps({"status": resp.status, "body": resp.json}))
    assert shown["shown"] == "用户名或密码错误"
    assert shown["headers"]["Accept-Language"] == "zh-CN"  # whatever the browser's own language


def test_invalid_fields_are_shown_as_the_server_words_them(api: Api) -> None:
    resp = api.post("/v1/admin/login", {"username": "owner"})
    assert resp.error_code == "INVALID_INPUT"
    shown = _sign_in(json.dumps({"status": resp.status, "body": resp.json}))
    assert shown["shown"] == resp.json["error"]["message"] == "请检查：密码必填"


@pytest.mark.parametrize(("answer", "expected"), [
    ("offline", "网络连接失败，请检查网络后重试"),
    (json.dumps({"status": 502, "body": None}), "服务暂时不可用，请稍后再试（HTTP 502）"),
])
def test_no_answer_gets_the_pages_own_chinese_line(answer: str, expected: str) -> None:
    assert _sign_in(answer)["shown"] == expected

"""Pieces of the local stack shared by `make dev` and the test suite.

The embedded database, the dev secrets (merchant and platform RSA keys, API v3 key, JWT secret) and the
environment that points the real wechatpy / wechatpayv3 clients at the emulator.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import BaseWSGIServer, make_server

ROOT = Path(__file__).resolve().parents[2]


def start_database(storage: str) -> Any:
    """Start SecantusDB (`:memory:` or a folder) on a free loopback port; returns the server."""
    from secantus import SecantusDBServer

    from infra.local import secantus_fixes

    secantus_fixes.apply()  # findAndModify's write would scan the whole collection (see the module)

    server = SecantusDBServer(host="127.0.0.1", port=0, storage_path=storage)
    server.start()
    return server


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def generate_secrets() -> dict[str, str]:
    merchant_private, merchant_public = _pem_pair()
    platform_private, platform_public = _pem_pair()
    return {
        "jwt_secret": secrets.token_urlsafe(48),
        "field_key_b64": base64.b64encode(secrets.token_bytes(32)).decode(),
        "wechat_appid": "wxdev0000000000001",
        "wechat_secret": secrets.token_hex(16),
        "wechat_push_token": secrets.token_hex(16),
        "wechatpay_mchid": "1900000001",
        "wechatpay_private_key": merchant_private,
        "wechatpay_merchant_public_key": merchant_public,
        "wechatpay_cert_serial": secrets.token_hex(20).upper(),
        "wechatpay_apiv3_key": secrets.token_hex(16),
        "wechatpay_platform_private_key": platform_private,
        "wechatpay_public_key": platform_public,
        "wechatpay_public_key_id": "PUB_KEY_ID_" + secrets.token_hex(8).upper(),
        "s3_bucket": "fenxiao-dev",
    }


def load_or_create_secrets(path: Path) -> dict[str, str]:
    """Dev secrets persist beside the on-disk database so tokens survive a restart of `make dev`."""
    if path.exists():
        return json.loads(path.read_text())
    values = generate_secrets()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values


# Only what the functions read; the emulator-only keys stay out of the function environment.
_FUNCTION_KEYS = ("jwt_secret", "field_key_b64", "wechat_appid", "wechat_secret", "wechatpay_mchid",
                  "wechatpay_private_key", "wechatpay_cert_serial", "wechatpay_apiv3_key",
                  "wechatpay_public_key", "wechatpay_public_key_id", "s3_bucket")
# WeChat Pay's side of the key pairs, for the emulator only (fenxiao.config never reads these names).
_EMULATOR_KEYS = {"wechatpay_platform_private_key": "FENXIAO_DEV_WECHATPAY_PLATFORM_PRIVATE_KEY",
                  "wechatpay_merchant_public_key": "FENXIAO_DEV_WECHATPAY_MERCHANT_PUBLIC_KEY"}


def apply_env(*, mongodb_uri: str, mongodb_db: str, base_url: str, dev_secrets: dict[str, str],
              env: str = "dev", s3_endpoint: str | None = None) -> None:
    """Point every adapter at the local stack, then drop cached settings and clients."""
    os.environ.update({
        "MONGODB_URI": mongodb_uri,
        "MONGODB_DB": mongodb_db,
        "FENXIAO_ENV": env,
        "FENXIAO_PUBLIC_BASE_URL": base_url,
        "FENXIAO_WECHAT_API_BASE": base_url + "/__wechat/",
        "FENXIAO_WECHATPAY_API_BASE": base_url + "/__wechat",
        "FENXIAO_WECHATPAY_NOTIFY_BASE": base_url,
        "FENXIAO_SMS_SENDER": "outbox",
    })
    for key in _FUNCTION_KEYS:
        os.environ["FENXIAO_" + key.upper()] = dev_secrets[key]
    # added after the first dev secrets were written: an older .data/dev-secrets.json lacks it
    os.environ["FENXIAO_WECHAT_PUSH_TOKEN"] = dev_secrets.get("wechat_push_token") or dev_secrets["wechat_secret"]
    for key, name in _EMULATOR_KEYS.items():
        os.environ[name] = dev_secrets[key]
    if s3_endpoint:
        os.environ.update({"AWS_ENDPOINT_URL_S3": s3_endpoint, "AWS_ACCESS_KEY_ID": "testing",
                           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "ap-guangzhou",
                           "FENXIAO_S3_PUBLIC_BASE": f"{s3_endpoint}/{dev_secrets['s3_bucket']}"})
    from fenxiao import config, db

    config.reset()
    db.reset()


def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0) -> BaseWSGIServer:
    """A threaded WSGI server on loopback; port 0 picks a free one (server.server_port)."""
    server = make_server(host, port, app, threaded=True)
    threading.Thread(target=server.serve_forever, name="fenxiao-http", daemon=True).start()
    return server

"""Each function's configuration is derived from the code it can reach (infra/config_needs.py)."""
from __future__ import annotations

from infra.config_needs import needs


def test_a_catalog_read_needs_only_the_database_and_tokens():
    need = needs("functions.catalog.list_categories")
    assert need.fields == {"env", "mongodb_uri", "mongodb_db", "mongodb_socket_timeout_ms", "jwt_secret"}
    assert not need.storage and not need.secrets


def test_importing_the_wechat_package_is_not_using_wechat_pay():
    """users.profile imports fenxiao.wechat (which loads the Pay module) but only asks for a phone number."""
    need = needs("functions.users.bind_phone")
    assert {"wechat_appid", "wechat_secret", "field_key_b64"} <= need.fields
    assert "wechatpay_private_key" not in need.fields


def test_paying_needs_the_merchant_key_and_sharing_needs_storage():
    assert {"wechatpay_private_key", "wechatpay_mchid", "wechatpay_notify_base"} <= needs("functions.orders.pay").fields
    assert needs("functions.distribution.share").storage
    assert needs("functions.admin.handler").storage  # uploads, through the admin route groups it composes


def test_sms_login_reads_the_tencent_settings_and_migrate_the_owner_password():
    sms = needs("functions.auth.sms_code").fields
    assert {"sms_sender", "tencent_sms_secret_key", "tencent_sms_template_id"} <= sms
    assert needs("functions.ops.migrate").secrets == {"owner-password"}

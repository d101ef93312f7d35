"""Shopper sign-in: WeChat mini-program login and SMS code login, both ending in a user token.

A share code (`ref`) seen at sign-in is recorded on a new user as `signup_ref` and handed to the distribution
binding rules (`fenxiao.distribution.binding.bind`), which bind the shopper when allowed and otherwise only
say why not: login never fails because of a bad ref.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.tokens import issue_token
from fenxiao.users.accounts import new_user_fields, upsert_user
from fenxiao.users.codes import consume_code
from fenxiao.users.models import PhoneLogin, WechatLogin, render_user
from fenxiao.users.phones import phone_fields

WECHAT_DEFAULT_NICKNAME = "微信用户"  # WeChat no longer shares nicknames; the shopper sets their own


def _apply_ref(db: Database, doc: dict[str, Any], ref: str | None, ip: str, is_new: bool) -> dict[str, Any]:
    """distribution: bind to the share code's distributor when the rules allow; the document as it now is.

    A new account is counted against its address first (the farming guard: an address past its sign-up
    limit gets no binding, and the referrer is flagged); the sign-up itself always succeeds.
    """
    if not ref and not is_new:
        return doc
    # Local for cold start: a returning shopper's sign-in never loads the distribution package. (Also the
    # users -> distribution edge of an import cycle listed in pyproject's ignore_imports.)
    from fenxiao.distribution import farming

    crowded = is_new and farming.signup_over_limit(db, ip, clock.now())
    if not ref:
        return doc
    from fenxiao.distribution.binding import bind  # local: see farming above

    result = bind(db, doc["_id"], ref, ip=ip, crowded_signup=crowded)
    return {**doc, "referrer_id": result["referrer_id"]} if result["bound"] else doc


def _everyone_mode(db: Database, doc: dict[str, Any]) -> dict[str, Any]:
    """distribution: in the `everyone` mode the shopper is a distributor from this sign-in on (the
    mini-program signs in at every launch). A distributor's mirror skips it without loading the package."""
    if (doc.get("distributor") or {}).get("status") in ("approved", "disabled"):
        return doc
    from fenxiao.distribution.settings import get_distribution_settings  # local: see _apply_ref

    if get_distribution_settings(db).mode != "everyone":  # cached per container: no round trip
        return doc
    from fenxiao.distribution.distributors import ensure_everyone_distributor

    return ensure_everyone_distributor(db, doc)


def _signed_in(db: Database, doc: dict[str, Any], is_new: bool) -> dict[str, Any]:
    doc = _everyone_mode(db, doc)
    return {"token": issue_token("user", doc["_id"]), "user": render_user(doc), "is_new": is_new}


def wechat_login(db: Database, data: WechatLogin, ip: str) -> dict[str, Any]:
    from fenxiao import wechat  # lazily: only the login function loads the WeChat client

    session = wechat.code_to_session(data.code)
    # The session_key is deliberately not stored: nothing here decrypts WeChat data with it.
    on_login = {"unionid": session["unionid"]} if session.get("unionid") else {}
    doc, is_new = upsert_user(db, {"openid": session["openid"]},
                              new_user_fields(nickname=WECHAT_DEFAULT_NICKNAME, signup_ref=data.ref),
                              on_login)
    return _signed_in(db, _apply_ref(db, doc, data.ref, ip, is_new), is_new)


def phone_login(db: Database, data: PhoneLogin, ip: str) -> dict[str, Any]:
    consume_code(db, data.phone, data.sms_code)
    fields = phone_fields(data.phone)
    on_insert = {**new_user_fields(nickname="用户" + data.phone[-4:], signup_ref=data.ref),
                 "phone_enc": fields["phone_enc"], "phone_masked": fields["phone_masked"]}
    doc, is_new = upsert_user(db, {"phone_hash": fields["phone_hash"]}, on_insert)
    return _signed_in(db, _apply_ref(db, doc, data.ref, ip, is_new), is_new)

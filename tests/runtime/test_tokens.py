"""Our HS256 tokens are standard JWTs: PyJWT reads ours, we read PyJWT's, and nothing else passes."""
from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from fenxiao import hs256
from fenxiao.config import get_config
from fenxiao.errors import Unauthorized
from fenxiao.tokens import issue_token, verify_token


def test_pyjwt_verifies_our_token(stack):
    token = issue_token("admin", "a1", role="owner")
    claims = jwt.decode(token, get_config().jwt_secret, algorithms=["HS256"])
    assert (claims["sub"], claims["kind"], claims["role"]) == ("a1", "admin", "owner")
    assert claims["exp"] > claims["iat"]


def test_we_verify_a_pyjwt_token(stack):
    token = jwt.encode({"sub": "u9", "kind": "user", "exp": int(time.time()) + 60}, get_config().jwt_secret,
                       algorithm="HS256")
    assert verify_token(token, "user").subject == "u9"


def _forge(header: dict, claims: dict, signature: str = "") -> str:
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part(header)}.{part(claims)}.{signature}"


@pytest.mark.parametrize("token", [
    "", "abc", "a.b", "a.b.c.d",
    _forge({"alg": "none"}, {"sub": "u", "kind": "user", "exp": 4102444800}),
    jwt.encode({"sub": "u", "kind": "user", "exp": 4102444800}, "another-secret-of-sufficient-length",
               algorithm="HS256"),
])
def test_malformed_unsigned_or_foreign_tokens_are_refused(stack, token):
    with pytest.raises(Unauthorized) as err:
        verify_token(token, "user")
    assert err.value.code == "TOKEN_INVALID"


def test_a_valid_signature_over_claims_without_exp_is_refused(stack):
    token = hs256.encode({"sub": "u", "kind": "user"}, get_config().jwt_secret)
    with pytest.raises(Unauthorized):
        verify_token(token, "user")

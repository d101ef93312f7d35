"""Unit tests of scrypt password hashing."""
from __future__ import annotations

import pytest

from fenxiao.admin.passwords import dummy_hash, hash_password, verify_password


def test_hash_is_self_describing_salted_and_not_the_password() -> None:
    first, second = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert first.startswith("scrypt$n=16384,r=8,p=1$")
    assert "s3cret-pass" not in first
    assert first != second   # a fresh salt each time


def test_verify() -> None:
    stored = hash_password("s3cret-pass")
    assert verify_password("s3cret-pass", stored)
    assert not verify_password("s3cret-Pass", stored)
    assert not verify_password("", stored)


@pytest.mark.parametrize("stored", ["", "x", "plain-password", "bcrypt$n=1,r=1,p=1$AA$AA",
                                    "scrypt$n=16384$AA$AA", "scrypt$n=x,r=8,p=1$AA$AA",
                                    "scrypt$n=16384,r=8,p=1$AA$", "scrypt$n=4194304,r=8,p=1$AA$AA"])
def test_malformed_or_foreign_hashes_never_verify(stored: str) -> None:
    assert not verify_password("x", stored)


def test_dummy_hash_is_a_real_hash_of_an_unknown_password() -> None:
    assert dummy_hash() == dummy_hash() and dummy_hash().startswith("scrypt$")
    assert not verify_password("", dummy_hash())

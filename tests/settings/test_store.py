"""The settings store: defaults, partial updates, cross-field validation and the per-container cache."""
from __future__ import annotations

import pytest

from fenxiao.errors import InvalidInput
from fenxiao.model import ConfigDict, Field, Model, model_validator
from fenxiao.settings import SettingsStore, Shipping
from fenxiao.settings.store import changed_paths


class Window(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    low: int = Field(1, ge=0)
    high: int = Field(5, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class Demo(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    window: Window = Field(default_factory=Window)
    name: str = "demo"


def test_changed_paths_names_only_fields_set():
    patch = Demo.model_validate({"window": {"high": 9}})
    assert changed_paths(patch) == {"window.high": 9}
    assert changed_paths(Demo.model_validate({})) == {}
    assert changed_paths(Demo.model_validate({"name": "x", "window": {}})) == {"name": "x"}


def test_cross_field_rules_hold_after_a_partial_update(db):
    store = SettingsStore("test:demo", Demo)
    store.update(db, {"window": {"low": 3}})
    with pytest.raises(InvalidInput) as refused:
        store.update(db, {"window": {"high": 2}})  # valid alone, invalid merged with low=3
    assert refused.value.details["fields"]
    assert store.get(db).window == Window(low=3, high=5)


def test_cache_serves_reads_until_it_expires(db):
    cached = SettingsStore("test:cached", Demo, ttl_seconds=60)
    fresh = SettingsStore("test:cached", Demo, ttl_seconds=0)
    assert cached.get(db).name == "demo"
    db.kv.update_one({"_id": "test:cached"}, {"$set": {"name": "changed elsewhere"}}, upsert=True)
    assert cached.get(db).name == "demo"          # another container's write, not yet seen here
    assert fresh.get(db).name == "changed elsewhere"
    cached.clear()
    assert cached.get(db).name == "changed elsewhere"


def test_unknown_stored_fields_are_ignored(db):
    db.kv.insert_one({"_id": "test:old", "name": "kept", "retired_option": True})
    assert SettingsStore("test:old", Demo).get(db) == Demo(name="kept")


@pytest.mark.parametrize(("flat_fee", "free_over", "goods_total", "fee"), [
    (800, None, 1_000_000, 800),
    (800, 9900, 9899, 800),
    (800, 9900, 9900, 0),
    (0, None, 100, 0),
])
def test_shipping_fee(flat_fee, free_over, goods_total, fee):
    assert Shipping(flat_fee=flat_fee, free_over=free_over).fee_for(goods_total) == fee

"""One settings document in the `kv` collection, read through a short per-container cache.

Settings are read on hot paths (every checkout needs the shipping rule, every schedule run its windows),
so a warm container keeps what it read for at most `ttl_seconds`: long enough to save a round trip per
request, short enough that an admin's change reaches every container within half a minute. The write
path refreshes the writer's own cache at once.

A store is generic over its pydantic model, so every settings area (shop, distribution, …) shares the
storage, defaults, partial-update and caching rules and differs only in its model and key:

    DISTRIBUTION = SettingsStore("settings:distribution", DistributionSettings)
"""
from __future__ import annotations

import threading
import time
from typing import Any, Generic, TypeVar

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import InvalidInput, validation_fields
from fenxiao.model import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

COLLECTION = "kv"
_stores: list[SettingsStore[Any]] = []


class SettingsStore(Generic[M]):
    """Defaults come from the model, so a shop that never saved settings still gets valid ones."""

    def __init__(self, key: str, model: type[M], *, ttl_seconds: float = 30.0) -> None:
        self.key = key
        self.model = model
        self.ttl_seconds = ttl_seconds
        # database name -> (monotonic expiry, value); monotonic because tests and schedules pin `clock`.
        self._cache: dict[str, tuple[float, M]] = {}
        self._lock = threading.Lock()
        _stores.append(self)

    def get(self, db: Database) -> M:
        cached = self._cache.get(db.name)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        return self._remember(db, self._parse(db[COLLECTION].find_one({"_id": self.key})))

    def update(self, db: Database, patch: M | dict[str, Any], *, by: str | None = None) -> M:
        """Apply only the fields the caller set (nested ones too), so two admins editing different
        fields at once never undo each other: each field is its own `$set` path on one document."""
        patch_model = self._validate(patch) if isinstance(patch, dict) else patch
        changes = changed_paths(patch_model)
        current = self._parse(db[COLLECTION].find_one({"_id": self.key}))
        # Validate the merged result too, so rules spanning several fields hold after a partial update.
        self._validate(_deep_merge(current.model_dump(), patch_model.model_dump(exclude_unset=True)))
        if not changes:
            return self._remember(db, current)
        doc = db[COLLECTION].find_one_and_update(
            {"_id": self.key}, {"$set": {**changes, "updated_at": clock.now(), "updated_by": by}},
            upsert=True, return_document=ReturnDocument.AFTER)
        return self._remember(db, self._parse(doc))

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def _parse(self, doc: dict[str, Any] | None) -> M:
        # Unknown keys (a field since removed from the model) are ignored rather than failing every read.
        stored = {k: v for k, v in (doc or {}).items() if k in self.model.model_fields}
        return self.model.model_validate(stored)

    def _validate(self, data: dict[str, Any]) -> M:
        try:
            return self.model.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput("Some settings are invalid",
                               details={"fields": validation_fields(exc.errors(), model=self.model)}) from exc

    def _remember(self, db: Database, value: M) -> M:
        with self._lock:
            self._cache[db.name] = (time.monotonic() + self.ttl_seconds, value)
        return value


def changed_paths(model: BaseModel, prefix: str = "") -> dict[str, Any]:
    """Dotted Mongo paths for every field set on `model`, descending into nested models."""
    paths: dict[str, Any] = {}
    for name in model.model_fields_set:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            paths.update(changed_paths(value, f"{prefix}{name}."))
        else:
            paths[f"{prefix}{name}"] = model.model_dump(include={name})[name]
    return paths


def _deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def register_cache(cache: Any) -> None:
    """Another per-container cache (anything with `clear()`, e.g. marketing's active promotions) that
    `clear_caches` must forget too, so tests and a reseed never see values from before."""
    _stores.append(cache)


def clear_caches() -> None:
    """Forget every store's cached values (tests between cases; the dev server after a reseed)."""
    for store in _stores:
        store.clear()

"""The embedded engine's findAndModify no longer scans the collection (infra/local/secantus_fixes.py):
its write filter `{_id, $and: [query]}` selects candidates by `_id`, and still matches only what the
whole query matches."""
from __future__ import annotations

from typing import Any

import pytest
from pymongo import ReturnDocument
from secantus.storage import Storage

from infra.local import secantus_fixes


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full scan of a collection's documents the engine starts (it runs in this process)."""
    seen: list[str] = []
    real = Storage._scan_docs

    def counted(self: Any, db: str, coll: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(coll)
        return real(self, db, coll, *args, **kwargs)

    monkeypatch.setattr(Storage, "_scan_docs", counted)
    return seen


def _move(db: Any, doc_id: str, source: str, target: str) -> dict[str, Any] | None:
    return db.orders.find_one_and_update({"_id": doc_id, "status": {"$in": [source]}}, {"$set": {"status": target}},
                                         return_document=ReturnDocument.AFTER)


def test_a_conditional_find_one_and_update_reads_one_document(db, scans) -> None:
    db.orders.insert_many([{"_id": f"o{i}", "order_no": f"n{i}", "status": "paid"} for i in range(200)])
    assert _move(db, "o7", "paid", "shipped") == {"_id": "o7", "order_no": "n7", "status": "shipped"}
    assert _move(db, "o7", "paid", "shipped") is None  # the query still decides: it is shipped now
    assert _move(db, "o404", "paid", "shipped") is None
    assert scans == []
    assert db.orders.count_documents({"status": "shipped"}) == 1


def test_without_the_fix_the_engine_scans(db, scans, monkeypatch) -> None:
    """The control: the engine's own candidate selection scans the whole collection for that filter."""
    patched = Storage._try_index_id_keys
    assert getattr(patched, "__wrapped__", None) is not None
    monkeypatch.setattr(Storage, "_try_index_id_keys", patched.__wrapped__)
    db.orders.insert_many([{"_id": f"o{i}", "order_no": f"n{i}", "status": "paid"} for i in range(20)])
    assert _move(db, "o7", "paid", "shipped") is not None
    assert "orders" in scans


def test_applying_twice_wraps_once() -> None:
    first = Storage._try_index_id_keys
    secantus_fixes.apply()
    assert Storage._try_index_id_keys is first

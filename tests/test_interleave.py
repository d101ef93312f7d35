"""The interleaving helpers themselves (`tests/support/interleave.py`): every race and crash test trusts
that the other party acts exactly where it says, and that a death leaves exactly the state of that moment."""
from __future__ import annotations

import types

import pytest

from tests.support.interleave import (
    ProcessDied,
    die_after,
    die_before,
    fail_after,
    fail_before,
    run_after,
    run_before,
)


def _store() -> types.SimpleNamespace:
    """A stand-in module: `write` appends to `log`, the way a step writes to the database."""
    log: list[str] = []

    def write(value: str) -> str:
        log.append(value)
        return value.upper()

    return types.SimpleNamespace(log=log, write=write)


def _job(store: types.SimpleNamespace) -> list[str]:
    """Three steps through the module attribute, as production code reaches a patched name."""
    results = [store.write(v) for v in ("a", "b", "c")]
    store.log.append("done")
    return results


def test_run_before_acts_before_the_call_sees_its_arguments_and_keeps_the_result():
    store = _store()
    with run_before(store, "write", lambda v: store.log.append(f"rival<{v}>"), call=2) as calls:
        assert _job(store) == ["A", "B", "C"]
    assert store.log == ["a", "rival<b>", "b", "c", "done"]
    assert calls == [3]


def test_run_after_acts_after_the_call_returned():
    store = _store()
    with run_after(store, "write", lambda v: store.log.append(f"rival<{v}>")) as calls:
        _job(store)
    assert store.log == ["a", "rival<a>", "b", "rival<b>", "c", "rival<c>", "done"]
    assert calls == [3]


def test_die_before_stops_everything_at_that_call_and_its_write_never_happens():
    store = _store()
    with die_before(store, "write", call=2), pytest.raises(ProcessDied):
        _job(store)
    assert store.log == ["a"]


def test_die_after_leaves_the_state_right_after_the_step():
    store = _store()
    with die_after(store, "write", call=2), pytest.raises(ProcessDied):
        _job(store)
    assert store.log == ["a", "b"]


def test_a_death_escapes_except_exception():
    """Nothing a killed process would not run: `except Exception` clean-up is skipped."""
    store = _store()

    def guarded() -> None:
        try:
            _job(store)
        except Exception:
            store.log.append("cleaned up")

    with die_after(store, "write"), pytest.raises(ProcessDied):
        guarded()
    assert store.log == ["a"]


def test_fail_before_and_after_raise_the_given_error_that_the_caller_may_handle():
    store = _store()
    with fail_before(store, "write", ConnectionError("down"), call=None), pytest.raises(ConnectionError):
        _job(store)
    assert store.log == []
    with fail_after(store, "write", ConnectionError("answer lost"), call=3), pytest.raises(ConnectionError):
        _job(store)
    assert store.log == ["a", "b", "c"]  # the third write landed; "done" never ran


def test_the_real_function_is_back_after_the_block():
    store = _store()
    real = store.write
    with die_before(store, "write"):
        assert store.write is not real
    assert store.write is real
    assert _job(store) == ["A", "B", "C"]

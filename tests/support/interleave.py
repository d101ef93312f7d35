"""Deterministic interleavings for race and crash tests, after Saleor's `race_condition` helpers.

Production code carries no crash-injection parameters: a test names the function at whose call the
other party acts (`run_before` / `run_after`), the call fails (`fail_before` / `fail_after`) or the
process dies (`die_before` / `die_after`), and the helper wraps it for the duration of a `with` block.
Patch the name where the caller looks it up (the module attribute the calling code reads), as with any
monkeypatch. Each yields the list `[calls so far]`, so a test can also assert how often the step ran.

A failure raises the test's exception from the call: the process lives on, and its own error handling
runs (an outage before the call, a lost answer after a write that landed: `fail_after`). A death is
`ProcessDied`, a BaseException: it escapes every `except Exception`, so no cleanup, rollback or error
answer happens — through a handler it escapes the request too (`pytest.raises(ProcessDied)`), and the
state left behind is what a killed process leaves.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class ProcessDied(BaseException):
    """The process stopped here (killed, timed out): nothing after it ran."""


def _wrapped(target: object, name: str, around: Callable[[Callable[..., Any], int, tuple, dict], Any]
             ) -> Iterator[list[int]]:
    real = getattr(target, name)
    calls = [0]

    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return around(real, calls[0], args, kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(target, name, wrapper)
        yield calls


@contextmanager
def run_before(target: object, name: str, action: Callable[..., Any], *, call: int | None = None
               ) -> Iterator[list[int]]:
    """`action(*args, **kwargs)` runs just before `target.name` (every call, or only its `call`-th)."""
    def around(real: Callable[..., Any], n: int, args: tuple, kwargs: dict) -> Any:
        if call is None or n == call:
            action(*args, **kwargs)
        return real(*args, **kwargs)

    yield from _wrapped(target, name, around)


@contextmanager
def run_after(target: object, name: str, action: Callable[..., Any], *, call: int | None = None
              ) -> Iterator[list[int]]:
    """`action(*args, **kwargs)` runs just after `target.name` returns (every call, or only its `call`-th)."""
    def around(real: Callable[..., Any], n: int, args: tuple, kwargs: dict) -> Any:
        result = real(*args, **kwargs)
        if call is None or n == call:
            action(*args, **kwargs)
        return result

    yield from _wrapped(target, name, around)


@contextmanager
def fail_before(target: object, name: str, error: BaseException, *, call: int | None = 1
                ) -> Iterator[list[int]]:
    """`target.name` raises `error` instead of running, at its `call`-th call (None: every call, an outage)."""
    def around(real: Callable[..., Any], n: int, args: tuple, kwargs: dict) -> Any:
        if call is None or n == call:
            raise error
        return real(*args, **kwargs)

    yield from _wrapped(target, name, around)


@contextmanager
def fail_after(target: object, name: str, error: BaseException, *, call: int | None = 1
               ) -> Iterator[list[int]]:
    """`target.name` runs (its write lands), then raises `error` at its `call`-th call (None: every call)."""
    def around(real: Callable[..., Any], n: int, args: tuple, kwargs: dict) -> Any:
        result = real(*args, **kwargs)
        if call is None or n == call:
            raise error
        return result

    yield from _wrapped(target, name, around)


@contextmanager
def die_before(target: object, name: str, *, call: int = 1) -> Iterator[list[int]]:
    """The process dies as `target.name` is called for the `call`-th time: that call never runs."""
    with fail_before(target, name, ProcessDied(f"died before call {call} of {name}"), call=call) as calls:
        yield calls


@contextmanager
def die_after(target: object, name: str, *, call: int = 1) -> Iterator[list[int]]:
    """The process dies right after the `call`-th call of `target.name` returned (its write is done)."""
    with fail_after(target, name, ProcessDied(f"died after call {call} of {name}"), call=call) as calls:
        yield calls

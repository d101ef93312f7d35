"""Deterministic interleavings for race and crash tests, after Saleor's `race_condition` helpers.

Production code carries no crash-injection parameters: a test names the function at whose call the
other party acts (`run_before` / `run_after`) or the process dies (`die_before` / `die_after`), and the
helper wraps it for the duration of a `with` block. Patch the name where the caller looks it up (the
module attribute the calling code reads), as with any monkeypatch.

A death is `ProcessDied`, a BaseException: it escapes every `except Exception`, so no cleanup, rollback
or `finally`-less error handling runs — the state left behind is what a killed process leaves.
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
def die_before(target: object, name: str, *, call: int = 1) -> Iterator[list[int]]:
    """The process dies as `target.name` is called for the `call`-th time: that call never runs."""
    def around(real: Callable[..., Any], n: int, args: tuple, kwargs: dict) -> Any:
        if n == call:
            raise ProcessDied(f"died before call {n} of {name}")
        return real(*args, **kwargs)

    yield from _wrapped(target, name, around)


@contextmanager
def die_after(target: object, name: str, *, call: int = 1) -> Iterator[list[int]]:
    """The process dies right after the `call`-th call of `target.name` returned (its write is done)."""
    def around(real: Callable[..., Any], n: int, args: tuple, kwargs: dict) -> Any:
        result = real(*args, **kwargs)
        if n == call:
            raise ProcessDied(f"died after call {n} of {name}")
        return result

    yield from _wrapped(target, name, around)

"""The cyclic garbage collector is paused while a cloud function's modules import, and resumed (with
everything imported so far frozen) when the function handles its first event.

Importing a function allocates a few hundred thousand long-lived objects (modules, classes, functions)
and no garbage worth collecting, yet the collector walks them: one full collection during the import costs
about 25 ms of CPU, some 15 % of the flask + serverless_wsgi + pymongo floor (`bench/cold_start.py`).
`functions/__init__.py`, the first module of every function's import, calls `pause()`; every entry point
(`HttpFunction.handler`, scheduled handlers, `build_app` for the dev server) calls `resume()` before
its work. `gc.freeze()` moves the import-time objects to the permanent generation, so later collections
skip them too (what CPython documents `freeze` for). A process that imports functions without ever
handling an event (the test session: `tests/conftest.py` resumes after collection) must call `resume()`.
"""
from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Idempotent and cheap: every entry point calls it on every event."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()

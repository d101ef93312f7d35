"""The test stack: the same local stack as `make dev`, in memory, one per xdist worker.

Without MONGODB_URI an in-memory SecantusDB is started; with it, the suite runs against that MongoDB,
in a database of its own per worker (dropped at the end).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from fenxiao import clock, coldstart, settings
from infra.local import stack as local_stack
from tests.support.client import Api

# Property tests share the machine with the rest of the suite (2 xdist workers, other jobs): a per-example
# deadline only measures load and made `make test` fail by chance. In CI the examples are also derandomized
# (a fixed seed per test), so a failure there is reproducible and never a coin toss; locally they stay
# random to keep finding new cases. `--hypothesis-profile` still overrides this.
hypothesis_settings.register_profile("fenxiao", deadline=None)
hypothesis_settings.register_profile("fenxiao-ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("fenxiao-ci" if os.environ.get("CI", "").lower() in ("1", "true") else "fenxiao")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Importing `functions` paused the garbage collector for a cold start (`fenxiao.coldstart`); tests that
    call no handler would otherwise run without it."""
    coldstart.resume()


@pytest.fixture(scope="session")
def stack() -> Iterator[dict[str, Any]]:
    from moto.server import ThreadedMotoServer

    from fenxiao.db import ensure_indexes, get_db
    from fenxiao.runtime import registry
    from infra.local.devserver import create_app

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = None
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        database = local_stack.start_database(":memory:")
        uri = database.uri
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    secrets = local_stack.generate_secrets()
    entries = registry.discover()
    server = local_stack.serve_in_thread(create_app(entries))
    base_url = f"http://127.0.0.1:{server.server_port}"
    local_stack.apply_env(mongodb_uri=uri, mongodb_db=f"fenxiao_test_{worker}", base_url=base_url,
                          dev_secrets=secrets, env="test",
                          s3_endpoint=f"http://127.0.0.1:{s3.get_host_and_port()[1]}")
    db = get_db()
    ensure_indexes(db)
    yield {"db": db, "base_url": base_url, "entries": entries, "secrets": secrets}
    server.shutdown()
    s3.stop()
    if database is None:
        db.client.drop_database(db.name)
    else:
        database.stop()


@pytest.fixture
def db(stack: dict[str, Any]) -> Iterator[Any]:
    yield stack["db"]


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with empty collections (indexes stay), an empty WeChat emulator (its memory
    lives as long as the process) and a free-running clock."""
    from infra.local import wechat_emulator

    wechat_emulator.reset()
    yield
    wechat_emulator.reset()
    clock.pin(None)
    if "stack" in request.fixturenames:
        db = request.getfixturevalue("stack")["db"]
        for name in db.list_collection_names():
            db[name].delete_many({})
        settings.clear_caches()  # cached settings must not outlive the documents they came from


@pytest.fixture
def api(stack: dict[str, Any]) -> Api:
    return Api(stack["entries"])


@pytest.fixture
def owner(db: Any) -> str:
    """An admin token with the owner role (the one that may move money)."""
    from tests.support.factories import admin_token

    return admin_token(db, "owner")

"""`make dev`: the whole backend in one process on http://127.0.0.1:$PORT.

Every function's routes (the same route objects Lambda and SCF serve), the WeChat emulator under
/__wechat/, the dev helpers under /__dev/, S3 through moto, and SecantusDB on .data/ unless MONGODB_URI
points at a real MongoDB.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from flask import Flask

from fenxiao.runtime import openapi, registry
from fenxiao.runtime.http import build_app, json_response
from infra.local import stack


def create_app(entries: list[registry.Entry] | None = None) -> Flask:
    from infra.local import dev_routes, wechat_emulator

    entries = entries if entries is not None else registry.discover()
    app = build_app(route for entry in registry.http_entries(entries) for route in entry.function.routes)
    app.register_blueprint(wechat_emulator.blueprint, url_prefix="/__wechat")
    app.register_blueprint(dev_routes.make_blueprint(entries), url_prefix="/__dev")
    spec = openapi.build(entries)
    app.add_url_rule("/openapi.json", "openapi", lambda: json_response(spec))
    return app


def _start_s3() -> Any:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(os.environ.get("S3_PORT", "0") or 0),
                                verbose=False)
    server.start()
    return server


def main() -> None:
    data_dir = Path(os.environ.get("FENXIAO_DATA_DIR") or stack.ROOT / ".data")
    secrets = stack.load_or_create_secrets(data_dir / "dev-secrets.json")
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        database = stack.start_database(str(data_dir / "db"))
        uri = database.uri
    s3 = None if os.environ.get("AWS_ENDPOINT_URL_S3") else _start_s3()
    s3_endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or f"http://127.0.0.1:{s3.get_host_and_port()[1]}"
    port = int(os.environ.get("PORT", "8000"))
    from infra.local import wechat_emulator

    wechat_emulator.persist_to(data_dir / "wechat-emulator.json")  # payments survive a restart
    app = create_app()
    server = stack.serve_in_thread(app, "127.0.0.1", port)
    base_url = f"http://127.0.0.1:{server.server_port}"
    stack.apply_env(mongodb_uri=uri, mongodb_db=os.environ.get("MONGODB_DB", "fenxiao"), base_url=base_url,
                    dev_secrets=secrets, s3_endpoint=s3_endpoint)
    from infra.local import seed

    summary = seed.prepare(admin_username=os.environ.get("ADMIN_USERNAME"),
                           admin_password=os.environ.get("ADMIN_PASSWORD"))
    print(f"Fenxiao local stack on {base_url}", flush=True)
    for line in summary:
        print("  " + line, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
        sys.exit(0)


if __name__ == "__main__":
    main()

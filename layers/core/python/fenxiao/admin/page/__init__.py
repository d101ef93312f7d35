"""The merchant admin web page: static files shipped inside the layer, served by the admin function.

They live in the layer package (not on a CDN) so the page always matches the API version it calls and
the admin function needs no second deployment; the files are small, read once per warm container.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from fenxiao.errors import NotFound

HERE = Path(__file__).resolve().parent
INDEX = "index.html"
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8"}
# The page's files, listed once from this folder: index.html, app.css and the ES modules app.js imports
# (each screen is a module; the browser fetches them as /admin/<name>). A request names one of these or
# gets 404, so no request path ever reaches the file system.
CONTENT_TYPES = {p.name: _TYPES[p.suffix] for p in sorted(HERE.iterdir()) if p.suffix in _TYPES}
# Scripts only from the page itself (no inline script, no CDN), so injected markup could not run code.
# Images and uploads may go to the object store, whose address differs per deployment.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data: blob: https: http:; connect-src 'self' https: http:; "
                                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Revalidate every time (cheap: the ETag answers 304), so a deploy is visible at the next reload.
    "Cache-Control": "no-cache",
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


def asset(name: str) -> Asset:
    """One of the page's files; only the listed names, so no path ever reaches the file system."""
    if name not in CONTENT_TYPES:
        raise NotFound("No such file in the admin page", code="ASSET_NOT_FOUND", details={"name": name})
    path = HERE / name
    return _load(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int) -> Asset:
    """Read once per version of the file: a warm container never rereads, `make dev` sees edits at once."""
    body = path.read_bytes()
    return Asset(body, CONTENT_TYPES[path.name], '"' + hashlib.sha256(body).hexdigest()[:20] + '"')

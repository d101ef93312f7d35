"""No function pays for wechatpy, wechatpayv3, boto3 or cryptography at import time: they load on first use
(tokens are HS256 from the standard library; field encryption and WeChat Pay signing import cryptography
when they run)."""
from __future__ import annotations

import json
import subprocess
import sys

from infra.local import stack


def test_no_function_imports_heavy_clients_at_import_time():
    probe = (
        "import json, sys\n"
        "from fenxiao.runtime import registry\n"
        "entries = registry.discover()\n"
        "print(json.dumps({'n': len(entries), 'heavy': [m for m in ('wechatpy', 'wechatpayv3', 'boto3', "
        "'botocore', 'segno', 'moto', 'cryptography', 'jwt') if m in sys.modules]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=stack.ROOT, capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["n"] > 0
    assert result["heavy"] == [], "run bench/cold_start.py to see which function imports them"


def test_schedules_import_no_http_stack():
    """Schedules are plain handlers: importing every one of them loads neither Flask nor serverless-wsgi
    (`fenxiao.runtime` loads its HTTP side only when an HTTP name is asked for)."""
    probe = (
        "import importlib, json, pkgutil, sys\n"
        "import functions.schedules as pkg\n"
        "names = [m.name for m in pkgutil.iter_modules(pkg.__path__)]\n"
        "for name in names:\n"
        "    importlib.import_module('functions.schedules.' + name)\n"
        "print(json.dumps({'n': len(names), 'http': [m for m in ('flask', 'werkzeug', 'serverless_wsgi') "
        "if m in sys.modules]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=stack.ROOT, capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["n"] > 0
    assert result["http"] == []

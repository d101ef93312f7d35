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

"""Cold start: importing the adapter must not load the SDKs (only the calls that need them do)."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("wechatpy", "wechatpayv3", "boto3", "cryptography", "requests")


def test_importing_the_adapter_loads_no_sdk():
    code = ("import sys, fenxiao.wechat; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""

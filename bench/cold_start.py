"""Cold-start import time of every cloud function's handler module.

Each measurement is a fresh interpreter importing one function module (what Lambda/SCF do on a cold
start, before the first request), repeated RUNS times; the table shows the median beside the floor: the
bare `import flask, serverless_wsgi, pymongo` every HTTP function pays anyway. A last column says whether
the import pulled in wechatpy, wechatpayv3, boto3 or cryptography (it never should: they load lazily
on first use).

    .venv/bin/python bench/cold_start.py [--runs 7] [--filter orders]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEAVY = ("wechatpy", "wechatpayv3", "boto3", "cryptography")
PROBE = """
import json, sys, time
t = time.perf_counter()
{stmt}
elapsed = time.perf_counter() - t
print(json.dumps({{"s": elapsed, "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def measure(stmt: str, runs: int) -> tuple[float, list[str]]:
    times, heavy = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PROBE.format(stmt=stmt, heavy=HEAVY)], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        times.append(result["s"])
        heavy = result["heavy"]
    return statistics.median(times) * 1000, heavy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    from fenxiao.runtime import registry

    entries = [e for e in registry.discover() if args.filter in e.name]
    floor, _ = measure("import flask, serverless_wsgi, pymongo", args.runs)
    print(f"{'function':44} {'median ms':>10} {'over floor':>10}  heavy imports")
    print(f"{'(floor: flask + serverless_wsgi + pymongo)':44} {floor:10.1f} {0:10.1f}")
    for entry in entries:
        ms, heavy = measure(f"import {entry.module}", args.runs)
        print(f"{entry.name:44} {ms:10.1f} {ms - floor:10.1f}  {', '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()

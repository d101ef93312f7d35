"""Cold-start import time of every cloud function's handler module, in the dev tree and packaged.

Each measurement is a fresh interpreter importing one function module (what Lambda/SCF do on a cold
start, before the first request), repeated RUNS times; the table shows the median beside the floor: the
bare `import flask, serverless_wsgi, pymongo` every HTTP function pays anyway. The `packaged` column
imports the same module from the artifacts `infra.package` builds (hash-based .pyc, zipped, unpacked
read-only into a Lambda layout, clean interpreter with -I -S): what a deployed function pays. It uses the
x86_64 build of the AWS target, the machine's own architecture. A last column says whether the import
pulled in wechatpy, wechatpayv3, boto3 or cryptography (it never should: they load lazily on first use).

    .venv/bin/python bench/cold_start.py [--runs 7] [--filter orders] [--no-packaged]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
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


def measure(stmt: str, runs: int, layout: tuple[Path, Path] | None = None) -> tuple[float, list[str]]:
    """Median ms of `stmt` in a fresh interpreter: the dev venv, or a clean one over a packaged layout."""
    from infra.package.layout import CLEAN_PYTHON, PATH_SETUP

    times, heavy = [], []
    probe = PROBE.format(stmt=stmt, heavy=HEAVY)
    command = [sys.executable, "-c", probe] if layout is None else \
        [CLEAN_PYTHON, "-I", "-S", "-c", PATH_SETUP + "\n" + probe, *map(str, layout)]
    for _ in range(runs):
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        times.append(result["s"])
        heavy = result["heavy"]
    return statistics.median(times) * 1000, heavy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--filter", default="")
    parser.add_argument("--no-packaged", action="store_true", help="skip building and measuring the artifacts")
    args = parser.parse_args()
    from fenxiao.runtime import registry

    entries = [e for e in registry.discover() if args.filter in e.name]
    with tempfile.TemporaryDirectory() as scratch:
        layouts = {} if args.no_packaged else _packaged_layouts(entries, Path(scratch))
        try:
            _table(entries, layouts, args.runs)
        finally:
            from infra.package.layout import make_writable

            make_writable(Path(scratch))


def _packaged_layouts(entries: list, root: Path) -> dict[str, tuple[Path, Path]]:
    from infra.package import AWS_X86_64, build_all, default_out_dir
    from infra.package.layout import lambda_layout

    built = build_all(AWS_X86_64, default_out_dir(AWS_X86_64), entries)
    return {e.name: lambda_layout(built, e.name, root) for e in entries}


def _table(entries: list, layouts: dict[str, tuple[Path, Path]], runs: int) -> None:
    floor_stmt = "import flask, serverless_wsgi, pymongo"
    floor, _ = measure(floor_stmt, runs)
    packaged_floor = measure(floor_stmt, runs, next(iter(layouts.values())))[0] if layouts else 0.0
    print(f"{'function':44} {'dev ms':>8} {'over floor':>10} {'packaged ms':>12} {'over floor':>10}  heavy imports")
    print(f"{'(floor: flask + serverless_wsgi + pymongo)':44} {floor:8.1f} {0:10.1f} {packaged_floor:12.1f} {0:10.1f}")
    for entry in entries:
        ms, heavy = measure(f"import {entry.module}", runs)
        packaged = measure(f"import {entry.module}", runs, layouts[entry.name])[0] if layouts else 0.0
        print(f"{entry.name:44} {ms:8.1f} {ms - floor:10.1f} {packaged:12.1f} {packaged - packaged_floor:10.1f}"
              f"  {', '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()

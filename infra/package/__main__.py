"""`python -m infra.package --target aws` (what `make package` runs): build every artifact of a target.

Writes `.build/<target>/layers/{deps,core}.zip` and `.build/<target>/functions/<name>.zip`, the files
serverless.yml deploys; prints each with its size.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from infra.package import TARGETS, build_all, default_out_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", choices=sorted(TARGETS), default="aws")
    parser.add_argument("--out", type=Path, help="output folder (default .build/<target>)")
    args = parser.parse_args()
    target = TARGETS[args.target]
    out_dir = args.out or default_out_dir(target)
    artifacts = build_all(target, out_dir)
    for path in [artifacts.deps, artifacts.core, *artifacts.functions.values()]:
        print(f"{path.stat().st_size / 1e6:8.2f} MB  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

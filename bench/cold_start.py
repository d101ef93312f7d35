"""Cold-start import cost of every cloud function's handler module against the floor, dev tree and packaged.

Each measurement is a fresh interpreter importing one function module (what Lambda/SCF do on a cold
start, before the first request). The floor is the bare `import flask, serverless_wsgi, pymongo` every
HTTP function pays anyway. Figures are CPU time (`time.process_time`) of the import inside the child,
not wall time: on a shared machine wall time measures the neighbours. Floor and function runs alternate
(floor, function, floor, function, …) so both see the same machine; the ratio is the median function
run over the median of the floor runs interleaved with it.

`packaged` imports the same module from the artifacts `infra.package` builds (hash-based .pyc, zipped,
unpacked read-only into a Lambda layout, clean interpreter with -I -S): what a deployed function pays,
and what the target (≤ 1.3× the floor) is about. The dev tree may run without .pyc
(PYTHONDONTWRITEBYTECODE), so its column includes compiling the project's own modules. It uses the
x86_64 build of the AWS target, the machine's own architecture. A last column says whether the import
pulled in wechatpy, wechatpayv3, boto3 or cryptography (it never should: they load lazily on first use).

    .venv/bin/python bench/cold_start.py [--runs 7] [--filter orders] [--no-packaged] [--no-dev] [--no-references]

Two reference rows come first: the runtime alone, and the runtime with the model engine (`fenxiao.model`) and
one typical input model declared and validated once, measured the same way. The second is about the least a
function with an input model pays for its import and its first validation.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLOOR = "import flask, serverless_wsgi, pymongo"
TARGET = 1.3  # issue 14: every function within 1.3× the floor, packaged
# What no HTTP function can go below, measured like a function: the runtime alone (a function with no input
# model), and the runtime with the model engine and one typical input model (constrained string, bounded int,
# literal, validator) declared and validated once: what a function with an input model pays by its first body.
REFERENCES = {
    "(runtime, no model)": "import functions, fenxiao.runtime.http",
    "(runtime + engine + one model, validated)": """import functions, fenxiao.runtime.http
from typing import Annotated, Literal
from fenxiao.model import ConfigDict, Field, Model, StringConstraints, field_validator
class Probe(Model):
    model_config = ConfigDict(extra="forbid")
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] | None = None
    n: int = Field(1, ge=1)
    kind: Literal["a", "b"] = "a"
    @field_validator("q")
    @classmethod
    def check(cls, value):
        return value
Probe.model_validate_json(b'{"q": " x ", "n": 2}', strict=True)""",
}
HEAVY = ("wechatpy", "wechatpayv3", "boto3", "cryptography")
PROBE = """
import json, sys, time
t = time.process_time()
{stmt}
cpu = time.process_time() - t
heavy = [m for m in {heavy!r} if m in sys.modules]
extra = 0.0
{then}
print(json.dumps({{"cpu": cpu, "heavy": heavy, "then": extra}}))
"""
# What a first request adds on top of the import: building the function's Flask app (and, for a function of
# lazily imported areas such as admin, importing the area that serves the request: `fenxiao.runtime.Area`),
# then the validators of the route's input models (compiled on first use: `fenxiao.model`). The largest route is
# reported: a request uses one route. An area's cost is measured in its own fresh interpreter (`area` is its
# index), as a real first request finds nothing of the other areas imported.
FIRST_USE = """
def first_use(area):
    from fenxiao import coldstart
    function = sys.modules[{module!r}].handler.__self__
    if not hasattr(function, "app_for"):
        return [0.0, 0]  # a schedule: nothing is deferred
    areas = [g for g in function.groups if hasattr(g, "prefixes")]
    coldstart.resume()  # the first event's first step
    started = time.process_time()
    function.app_for(areas[area].prefixes[0] if areas else None)
    routes = areas[area].routes if areas else function.routes
    base = time.process_time() - started
    costs = [0.0]
    for route in routes:
        started = time.process_time()
        for model in (route.body, route.query):
            if model is not None:
                from fenxiao.model.compile import compile_model
                compile_model(model)  # what its first validation does
        costs.append(time.process_time() - started)
    return [base + max(costs), len(areas)]
extra = first_use({area})
"""


def _once(stmt: str, layout: tuple[Path, Path] | None, then: str = "") -> tuple[float, list[str], Any]:
    """CPU seconds of `stmt` in a fresh interpreter (the dev venv, or a clean one over a packaged layout),
    the heavy modules it loaded, and the `extra` CPU seconds that `then`, run after it, reports."""
    from infra.package.layout import CLEAN_PYTHON, PATH_SETUP

    probe = PROBE.format(stmt=stmt, heavy=HEAVY, then=then or "pass")
    command = [sys.executable, "-c", probe] if layout is None else \
        [CLEAN_PYTHON, "-I", "-S", "-c", PATH_SETUP + "\n" + probe, *map(str, layout)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the probe failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["cpu"], result["heavy"], result["then"]


def against_floor(module: str, runs: int, layout: tuple[Path, Path] | None = None, stmt: str | None = None
                  ) -> tuple[float, float, list[str], float]:
    """(floor ms, import ms, heavy modules, first-use ms): medians of `runs` alternating floor/function runs;
    first use is the largest over the function's lazily imported areas (median of `runs` each)."""
    floors, times, firsts, heavy = [], [], [], []
    areas = 0
    for _ in range(runs):
        floors.append(_once(FLOOR, layout)[0])
        if stmt is not None:  # a reference row: no function, no first use
            cpu, heavy, _ = _once(stmt, layout)
            first, areas = 0.0, 0
        else:
            cpu, heavy, (first, areas) = _once(f"import {module}", layout, FIRST_USE.format(module=module, area=0))
        times.append(cpu)
        firsts.append(first)
    first_use = statistics.median(firsts)
    for area in range(1, areas):
        first_use = max(first_use, statistics.median(
            _once(f"import {module}", layout, FIRST_USE.format(module=module, area=area))[2][0] for _ in range(runs)))
    return (statistics.median(floors) * 1000, statistics.median(times) * 1000, heavy, first_use * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--filter", default="")
    parser.add_argument("--no-packaged", action="store_true", help="skip building and measuring the artifacts")
    parser.add_argument("--no-dev", action="store_true", help="skip the dev-tree column")
    parser.add_argument("--no-references", action="store_true", help="skip the runtime / one-model reference rows")
    args = parser.parse_args()
    from fenxiao.runtime import registry

    entries = [e for e in registry.discover() if args.filter in e.name]
    with tempfile.TemporaryDirectory() as scratch:
        layouts = {} if args.no_packaged else _packaged_layouts(entries, Path(scratch))
        try:
            _table(entries, layouts, args.runs, dev=not args.no_dev, references=not args.no_references)
        finally:
            from infra.package.layout import make_writable

            make_writable(Path(scratch))


def _packaged_layouts(entries: list, root: Path) -> dict[str, tuple[Path, Path]]:
    from infra.package import AWS_X86_64, build_all, default_out_dir
    from infra.package.layout import lambda_layout

    built = build_all(AWS_X86_64, default_out_dir(AWS_X86_64), entries)
    return {e.name: lambda_layout(built, e.name, root) for e in entries}


def _table(entries: list, layouts: dict[str, tuple[Path, Path]], runs: int, dev: bool, references: bool) -> None:
    print(f"CPU ms, median of {runs} runs alternating with the floor ({FLOOR}); target ≤ {TARGET}× packaged")
    print("first use: CPU ms a first request adds: its app, its area's import (admin), its route's deferred models"
          " (the largest route)")
    print(f"{'function':40} {'dev floor':>9} {'dev ms':>8} {'×floor':>7} "
          f"{'pkg floor':>9} {'pkg ms':>8} {'×floor':>7}   {'first use':>9}  heavy imports")
    if references and layouts and entries:
        layout = layouts[entries[0].name]  # the layers are every function's; `functions/__init__` is in each zip
        for label, stmt in REFERENCES.items():
            floor, ms, _, _ = against_floor("", runs, layout, stmt)
            print(f"{label:40} {'':9} {'':8} {'':7} {floor:9.1f} {ms:8.1f} {ms / floor:6.2f}×", flush=True)
    worst = 0.0
    for entry in entries:
        row = f"{entry.name:40}"
        heavy: list[str] = []
        first = 0.0
        if dev:
            floor, ms, heavy, first = against_floor(entry.module, runs)
            row += f" {floor:9.1f} {ms:8.1f} {ms / floor:6.2f}×"
        else:
            row += f" {'':9} {'':8} {'':7}"
        if layouts:
            floor, ms, packaged_heavy, first = against_floor(entry.module, runs, layouts[entry.name])
            heavy = heavy or packaged_heavy
            worst = max(worst, ms / floor)
            row += f" {floor:9.1f} {ms:8.1f} {ms / floor:6.2f}×{' !' if ms / floor > TARGET else '  '}"
        print(row + f" {first:9.1f}  {', '.join(heavy) or '-'}", flush=True)
    if layouts:
        print(f"worst packaged: {worst:.2f}× the floor (target ≤ {TARGET}×; ! marks a function above it)")


if __name__ == "__main__":
    main()

"""`python -m infra.tencent.package` (`make package-tencent`): the SCF artifacts, with infra.package.

SCF differs from Lambda in three ways that matter here: layers are unpacked into /opt and /opt itself is on
PYTHONPATH (so layer contents sit at the zip root: `layer_prefix=""`), function code lives in /var/user,
and one SCF function may serve several registry functions (infra/tencent/plan.py). Every function zip
therefore carries an `index.py` whose `main_handler` is `fenxiao.runtime.scf.entry(<its modules>)`,
byte-compiled like everything else (SCF sets PYTHONDONTWRITEBYTECODE, so a missing .pyc is recompiled on
every cold start).

Writes `.build/tencent/layers/{deps,core}.zip`, `.build/tencent/functions/<name>.zip` (what
`python -m infra.tencent.deploy` uploads) and `.build/tencent/src/<name>/` (the same files unpacked: the
`src` of the Serverless Cloud Framework descriptors, which zips folders itself).
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from infra.package import (
    ROOT,
    Target,
    build_core_layer,
    build_deps_layer,
    compile_tree,
    function_files,
    write_zip,
)
from infra.tencent.plan import Plan, ScfFunction, build, registry

# SCF runs x86_64 code packages; /opt (layers) and /var/user (code) are both on PYTHONPATH.
TENCENT = Target("tencent", ("manylinux2014_x86_64",), layer_prefix="", machine="x86_64",
                 layer_root="/opt", function_root="/var/user")
OUT = ROOT / ".build" / "tencent"


@dataclass
class ScfArtifacts:
    deps: Path
    core: Path
    functions: dict[str, Path] = field(default_factory=dict)


def index_source(function: ScfFunction) -> str:
    modules = ", ".join(repr(m) for m in function.modules)
    return (f'"""SCF entry of {function.name} (written by infra/tencent/package.py)."""\n'
            "from fenxiao.runtime.scf import entry\n\n"
            f"main_handler = entry({modules})\n")


def build_function(function: ScfFunction, entries: dict[str, registry.Entry], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".stage-{function.name}-", dir=out_dir))   # builds may overlap
    try:
        for relative in sorted({f for name in function.entries for f in function_files(entries[name])}):
            (stage / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / relative, stage / relative)
        (stage / "index.py").write_text(index_source(function))
        compile_tree(stage, TENCENT.function_root)
        return write_zip(stage, out_dir / "functions" / f"{function.name}.zip")
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _unpack(archive: Path, dest: Path) -> None:
    """`dest` becomes the zip's content (the Serverless Cloud Framework's `src`), swapped in whole."""
    fresh = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(fresh)
    shutil.rmtree(dest, ignore_errors=True)
    fresh.replace(dest)


def build_all(out_dir: Path = OUT, plan: Plan | None = None) -> ScfArtifacts:
    entries = {e.name: e for e in registry.discover()}
    plan = plan or build(list(entries.values()))
    artifacts = ScfArtifacts(build_deps_layer(TENCENT, out_dir), build_core_layer(TENCENT, out_dir))
    (out_dir / "src").mkdir(parents=True, exist_ok=True)
    for function in plan.functions:
        artifacts.functions[function.name] = build_function(function, entries, out_dir)
        _unpack(artifacts.functions[function.name], out_dir / "src" / function.name)
    wanted = set(artifacts.functions)
    for stale in (out_dir / "functions").glob("*.zip"):   # functions the plan no longer has
        if stale.stem not in wanted:
            stale.unlink(missing_ok=True)
    for stale in (out_dir / "src").iterdir():
        if stale.name not in wanted and not stale.name.startswith("."):
            shutil.rmtree(stale, ignore_errors=True)
    return artifacts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    artifacts = build_all(args.out)
    for path in [artifacts.deps, artifacts.core, *artifacts.functions.values()]:
        print(f"{path.stat().st_size / 1e6:8.2f} MB  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

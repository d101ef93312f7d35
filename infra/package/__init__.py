"""Build the deployable artifacts: a dependency layer, the core layer and one zip per function.

What a cloud runtime imports must be built for ITS platform, not the build machine's: the dependency layer
is installed with `pip install --platform <target tags> --only-binary=:all: --implementation cp
--python-version 3.11`, so a laptop (macOS, x86_64) builds a working arm64 Lambda layer. Every .py is
byte-compiled with `--invalidation-mode unchecked-hash`: a zip stores 1980 timestamps, so a timestamp-based
.pyc is stale on arrival and every cold start would recompile (~3x slower imports); a hash-based unchecked
.pyc is used as is (the artifacts are read-only, so it cannot go stale). Zips are deterministic (sorted
entries, fixed timestamps and modes), so the same sources give the same bytes and an unchanged layer is
not republished.

Library (used by `python -m infra.package`, the deploy tests and infra/tencent):

    Target(name, platforms, python_version="3.11", layer_prefix="python/", machine="aarch64", ...)
        AWS = Target("aws", ("manylinux2014_aarch64",), layer_prefix="python/")   # Lambda arm64
        a Tencent SCF target passes x86_64 manylinux tags and layer_prefix="" (SCF puts /opt on sys.path)
    build_deps_layer(target, out_dir) -> Path      requirements.txt for the target platform (cached)
    build_core_layer(target, out_dir) -> Path      layers/core/python/fenxiao
    build_function_zip(target, entry_or_files, out_dir, name=None) -> Path
        a registry Entry (its module, the packages above it; the whole folder for the admin function)
        or an explicit list of repository-relative files
    function_files(entry) -> list[str]
    native_libraries(root) -> list[NativeLibrary]  every .so with its ELF machine (architecture check)
    build_all(target, out_dir) -> Artifacts        everything above, for every function of the registry

The dependency layer is cached under `<out_dir>/.cache/` keyed by requirements.txt, the target's tags and
this module's BUILD_VERSION, so repeated builds (CI runs `make package` before the deploy tests) reuse it;
pip's own download cache serves the wheels when the key changes.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORE_SOURCE = ROOT / "layers" / "core" / "python"
REQUIREMENTS = ROOT / "requirements.txt"
BUILD_VERSION = "2"  # bump when the layout of a built layer changes, to invalidate cached builds
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SKIPPED_DIRS = {"__pycache__", "bin"}  # pip's console scripts name the build machine's interpreter

# ELF e_machine values of the architectures we deploy to
ELF_MACHINES = {62: "x86_64", 183: "aarch64"}


@dataclass(frozen=True)
class Target:
    """Where artifacts will run: the pip platform tags and how the platform lays layers out."""

    name: str
    platforms: tuple[str, ...]
    python_version: str = "3.11"
    layer_prefix: str = "python/"      # AWS puts /opt/python on sys.path; SCF puts /opt itself
    machine: str = "aarch64"           # the ELF machine every native extension must be built for
    layer_root: str = "/opt"           # where layers are unpacked at run time (names in tracebacks)
    function_root: str = "/var/task"   # where the function code is unpacked at run time


AWS = Target("aws", ("manylinux2014_aarch64",))
# The same packager for the build machine's architecture: the deploy tests import this one in a clean
# interpreter (an arm64 layer cannot load on an x86_64 test machine); its content differs only in the
# native extensions' architecture.
AWS_X86_64 = Target("aws-x86_64", ("manylinux2014_x86_64",), machine="x86_64")
TARGETS = {t.name: t for t in (AWS, AWS_X86_64)}


@dataclass(frozen=True)
class NativeLibrary:
    path: str
    machine: str


@dataclass
class Artifacts:
    deps: Path
    core: Path
    functions: dict[str, Path] = field(default_factory=dict)


# --- byte-compiling and zipping ----------------------------------------------------------------

def compile_tree(root: Path, runtime_root: str) -> None:
    """Hash-based, unchecked .pyc beside every .py (importable from a read-only, 1980-dated tree).

    Code objects name their files as they will be at run time (`runtime_root` + the path inside
    `root`), so tracebacks read /opt/python/fenxiao/... and the bytes do not depend on the build folder.
    """
    _require_python(None)
    # A fresh interpreter with a fixed hash seed: marshal's output depends on the compiling process's
    # state (string interning, reference counts), so compiling in-process would make the bytes vary.
    command = [sys.executable, "-I", "-m", "compileall", "-q", "-q", "-j", "1", "-s", str(root),
               "-p", runtime_root, "--invalidation-mode", "unchecked-hash", str(root)]
    result = subprocess.run(command, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"byte-compiling {root} failed: {result.stdout}{result.stderr}")


def write_zip(source: Path, archive: Path) -> Path:
    """A deterministic zip of `source`: sorted entries, fixed timestamps, 0644/0755 modes."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f"{archive.name}.{os.getpid()}.partial")  # concurrent builds (test workers)
    files = sorted(p for p in source.rglob("*") if p.is_file())
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), ZIP_DATE)
            mode = 0o755 if path.stat().st_mode & stat.S_IXUSR else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    partial.replace(archive)
    return archive


def _require_python(target: Target | None) -> None:
    """A .pyc is only valid for the interpreter version that wrote it."""
    wanted = target.python_version if target else "3.11"
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != wanted:
        raise RuntimeError(f"build with Python {wanted} (this is {running}): .pyc files are version-specific")


def _stage(out_dir: Path, name: str) -> Path:
    """A private staging folder: several processes may build into the same out_dir at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".stage-{name}-", dir=out_dir))


def _publish(source: Path, archive: Path) -> Path:
    """Copy `source` to `archive` atomically (a reader never sees half a file)."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f"{archive.name}.{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    partial.replace(archive)
    return archive


def _copy_sources(source: Path, dest: Path) -> None:
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)


# --- native extensions ---------------------------------------------------------------------------

def elf_machine(path: Path) -> str:
    """The architecture an ELF shared object was built for ("aarch64", "x86_64", or the raw number)."""
    with path.open("rb") as f:
        header = f.read(20)
    if header[:4] != b"\x7fELF":
        return "not-elf"
    byteorder = "little" if header[5] == 1 else "big"
    number = int.from_bytes(header[18:20], byteorder)
    return ELF_MACHINES.get(number, str(number))


def native_libraries(root: Path) -> list[NativeLibrary]:
    """Every shared object under `root` (extension modules and the libraries wheels vendor)."""
    found = [p for p in root.rglob("*") if p.is_file() and (p.suffix == ".so" or ".so." in p.name)]
    return [NativeLibrary(p.relative_to(root).as_posix(), elf_machine(p)) for p in sorted(found)]


def wheel_tags(root: Path) -> dict[str, list[str]]:
    """distribution -> the wheel tags pip installed it from (each *.dist-info/WHEEL's Tag lines)."""
    tags: dict[str, list[str]] = {}
    for wheel in sorted(root.glob("*.dist-info/WHEEL")):
        lines = wheel.read_text().splitlines()
        tags[wheel.parent.name] = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Tag:")]
    return tags


def check_architecture(target: Target, root: Path) -> None:
    """Refuse a layer holding a native library the target's machine cannot load."""
    wrong = [lib for lib in native_libraries(root) if lib.machine != target.machine]
    if wrong:
        listed = ", ".join(f"{lib.path} ({lib.machine})" for lib in wrong[:5])
        raise RuntimeError(f"{target.name} runs on {target.machine}, but the layer holds {listed}")


# --- the three kinds of artifact -------------------------------------------------------------------

def _deps_key(target: Target) -> str:
    material = {"requirements": REQUIREMENTS.read_text(), "platforms": target.platforms,
                "python": target.python_version, "prefix": target.layer_prefix, "root": target.layer_root,
                "build": BUILD_VERSION, "compiler": sys.version_info[:2]}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]


def pip_install_command(target: Target, dest: Path) -> list[str]:
    platforms = [arg for tag in target.platforms for arg in ("--platform", tag)]
    return [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
            "--only-binary=:all:", "--implementation", "cp", "--python-version", target.python_version,
            *platforms, "--target", str(dest), "-r", str(REQUIREMENTS)]


def build_deps_layer(target: Target, out_dir: Path) -> Path:
    """requirements.txt installed for the target platform, compiled, zipped; reused while unchanged."""
    _require_python(target)
    key = _deps_key(target)
    archive = out_dir / "layers" / "deps.zip"
    cached = out_dir / ".cache" / f"deps-{key}.zip"
    if cached.exists():
        return _publish(cached, archive)
    stage = _stage(out_dir, "deps")
    site = stage / target.layer_prefix
    subprocess.run(pip_install_command(target, site), check=True)
    for skipped in SKIPPED_DIRS:
        shutil.rmtree(site / skipped, ignore_errors=True)
    check_architecture(target, site)
    compile_tree(site, f"{target.layer_root}/{target.layer_prefix}".rstrip("/"))
    write_zip(stage, archive)
    for old in cached.parent.glob("deps-*.zip") if cached.parent.exists() else []:
        old.unlink(missing_ok=True)
    _publish(archive, cached)
    shutil.rmtree(stage)
    return archive


def build_core_layer(target: Target, out_dir: Path) -> Path:
    """The fenxiao package (with the admin page's static files), compiled."""
    _require_python(target)
    stage = _stage(out_dir, "core")
    site = stage / target.layer_prefix
    _copy_sources(CORE_SOURCE / "fenxiao", site / "fenxiao")
    compile_tree(site, f"{target.layer_root}/{target.layer_prefix}".rstrip("/"))
    archive = write_zip(stage, out_dir / "layers" / "core.zip")
    shutil.rmtree(stage)
    return archive


def function_files(entry: Any) -> list[str]:
    """The repository files one function ships: its module, the `functions` modules it imports (a function
    may compose route groups of sibling modules, as `users.get_me` does with `users.points`), and the
    package __init__s above each.

    The admin function composes the route groups of its folder (functions/admin/handler.py imports its
    siblings), so it ships the whole folder.
    """
    module_path = Path(entry.module.replace(".", "/") + ".py")
    if module_path.name == "handler.py":
        modules = {p.relative_to(ROOT) for p in (ROOT / module_path.parent).glob("*.py")}
    else:
        modules = _with_imported_functions(module_path)
    files = {str(package / "__init__.py") for module in modules for package in module.parents[:-1]}
    return sorted(files | {module.as_posix() for module in modules})


def _with_imported_functions(module_path: Path) -> set[Path]:
    """`module_path` and every `functions.*` module it imports, transitively."""
    found: set[Path] = set()
    todo = [module_path]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        for node in ast.walk(ast.parse((ROOT / current).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "functions":
                for alias in node.names:
                    for candidate in (f"{node.module}.{alias.name}", node.module):
                        path = Path(candidate.replace(".", "/") + ".py")
                        if (ROOT / path).is_file():
                            todo.append(path)
                            break
    return found


def build_function_zip(target: Target, entry_or_files: Any, out_dir: Path, name: str | None = None) -> Path:
    """One function's code, compiled; `entry_or_files` is a registry Entry or repository-relative files."""
    _require_python(target)
    if isinstance(entry_or_files, str | bytes) or not isinstance(entry_or_files, Iterable):
        files, name = function_files(entry_or_files), name or entry_or_files.name
    else:
        files = list(entry_or_files)
        if name is None:
            raise ValueError("name the zip when passing a list of files")
    stage = _stage(out_dir, name)
    for relative in files:
        dest = stage / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, dest)
    compile_tree(stage, target.function_root)
    archive = write_zip(stage, out_dir / "functions" / f"{name}.zip")
    shutil.rmtree(stage)
    return archive


def build_all(target: Target, out_dir: Path, entries: Sequence[Any] | None = None) -> Artifacts:
    """Both layers and every function of the registry (or of `entries`)."""
    if entries is None:
        sys.path.insert(0, str(ROOT))
        from fenxiao.runtime import registry

        entries = registry.discover()
    artifacts = Artifacts(build_deps_layer(target, out_dir), build_core_layer(target, out_dir))
    stale = set((out_dir / "functions").glob("*.zip"))
    for entry in entries:
        artifacts.functions[entry.name] = build_function_zip(target, entry, out_dir)
    for old in stale - set(artifacts.functions.values()):
        old.unlink(missing_ok=True)
    return artifacts


def default_out_dir(target: Target) -> Path:
    return Path(os.environ.get("FENXIAO_BUILD_DIR", ROOT / ".build")) / target.name

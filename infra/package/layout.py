"""Unpack built artifacts the way AWS Lambda does: layers into <root>/opt, the function into
<root>/<name>/var/task, read-only (Lambda's code is read-only, so a .pyc that is stale cannot even be
rewritten: it is recompiled on every cold start). Used by the deploy tests and bench/cold_start.py.
"""
from __future__ import annotations

import stat
import sys
import zipfile
from pathlib import Path

from infra.package import Artifacts

# The interpreter outside any virtualenv: run it with -I -S so only the layout is importable.
CLEAN_PYTHON = getattr(sys, "_base_executable", sys.executable)
# sys.path of a clean child: the function code first, then the layers (AWS: /opt/python)
PATH_SETUP = "import sys; task, opt = sys.argv[1], sys.argv[2]; sys.path[:0] = [task, opt + '/python']"


def unpack(zips: list[Path], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for archive in zips:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(dest)
    return dest


def make_read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(root: Path) -> None:
    """So a temporary layout can be deleted again."""
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def lambda_layout(artifacts: Artifacts, name: str, root: Path) -> tuple[Path, Path]:
    """(task, opt) for function `name`: the layers are unpacked once per root and shared."""
    opt = root / "opt"
    if not opt.exists():
        unpack([artifacts.deps, artifacts.core], opt)
        make_read_only(opt)
    task = root / name / "var" / "task"
    if not task.exists():
        unpack([artifacts.functions[name]], task)
        make_read_only(task)
    return task, opt

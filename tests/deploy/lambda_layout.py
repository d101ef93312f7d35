"""Invoke packaged artifacts the way AWS Lambda does, offline: in the layout of infra.package.layout
(read-only), in a clean interpreter (the base python3.11 with -I -S: no venv, no site-packages,
sys.path = the function code, /opt/python, stdlib).

The child also counts source compilations of project and dependency modules: a stale or missing .pyc
would compile from source on every cold start, so the count must be zero.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from infra.package import ROOT
from infra.package.layout import CLEAN_PYTHON, PATH_SETUP

CHILD = PATH_SETUP + r"""
import json
import importlib._bootstrap_external as external
compiled = []
original = external.SourceLoader.source_to_code
def counting(self, data, path, *args, **kwargs):
    if path.startswith((task, opt)):
        compiled.append(path)
    return original(self, data, path, *args, **kwargs)
external.SourceLoader.source_to_code = counting
spec = json.loads(sys.stdin.read())
module = __import__(spec["module"], fromlist=["handler"])
answers = [module.handler(event, None) for event in spec["events"]]
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("pytest", "moto", "secantus", "tests", "infra"))
outside = sorted({getattr(m, "__file__", "") or "" for m in list(sys.modules.values())}
                 - {""})
outside = [f for f in outside if not f.startswith((task, opt, sys.base_prefix))]
print("\n" + json.dumps({"answers": answers, "compiled": compiled, "leaked": leaked, "outside": outside},
                        default=str))
"""


def invoke(task: Path, opt: Path, module: str, events: list[dict[str, Any]], env: dict[str, str]) -> dict[str, Any]:
    """Cold-start `module` from the unpacked layout and hand it `events`; returns what the child saw."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    result = subprocess.run([CLEAN_PYTHON, "-I", "-S", "-c", CHILD, str(task), str(opt)],
                            input=json.dumps({"module": module, "events": events}), capture_output=True,
                            text=True, env={**base, "LAMBDA_TASK_ROOT": str(task), **env}, timeout=120)
    if result.returncode:
        raise AssertionError(f"{module} failed in the clean interpreter:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@functools.cache
def serverless_document() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "serverless.yml").read_text())


_PARAM = re.compile(r"\$\{param:(\w+)(?:,\s*'([^']*)')?\}")


def function_environment(name: str, params: dict[str, str], intrinsics: dict[str, str], stage: str
                         ) -> dict[str, str]:
    """A function's environment as serverless.yml declares it, with ${param:}/${sls:stage} and the
    CloudFormation references it holds (bucket name, public base) resolved to test values."""
    document = serverless_document()
    declared = {**document["provider"]["environment"], **document["functions"][name].get("environment", {})}
    resolved: dict[str, str] = {}
    for key, value in declared.items():
        if not isinstance(value, str):
            resolved[key] = intrinsics[key]
            continue
        value = _PARAM.sub(lambda m: params.get(m.group(1), m.group(2) or ""), value)
        resolved[key] = value.replace("${sls:stage}", stage)
    return resolved

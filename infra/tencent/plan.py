"""What the service looks like on Tencent SCF, derived from the function registry.

Everything Tencent-specific about the *shape* of the deployment is decided here, once, and both the
Serverless Cloud Framework descriptors (`descriptors.py`) and the SDK deploy command (`deploy.py`) read
the same `Plan`:

- **One public base URL.** The mini-program (and WeChat Pay's notifications) reach every HTTP function
  through one SCF custom domain (自定义域名) whose path rules (`EndpointsConfig`: namespace, function,
  `PathMatch`) send each path to its function. A rule has no method and only a trailing `/*`
  wildcard, so every route whose path shares a rule must live in one SCF function: routes are keyed by
  their path (`/v1/orders`) or, when a path has a `{parameter}`, by the static part before it plus `/*`
  (`/v1/orders/*`), and registry functions whose keys meet (equal, or one under the other's wildcard)
  are served by one SCF function that mounts all their routes. Rule precedence therefore never matters.
- **Quotas.** Each SCF function gets one function URL and at most one timer; functions are packed by
  area (the package under `functions/`) into namespaces of at most `FUNCTIONS_PER_NAMESPACE`, and the
  plan refuses to exceed `NAMESPACES`.
- **Environment.** Each function gets only the settings its code can read (infra/config_needs.py, the
  same derivation as serverless.yml). Secret values are never in the environment: it names them
  (FENXIAO_SECRET_NAMES) and fenxiao.secrets.tencent reads them from Secrets Manager (凭据管理).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "layers" / "core" / "python"
for _path in (str(CORE), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from fenxiao import config  # noqa: E402
from fenxiao.runtime import registry  # noqa: E402
from infra.config_needs import needs  # noqa: E402

APP = "fenxiao"
RUNTIME = "Python3.11"            # the newest Python SCF offers for code packages
HANDLER = "index.main_handler"    # index.py at the root of every function zip (written by package.py)
LAYERS = ("fenxiao-deps", "fenxiao-core")
FUNCTIONS_PER_NAMESPACE = 50      # SCF default quota
NAMESPACES = 5                    # SCF default quota per region ("default" is one of them)
HTTP_MEMORY_MB, HTTP_TIMEOUT_S = 512, 15      # Mongo server selection gives up after 4 s, well inside
TIMER_MEMORY_MB, TIMER_TIMEOUT_S = 512, 900   # settlement runs in bulk; SCF's event-function maximum
INIT_TIMEOUT_S = 10                           # cold import of flask + pymongo and the models, with margin

# What a function using object storage needs besides the settings (credentials: the run role's, handed
# to boto3 by fenxiao.runtime.scf).
STORAGE_ENV = ("AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION")
# Never set as plain values: the environment carries FENXIAO_SECRET_NAMES (see fenxiao.secrets) and the
# function reads the values from Secrets Manager at cold start.
SECRETS = frozenset(config.env_name(f) for f in config.SECRET_FIELDS)


class PlanError(ValueError):
    """The registry cannot be laid out within the platform's limits."""


@dataclass(frozen=True)
class Timer:
    name: str
    cron: str          # 7 fields (second minute hour day month weekday year), Beijing time (UTC+8)


@dataclass(frozen=True)
class ScfFunction:
    name: str
    namespace: str
    modules: tuple[str, ...]     # the registry modules it serves (index.py mounts them all)
    entries: tuple[str, ...]     # their registry names
    env: tuple[str, ...]         # plain variable names; values come from the stage
    secrets: tuple[str, ...]     # secret-store names (jwt-secret, ...): read at cold start, never in env
    paths: tuple[str, ...] = ()  # custom-domain PathMatch rules; empty unless HTTP
    timer: Timer | None = None   # a schedule's; a one-shot task (e.g. migrate) has neither: invoked by hand

    @property
    def is_http(self) -> bool:
        return bool(self.paths)

    @property
    def memory(self) -> int:
        return HTTP_MEMORY_MB if self.is_http else TIMER_MEMORY_MB

    @property
    def timeout(self) -> int:
        return HTTP_TIMEOUT_S if self.is_http else TIMER_TIMEOUT_S


@dataclass(frozen=True)
class Plan:
    functions: tuple[ScfFunction, ...]

    @property
    def namespaces(self) -> tuple[str, ...]:
        return tuple(sorted({f.namespace for f in self.functions}))

    def routes(self) -> list[tuple[str, str, str]]:
        """(PathMatch, namespace, function) for the custom domain, most specific first."""
        rules = [(path, f.namespace, f.name) for f in self.functions for path in f.paths]
        return sorted(rules, key=lambda r: (-r[0].count("/"), r[0]))

    def function(self, name: str) -> ScfFunction:
        return next(f for f in self.functions if f.name == name)


# --- routing keys ---------------------------------------------------------------------------

def route_key(path: str) -> str:
    """The custom-domain rule that reaches `path`: itself, or its static prefix + `/*`."""
    parts = path.strip("/").split("/")
    for i, part in enumerate(parts):
        if part.startswith("{"):
            return "/" + "/".join(parts[:i]) + "/*"
    return path


def _meet(a: str, b: str) -> bool:
    """Could one request path match both rules? (`/x` and `/x/*` count: whether `/x/*` matches `/x`
    is not documented, so both go to one function either way.)"""
    def base(rule: str) -> tuple[str, bool]:
        return (rule[:-2], True) if rule.endswith("/*") else (rule, False)

    (pa, wa), (pb, wb) = base(a), base(b)
    if pa == pb:
        return True
    if wa and (pb + "/").startswith(pa + "/"):
        return True
    return wb and (pa + "/").startswith(pb + "/")


def _compact(keys: set[str], others: set[str]) -> tuple[str, ...]:
    """Fewer rules for one function: keys sharing their first two path segments collapse into that
    prefix + `/*` when no other function's key meets it (the admin function's ~50 routes become
    `/v1/admin/*` and `/admin/*`). Exact keys equal to the prefix stay, as `/x/*` may not match `/x`."""
    families: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        families["/" + "/".join(key.removesuffix("/*").strip("/").split("/")[:2])].add(key)
    rules: set[str] = set()
    for prefix, family in families.items():
        if len(family) > 1 and not any(_meet(prefix + "/*", other) for other in others):
            rules |= {prefix + "/*", *(k for k in family if k.rstrip("/") == prefix)}
        else:
            rules |= family
    return tuple(sorted(rules))


# --- environment ------------------------------------------------------------------------------

def environment(modules: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(plain variable names, secret names) of what `modules` can read."""
    found = [needs(m) for m in modules]
    fields = set().union(*(n.fields for n in found))
    plain = {config.env_name(f) for f in fields if f not in config.SECRET_FIELDS}
    if any(n.storage for n in found):
        plain |= set(STORAGE_ENV)
    secret_names = {config.secret_name(f) for f in fields & config.SECRET_FIELDS}
    secret_names |= set().union(*(n.secrets for n in found))
    return tuple(sorted(plain)), tuple(sorted(secret_names))


# --- the plan ---------------------------------------------------------------------------------

def _area(entry: registry.Entry) -> str:
    return entry.module.split(".")[1]


def _http_groups(entries: list[registry.Entry]) -> list[tuple[list[registry.Entry], set[str]]]:
    """Union the HTTP entries whose routing keys meet; each group becomes one SCF function."""
    keys = {e.name: {route_key(r.path) for r in e.function.routes} for e in entries}
    parent = {e.name: e.name for e in entries}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for i, a in enumerate(entries):
        for b in entries[i + 1:]:
            if any(_meet(ka, kb) for ka in keys[a.name] for kb in keys[b.name]):
                parent[find(b.name)] = find(a.name)
    groups: dict[str, list[registry.Entry]] = defaultdict(list)
    for entry in entries:
        groups[find(entry.name)].append(entry)
    return [(members, set().union(*(keys[m.name] for m in members))) for members in groups.values()]


def _group_name(members: list[registry.Entry], keys: set[str]) -> str:
    """A lone registry function keeps its name; a merged one is named for its routes (`orders`)."""
    if len(members) == 1:
        return members[0].name
    shortest = min(keys, key=lambda k: (k.count("/"), k)).removesuffix("/*").strip("/").split("/")
    return "-".join(p for p in shortest if p != "v1") or members[0].name


def _namespaces(functions: list[tuple[str, str]]) -> dict[str, str]:
    """function name -> namespace: whole areas packed, in name order, into namespaces under quota."""
    by_area: dict[str, list[str]] = defaultdict(list)
    for name, area in functions:
        by_area[area].append(name)
    assigned: dict[str, str] = {}
    index, used = 1, 0
    for area in sorted(by_area):
        count = len(by_area[area])
        if count > FUNCTIONS_PER_NAMESPACE:
            raise PlanError(f"area {area} alone has {count} functions (quota {FUNCTIONS_PER_NAMESPACE} per "
                            "namespace): merge some of them")
        if used + count > FUNCTIONS_PER_NAMESPACE:
            index, used = index + 1, 0
        used += count
        for name in by_area[area]:
            assigned[name] = APP if index == 1 else f"{APP}-{index}"
    if index > NAMESPACES - 1:  # the region's "default" namespace takes one of the quota
        raise PlanError(f"{index} namespaces needed; SCF allows {NAMESPACES} per region by default")
    return assigned


def build(entries: list[registry.Entry] | None = None) -> Plan:
    entries = registry.discover() if entries is None else entries
    http = registry.http_entries(entries)
    drafts: list[tuple[str, str, list[registry.Entry], tuple[str, ...], Timer | None]] = []
    groups = _http_groups(http)
    for members, keys in groups:
        others = set().union(*(k for m, k in groups if m is not members))
        drafts.append((_group_name(members, keys), _area(members[0]), members, _compact(keys, others), None))
    for entry in (e for e in entries if e not in http):   # schedules, and one-shot tasks (no cron)
        cron = entry.function.scf_cron
        timer = Timer(entry.function.name.replace("_", "-"), cron) if cron else None
        drafts.append((entry.name, _area(entry), [entry], (), timer))
    names = [d[0] for d in drafts]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise PlanError(f"two SCF functions would be named {sorted(duplicates)}")
    namespaces = _namespaces([(name, area) for name, area, *_ in drafts])
    functions = []
    for name, _, members, paths, timer in drafts:
        modules = tuple(m.module for m in members)
        env, secret_names = environment(modules)
        functions.append(ScfFunction(name=name, namespace=namespaces[name], modules=modules,
                                     entries=tuple(m.name for m in members), env=env, secrets=secret_names,
                                     paths=paths, timer=timer))
    return Plan(tuple(sorted(functions, key=lambda f: (f.namespace, f.name))))

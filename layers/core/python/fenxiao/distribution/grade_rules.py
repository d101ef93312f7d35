"""Grade upgrade conditions (等级升级条件): pure rules, no database.

The merchant gives a grade optional thresholds on four figures of a distributor; the grade is reached
when any (or all, the merchant's choice) of the thresholds set are met (figure >= threshold). Grades form
a ladder by `sort` (larger = higher): automatic changes only climb it, and a distributor jumps straight to
the highest grade whose conditions they meet. A grade without conditions is never reached automatically
(the merchant assigns it by hand).

The figures come from the distributor stats (fenxiao.distribution.stats, issue 15):
- `direct_members`: members bound directly to the distributor (team level 1);
- `team_members`: members at levels 1–3 together;
- `team_sales`: what the whole team bought (every order the distributor is in the upline of, levels 1–3),
  paid goods net of refunds, in fen;
- `own_sales`: what the distributor sold themselves (the orders they are the nearest referrer of: their
  direct customers, and their own purchases when self-purchase commission is on), net, in fen.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

CONDITIONS = ("direct_members", "team_members", "team_sales", "own_sales")
Match = Literal["any", "all"]


def figures(stats: Mapping[str, Any]) -> dict[str, int]:
    """The four figures from a stats snapshot (`distributor_stats` document) or a `distributor_stats()` view."""
    level1 = ((stats.get("levels") or {}).get("1") or {})
    return {"direct_members": int(stats.get("team_level1") or 0),
            "team_members": sum(int(stats.get(f"team_level{n}") or 0) for n in (1, 2, 3)),
            "team_sales": int(stats.get("sales") or 0),
            "own_sales": int(level1.get("sales") or 0)}


def thresholds(upgrade: Mapping[str, Any] | None) -> dict[str, int]:
    """The conditions the merchant set (those left empty are not conditions)."""
    return {key: int(upgrade[key]) for key in CONDITIONS if upgrade and upgrade.get(key) is not None}


def met(upgrade: Mapping[str, Any] | None, values: Mapping[str, int]) -> bool:
    """Whether `values` reach the grade: any / all of the set thresholds; never without any."""
    wanted = thresholds(upgrade)
    if not wanted:
        return False
    hits = [values.get(key, 0) >= target for key, target in wanted.items()]
    return all(hits) if (upgrade or {}).get("match") == "all" else any(hits)


def above(ladder: Sequence[Mapping[str, Any]], current: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The grades strictly higher than `current`, lowest first (ladder: every grade)."""
    floor = None if current is None else int(current.get("sort") or 0)
    higher = [g for g in ladder if floor is None or int(g.get("sort") or 0) > floor]
    return sorted(higher, key=lambda g: (int(g.get("sort") or 0), str(g["_id"])))


def target(ladder: Sequence[Mapping[str, Any]], current: Mapping[str, Any] | None,
           values: Mapping[str, int]) -> Mapping[str, Any] | None:
    """The highest grade above `current` whose conditions `values` meet; None when none is."""
    reached = [g for g in above(ladder, current) if met(g.get("upgrade"), values)]
    return reached[-1] if reached else None


def progress(ladder: Sequence[Mapping[str, Any]], current: Mapping[str, Any] | None,
             values: Mapping[str, int]) -> dict[str, Any] | None:
    """The next grade the distributor can reach automatically, each condition with its figure so far."""
    nxt = next((g for g in above(ladder, current) if thresholds(g.get("upgrade"))), None)
    if nxt is None:
        return None
    upgrade = nxt["upgrade"]
    return {"grade_id": nxt["_id"], "name": nxt["name"], "match": upgrade.get("match", "any"),
            "met": met(upgrade, values),
            "conditions": [{"key": key, "target": goal, "value": values.get(key, 0),
                            "met": values.get(key, 0) >= goal} for key, goal in thresholds(upgrade).items()]}

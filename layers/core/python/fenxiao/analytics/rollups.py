"""Daily rollups: one `daily_stats` document per Beijing day, kept by the events that change its numbers.

The dashboard reads their copy without `applied` (`publish.py`: ≤ one document per day of its range,
published after every write to a day, which bumps `version`), never the raw orders (the first 100k
measurement took 386 s for 30 days at 100k orders). A "day" is a Beijing calendar day (UTC+8, `days.py`), the
merchant's wall clock, and each number is booked on the day of the moment that defines it:

    {_id: "YYYY-MM-DD", shape: 2, gmv, orders, refunds_amount, new_users, new_distributors,
     commission: {frozen, settled, reversed}, products: {product_id: {title, quantity, amount}},
     payer_ids: [≤ 200 user ids], payers_over, payer_hll: {register: rank},      (distinct.py)
     leaders: "[[user id, sales, earned], … ≤ 50]", leaders_rest: {count, sales}, (leaders.py)
     leaders_stale, leaders_at, applied: [event ids, the last RECENT], version, rebuilt_at}

Every document is bounded whatever the shop's size: the payers are exact ids up to a cap, then a
fixed-size HyperLogLog sketch; the distributors are the day's top 50. (Until `shape` 2 a day kept every
payer's id and every distributor's figures: the dashboard's cost grew with the shop. `upgrade_days`, run
by `ops-migrate`, converts such days in place; every reader converts one it meets in memory.)

- payment applied (`paid:<order>`, the order's `paid_at` day): gmv (`pay_amount`), orders, the payer,
  the lines per product; with a referrer, the day's leaders are stale;
- refund completed (`refund:<refund>`, `refunded_at` day): refunds_amount;
- user created (`user:<id>`), distributor approved (`distributor:<id>`): new_users / new_distributors;
- commission created (`commissions:<order>`), reversed (`reverse:<order>:<refund or reason>`) and settled
  (`settle:<run>`): booked on each entry's *creation* day, so `commission` keeps the dashboard's
  definition (entries created in the range, by status, net of reversals; `settling` is still frozen);
  created and reversed make the day's leaders stale.

Exactly once (`once.apply`): each event is ONE conditional upsert of its day's document, `{_id: day,
applied: {$ne: event}}` + `$inc` + `$push` of the event id (kept to the last RECENT). A replay (payment recovery
re-running the hook, a settlement run finishing after a crash) matches nothing, and the upsert's
duplicate key says "already applied"; no second document, no transaction. The event ids are derived
from the source (order, refund, run), so any replay names the same event. The rest is idempotent by
itself, so it rides in the same update or runs after it on every replay too: the payer's sketch register
(`$max`), the stale mark (`$set`), and the payer's id (`$addToSet` while under the cap; the payer past the
cap folds the ids into the sketch and drops them: `_add_payer`). A crash between the event and its payer
step is finished by the replay; the leaders are recomputed from the source by `leaders_refresh` (hourly).

What a crash can still lose: a user created or a distributor approved whose request died between its
own write and the rollup (nothing replays those), and an event older than RECENT newer events of the
same day replayed late. `check_days` (the `refresh_stats` schedule, nightly) rebuilds days from the
source of truth, reports each drift and repairs it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs
from fenxiao.analytics import distinct, leaders, once, publish
from fenxiao.analytics.days import MAX_DAYS, MONGO_TIMEZONE, DayRange, china_today

RECENT = 5000
SHAPE = 2
COUNTERS = ("gmv", "orders", "refunds_amount", "new_users", "new_distributors")
BUCKETS = ("frozen", "settled", "reversed")


def day_of(moment: datetime) -> str:
    return china_today(moment).isoformat()


def _apply(db: Database, day: str, event_id: str, inc: Mapping[str, int], payer: str | None = None,
           titles: Mapping[str, str] | None = None, moves_leaders: bool = False) -> bool:
    """Apply one event to one day, once (`once.apply`), then its payer's id (idempotent, so on a replay
    too: that finishes a crash between the two); True if this call applied the event."""
    update: dict[str, Any] = {"$inc": {k: v for k, v in inc.items() if v}, "$setOnInsert": {"shape": SHAPE}}
    marks: dict[str, Any] = {f"products.{pid}.title": title for pid, title in (titles or {}).items()}
    if moves_leaders:
        marks["leaders_stale"] = True
    if marks:
        update["$set"] = marks
    doc = once.apply_and_read(db.daily_stats, day, event_id, update, keep=RECENT)
    applied = doc is not None
    if payer:
        doc = _add_payer(db, day, payer, doc)
    publish.day(db, day, doc)  # on a replay too (doc None: read): that finishes a crash before the publish
    return applied


def _add_payer(db: Database, day: str, payer: str, doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payer in the day's distinct payers, idempotently (so a replay finishes a crash before it):

    - under the cap: `$addToSet` of the id, while the day has room (one write);
    - past it: the sketch's register, written only when the payer raises it (rare once the registers
      fill), conditional on the sketch read, since 1,024 registers are one binary field;
    - the first payer past the cap folds the ids and itself into a new sketch and drops the ids,
      conditional on the ids read.
    A concurrent payer that changed the day first makes the condition miss: read again (bounded; a day
    still contended after that is repaired by the nightly check). Each write bumps `version` and returns
    the day as written (for its read copy); `doc` (the day as last known) if nothing needed writing, None
    if unknown."""
    if after := _written(db, _room(day, payer)):
        return after
    for _ in range(5):
        seen = db.daily_stats.find_one({"_id": day}, {"payer_ids": 1, "payers_over": 1, "payer_hll": 1}) or {}
        write = _payer_write(day, seen, payer)
        if write is None:
            return doc
        if after := _written(db, write):
            return after
    logs.warning("daily stats payer not recorded: contended", day=day)
    return None


def _written(db: Database, write: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any] | None:
    """One conditional payer write, `version` bumped; the day after it (without `applied`), None if missed."""
    query, update = write
    return db.daily_stats.find_one_and_update(query, {**update, "$inc": {"version": 1}}, publish.WITHOUT_MARKERS,
                                              return_document=ReturnDocument.AFTER)


def _room(day: str, payer: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Add the id while the day has room (`$addToSet`: a payer already in changes nothing)."""
    return ({"_id": day, "payers_over": {"$ne": True}, f"payer_ids.{distinct.CAP - 1}": {"$exists": False}},
            {"$addToSet": {"payer_ids": payer}})


def _payer_write(day: str, doc: Mapping[str, Any], payer: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The conditional write that adds `payer` to a full or sketched day as read, or None if it is in."""
    if doc.get("payers_over"):
        before = doc.get("payer_hll")
        after = distinct.sketch([payer], into=before)
        return None if after == before else ({"_id": day, "payer_hll": before}, {"$set": {"payer_hll": after}})
    ids = doc.get("payer_ids") or []
    if not doc or payer in ids:
        return None
    if len(ids) < distinct.CAP:  # room after all: never fold a day that is not full
        return _room(day, payer)
    return ({"_id": day, "payers_over": {"$ne": True}, "payer_ids": ids},
            {"$set": {"payers_over": True, "payer_ids": [], "payer_hll": distinct.sketch([*ids, payer])}})


# --- the events ----------------------------------------------------------------------------------------

def order_paid(db: Database, order: Mapping[str, Any]) -> None:
    """After commission creation fixed the order's upline (`referrer_ids`), read back if not given."""
    if order.get("paid_at") is None:
        return
    if not order.get("referrers_fixed"):
        order = {**order, **(db.orders.find_one({"_id": order["_id"]}, {"referrer_ids": 1}) or {})}
    inc: dict[str, int] = {"gmv": int((order.get("amounts") or {}).get("pay_amount") or 0), "orders": 1}
    titles: dict[str, str] = {}
    for line in order.get("lines") or []:
        pid = str(line["product_id"])
        inc[f"products.{pid}.quantity"] = inc.get(f"products.{pid}.quantity", 0) + int(line.get("quantity") or 0)
        inc[f"products.{pid}.amount"] = inc.get(f"products.{pid}.amount", 0) + int(line.get("paid") or 0)
        titles.setdefault(pid, str(line.get("title") or ""))
    _apply(db, day_of(order["paid_at"]), f"paid:{order['_id']}", inc, payer=str(order["user_id"]), titles=titles,
           moves_leaders=bool(order.get("referrer_ids")))


def refund_completed(db: Database, refund: Mapping[str, Any]) -> None:
    if refund.get("refunded_at") is not None:
        _apply(db, day_of(refund["refunded_at"]), f"refund:{refund['_id']}",
               {"refunds_amount": int(refund.get("amount") or 0)})


def user_created(db: Database, user: Mapping[str, Any]) -> None:
    _apply(db, day_of(user["created_at"]), f"user:{user['_id']}", {"new_users": 1})


def distributor_approved(db: Database, distributor: Mapping[str, Any]) -> None:
    if distributor.get("approved_at") is not None:
        _apply(db, day_of(distributor["approved_at"]), f"distributor:{distributor['_id']}", {"new_distributors": 1})


def _by_day(rows: Iterable[tuple[datetime, dict[str, int]]]) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for moment, inc in rows:
        into = days.setdefault(day_of(moment), {})
        for key, value in inc.items():
            into[key] = into.get(key, 0) + value
    return days


def commissions_created(db: Database, order_id: str, entries: Iterable[Mapping[str, Any]]) -> None:
    """The frozen entries of a paid order (as `create_for_paid_order` returns them)."""
    rows = [(e["created_at"], {"commission.frozen": int(e["amount"])}) for e in entries]
    for day, inc in _by_day(rows).items():
        _apply(db, day, f"commissions:{order_id}", inc, moves_leaders=True)


def commissions_reversed(db: Database, order_id: str, refund_id: str, among: Mapping[str, Any] | None = None
                         ) -> None:
    """What `refund_id` (a refund, or a reason such as `order-refunded`) reversed on the order's entries,
    read back from the entries' own `reversals` records (bucket `frozen` or `available` = settled).

    With `among` (a settlement shard's entries), each entry is its own event: shards reversing parts of
    one order at the same time then never hide each other's part behind one order-wide event id.
    """
    rows = []
    # index: commissions (order_id, line_index, level): an order's few entries, the refund picked here
    for entry in db.commissions.find({"order_id": order_id, **(among or {})}, {"created_at": 1, "reversals": 1}):
        for reversal in entry.get("reversals") or []:
            if reversal["refund_id"] == refund_id and reversal.get("amount"):
                amount = int(reversal["amount"])
                bucket = "frozen" if reversal.get("bucket") == "frozen" else "settled"
                inc = {f"commission.{bucket}": -amount, "commission.reversed": amount}
                if among is None:
                    rows.append((entry["created_at"], inc))
                else:
                    _apply(db, day_of(entry["created_at"]), f"reverse:{order_id}:{refund_id}:{entry['_id']}", inc,
                           moves_leaders=True)
    for day, inc in _by_day(rows).items():
        _apply(db, day, f"reverse:{order_id}:{refund_id}", inc, moves_leaders=True)


def commissions_settled(db: Database, run_id: str) -> None:
    """A settlement run's entries moved from frozen to settled (`settle_amount` each), per creation day."""
    rows = db.commissions.aggregate([
        {"$match": {"run_id": run_id}},  # index: commissions {run_id}
        {"$group": {"_id": {"$dateToString": {"format": "%Y-%m-%d", "date": "$created_at", "timezone": MONGO_TIMEZONE}},
                    "amount": {"$sum": "$settle_amount"}}},
    ])
    for row in rows:
        if row["amount"]:
            _apply(db, row["_id"], f"settle:{run_id}",
                   {"commission.frozen": -int(row["amount"]), "commission.settled": int(row["amount"])})


# --- rebuilding a day from the source of truth ---------------------------------------------------------

def _between(day: date) -> dict[str, datetime]:
    span = DayRange(day, day)
    return {"$gte": span.start, "$lt": span.end}


def _reversed_part() -> dict[str, Any]:
    return {"$ifNull": ["$reversed_amount", {"$cond": [{"$eq": ["$status", "reversed"]}, "$amount", 0]}]}


def rebuild(db: Database, day: date) -> dict[str, Any]:
    """One day's numbers recomputed from orders, refunds, users, distributors and commissions, in the
    stored shape (bounded payers and leaders)."""
    window = _between(day)
    doc: dict[str, Any] = {"shape": SHAPE, "gmv": 0, "orders": 0, "products": {}}
    payers: set[str] = set()
    sellers: dict[str, int] = {}
    for order in db.orders.find({"paid_at": window},  # index: orders {paid_at}
                                {"user_id": 1, "amounts.pay_amount": 1, "lines": 1, "referrer_ids": 1}):
        pay = int((order.get("amounts") or {}).get("pay_amount") or 0)
        doc["gmv"] += pay
        doc["orders"] += 1
        payers.add(order["user_id"])
        for line in order.get("lines") or []:
            product = doc["products"].setdefault(str(line["product_id"]), {"title": line.get("title") or "",
                                                                          "quantity": 0, "amount": 0})
            product["quantity"] += int(line.get("quantity") or 0)
            product["amount"] += int(line.get("paid") or 0)
        if order.get("referrer_ids"):
            seller = order["referrer_ids"][0]
            sellers[seller] = sellers.get(seller, 0) + pay
    refunds = list(db.refunds.aggregate([{"$match": {"refunded_at": window, "status": "refunded"}},
                                         {"$group": {"_id": None, "amount": {"$sum": "$amount"}}}]))
    doc["refunds_amount"] = int(refunds[0]["amount"]) if refunds else 0
    doc["new_users"] = db.users.count_documents({"created_at": window})
    doc["new_distributors"] = db.distributors.count_documents({"approved_at": window})
    commission = {bucket: 0 for bucket in BUCKETS}
    earned: dict[str, int] = {}
    for row in db.commissions.aggregate([
        {"$match": {"created_at": window}},  # index: commissions {created_at}
        {"$project": {"user_id": 1, "status": 1, "amount": {"$ifNull": ["$amount", 0]}, "reversed": _reversed_part()}},
        {"$group": {"_id": {"user": "$user_id", "status": "$status"},
                    "amount": {"$sum": "$amount"}, "reversed": {"$sum": "$reversed"}}},
    ]):
        net = int(row["amount"]) - int(row["reversed"])
        status = row["_id"]["status"]
        bucket = "settled" if status == "settled" else ("frozen" if status in ("frozen", "settling") else None)
        if bucket:
            commission[bucket] += net
        commission["reversed"] += int(row["reversed"])
        earned[row["_id"]["user"]] = earned.get(row["_id"]["user"], 0) + net
    doc["commission"] = commission
    return {**doc, **distinct.fields(payers), **leaders.fields(sellers, earned)}


def _comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The numbers of a stored or rebuilt day, zeros dropped (an event may leave a 0 the source lacks);
    a day in the old shape converted first. The leaders of a day marked stale are not compared: their
    recompute is pending (`refresh_leaders`), not lost."""
    numbers = {**{key: int(doc.get(key) or 0) for key in COUNTERS},
               "commission": {b: int((doc.get("commission") or {}).get(b) or 0) for b in BUCKETS},
               "products": {pid: {"quantity": int(p.get("quantity") or 0), "amount": int(p.get("amount") or 0)}
                            for pid, p in (doc.get("products") or {}).items()
                            if p.get("quantity") or p.get("amount")},
               **distinct.comparable(doc)}
    return numbers if doc.get("leaders_stale") else {**numbers, **leaders.comparable(doc)}


def _shown(value: Any) -> Any:
    """A sketch in a drift report: how many registers are set and what it estimates (not 1,024 bytes)."""
    if isinstance(value, bytes):
        return {"registers_set": len(value) - value.count(0), "estimate": distinct.estimate(value)}
    return value


OLD_FIELDS = {"sellers": "", "earned": "", "leaders_stale": ""}


def check_day(db: Database, day: date, *, repair: bool) -> dict[str, Any] | None:
    """Compare a stored day with its rebuild; the drift (None if none), repaired when asked.

    The repair is conditional on the `version` read before the rebuild: an event landing meanwhile
    leaves the day for the next check rather than being overwritten.
    """
    key = day.isoformat()
    stored = db.daily_stats.find_one({"_id": key}, {"applied": 0}) or {}
    fresh = rebuild(db, day)
    expected, found = _comparable(fresh), _comparable(stored)
    diff = {field: {"stored": _shown(found[field]), "source": _shown(expected[field])}
            for field in found if found[field] != expected[field]}
    if not diff:
        return None
    report: dict[str, Any] = {"day": key, "diff": diff, "repaired": False}
    if repair:
        values = {**fresh, "rebuilt_at": clock.now(), "leaders_at": clock.now()}
        if stored:
            result = db.daily_stats.update_one({"_id": key, "version": stored.get("version", 0)},
                                               {"$set": values, "$unset": OLD_FIELDS, "$inc": {"version": 1}})
            report["repaired"] = bool(result.modified_count)
        else:
            try:
                db.daily_stats.insert_one({"_id": key, **values, "applied": [], "version": 1})
                report["repaired"] = True
            except DuplicateKeyError:
                pass  # an event created the day meanwhile: the next check looks again
        if report["repaired"]:
            publish.day(db, key)
    logs.warning("daily stats drift", day=key, fields=sorted(diff), repaired=report["repaired"])
    return report


def check_days(db: Database, days: Iterable[date], *, repair: bool = True) -> dict[str, Any]:
    checked = list(days)
    drift = [found for day in checked if (found := check_day(db, day, repair=repair))]
    return {"checked": [d.isoformat() for d in checked], "drift": drift, "ok": not drift}


def refresh_leaders(db: Database) -> list[str]:
    """Recompute the leaders of every day an event marked stale, from that day's orders and commissions
    (the hourly `refresh_stats` run); the days refreshed. The mark is cleared only if no event landed
    since the `version` read first; otherwise the new list is written and the day stays marked."""
    refreshed = []
    for doc in list(db.daily_stats.find({"leaders_stale": True}, {"version": 1})):  # index: {leaders_stale} sparse
        fresh = rebuild(db, date.fromisoformat(doc["_id"]))
        values = {"leaders": fresh["leaders"], "leaders_rest": fresh["leaders_rest"], "leaders_at": clock.now()}
        if not db.daily_stats.update_one({"_id": doc["_id"], "version": doc.get("version", 0)},
                                         {"$set": values, "$unset": OLD_FIELDS, "$inc": {"version": 1}}
                                         ).matched_count:
            db.daily_stats.update_one({"_id": doc["_id"]}, {"$set": values, "$inc": {"version": 1}})
        publish.day(db, doc["_id"])
        refreshed.append(doc["_id"])
    return refreshed


def upgrade_days(db: Database) -> int:
    """Convert the days written before `shape` 2 in place (`ops-migrate`), from their own fields: full
    `payer_ids` → capped ids and sketch, `sellers`/`earned` → leaders. Their numbers stay what they were
    (the nightly check compares them with the source as for any day); a day an event changed meanwhile
    is left for the next run. The number converted."""
    converted = 0
    for doc in list(db.daily_stats.find({"shape": {"$exists": False}}, {"applied": 0})):  # ≤ one per day, once
        values = {"shape": SHAPE, **distinct.comparable(doc), **leaders.comparable(doc)}
        if db.daily_stats.update_one({"_id": doc["_id"], "version": doc.get("version", 0)},
                                     {"$set": values, "$unset": {"sellers": "", "earned": ""}, "$inc": {"version": 1}}
                                     ).modified_count:
            converted += 1
            publish.day(db, doc["_id"])
    return converted


def requested_days(event: Mapping[str, Any], now: datetime, back: int = 3) -> list[date]:
    """The days a check run covers: `event["days"]` when given (at most MAX_DAYS), else yesterday and the
    `back` − 1 days before it (Beijing), where late refunds, settlements and crashes land."""
    given = event.get("days")
    if given:
        if not isinstance(given, list) or len(given) > MAX_DAYS:
            raise ValueError(f"days: a list of at most {MAX_DAYS} ISO dates")
        return [date.fromisoformat(str(day)) for day in given]
    today = china_today(now)
    return [today - timedelta(days=n) for n in range(1, back + 1)]


def publish_behind(db: Database, event: Mapping[str, Any], now: datetime) -> list[str]:
    """The hourly catch-up of the dashboard's read copy (`publish.behind`): today and the days the daily
    check covers (or was given), where a crash between a write and its publish can have left a copy."""
    return publish.behind(db, [d.isoformat() for d in (china_today(now), *requested_days(event, now))])


def check_once_a_day(db: Database, event: Mapping[str, Any], now: datetime) -> dict[str, Any] | None:
    """The schedule's daily check: the first run of each Beijing day claims it (`stats_runs` marker,
    written after the check, so a crashed check runs again next hour); days given by hand always run."""
    marker = f"rollups:{china_today(now).isoformat()}"
    if not event.get("days") and db.stats_runs.count_documents({"_id": marker}, limit=1):
        return None
    report = check_days(db, requested_days(event, now))
    if not event.get("days"):
        db.stats_runs.update_one({"_id": marker}, {"$set": {"at": clock.now(), "ok": report["ok"]}}, upsert=True)
    return report


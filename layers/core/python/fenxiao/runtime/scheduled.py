"""Scheduled functions: plain handlers, because schedule events are not HTTP.

serverless-wsgi silently drops EventBridge events, and SCF timer events (`{"Type": "Timer"}`) carry no
request at all. Each schedule reads "now" from its event (EventBridge `time`, SCF `Time`, or a `now`
given by hand or by the dev server), so a run can be replayed as of any moment.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from pymongo.database import Database

from fenxiao import clock, coldstart, logs
from fenxiao.db import get_db
from fenxiao.runtime.events import is_scf_timer, timer_moment


@dataclass
class Job:
    now: datetime
    event: dict[str, Any]
    run_id: str

    @cached_property
    def db(self) -> Database:
        return get_db()


def now_of(event: dict[str, Any]) -> datetime:
    """The moment a schedule event stands for."""
    if event.get("now"):
        return clock.parse(str(event["now"]))
    if event.get("source") == "aws.events" and event.get("time"):
        return clock.parse(event["time"])
    if is_scf_timer(event):
        moment = timer_moment(event)
        if moment:
            return clock.parse(moment)
    return clock.now()


class ScheduledFunction:
    def __init__(self, name: str, run: Callable[[Job], dict[str, Any]], aws: str, scf: str,
                 fan_out: bool = False) -> None:
        self.name = name
        self.run = run
        self.aws_schedule = aws
        self.scf_cron = scf
        self.fan_out = fan_out  # may start invocations of itself (fenxiao.runtime.fan_out): deploy grants it

    def handler(self, event: dict[str, Any] | None = None, context: Any = None) -> dict[str, Any]:
        coldstart.resume()
        event = event or {}
        job = Job(now=now_of(event), event=event, run_id=uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            result = self.run(job)
        except Exception:
            # Logged, then raised: the platform counts the failed invocation, which is what the per-schedule
            # alarm and on-failure destination (serverless.yml) watch; a swallowed error would be invisible.
            logs.error("schedule failed", exc_info=True, schedule=self.name, run_id=job.run_id,
                       now=clock.iso(job.now))
            raise
        logs.info("schedule finished", schedule=self.name, run_id=job.run_id, now=clock.iso(job.now),
                  ms=round((time.perf_counter() - started) * 1000, 1), result=result)
        return result

    main_handler = handler


class TaskFunction(ScheduledFunction):
    """A one-shot run by hand after a deploy (e.g. `serverless invoke -f ops-migrate`), never on a timer."""

    def __init__(self, name: str, run: Callable[[Job], dict[str, Any]]) -> None:
        super().__init__(name, run, aws="", scf="")


def task(name: str) -> Callable[[Callable[[Job], dict[str, Any]]], TaskFunction]:
    """Declare a one-shot function: same handler and Job as a schedule, no trigger."""

    def wrap(run: Callable[[Job], dict[str, Any]]) -> TaskFunction:
        return TaskFunction(name, run)

    return wrap


def scheduled(name: str, *, aws: str, scf: str, fan_out: bool = False
              ) -> Callable[[Callable[[Job], dict[str, Any]]], ScheduledFunction]:
    """Declare a schedule: `aws` is an EventBridge expression, `scf` the 7-field SCF timer cron; `fan_out`
    lets it start asynchronous invocations of itself (fenxiao.runtime.fan_out)."""

    def wrap(run: Callable[[Job], dict[str, Any]]) -> ScheduledFunction:
        return ScheduledFunction(name, run, aws, scf, fan_out)

    return wrap

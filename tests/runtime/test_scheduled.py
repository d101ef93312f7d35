"""Scheduled handlers read "now" from EventBridge, SCF timer and hand-made events."""
from __future__ import annotations

from datetime import UTC, datetime

from fenxiao.runtime import Job, scheduled

seen: list[Job] = []


@scheduled("tick", aws="rate(5 minutes)", scf="0 */5 * * * * *")
def tick(job: Job) -> dict:
    seen.append(job)
    return {"now": job.now.isoformat()}


def test_eventbridge_event():
    result = tick.handler({"source": "aws.events", "detail-type": "Scheduled Event",
                           "time": "2026-03-01T18:00:00Z", "detail": {}}, None)
    assert result == {"now": "2026-03-01T18:00:00+00:00"}


def test_scf_timer_event():
    result = tick.handler({"Type": "Timer", "TriggerName": "tick", "Time": "2026-03-01T18:05:00Z",
                           "Message": ""}, None)
    assert result == {"now": "2026-03-01T18:05:00+00:00"}


def test_scf_timer_message_can_carry_now():
    result = tick.handler({"Type": "Timer", "Time": "2026-03-01T18:05:00Z",
                           "Message": '{"now": "2026-04-01T00:00:00+08:00"}'}, None)
    assert result == {"now": "2026-03-31T16:00:00+00:00"}


def test_manual_run_and_default_now():
    assert tick.handler({"now": "2026-05-05T05:05:05Z"})["now"] == "2026-05-05T05:05:05+00:00"
    before = datetime.now(UTC)
    tick.handler({})
    assert seen[-1].now >= before.replace(microsecond=0)
    assert tick.main_handler == tick.handler

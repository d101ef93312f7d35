"""A failed scheduled run is visible: the handler logs it and raises, so the platform counts the failed
invocation (what the Errors alarm and the on-failure destination in serverless.yml watch)."""
from __future__ import annotations

import json

import pytest

from fenxiao.runtime import Job, scheduled


@scheduled("broken", aws="rate(5 minutes)", scf="0 */5 * * * * *")
def broken(job: Job) -> dict:
    raise RuntimeError("database went away")


def test_a_failing_schedule_logs_and_raises(capsys):
    event = {"source": "aws.events", "detail-type": "Scheduled Event", "time": "2026-03-01T18:00:00Z"}
    with pytest.raises(RuntimeError, match="database went away"):
        broken.handler(event, None)
    [entry] = [json.loads(line) for line in capsys.readouterr().err.splitlines() if '"schedule failed"' in line]
    assert entry["level"] == "ERROR" and entry["schedule"] == "broken"
    assert entry["now"].startswith("2026-03-01T18:00:00") and "database went away" in entry["exc"]

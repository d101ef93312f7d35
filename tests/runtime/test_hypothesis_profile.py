"""The suite's hypothesis profile: property tests never fail on timing, and CI runs them derandomized."""
from __future__ import annotations

import os

from hypothesis import settings


def test_no_deadline_and_derandomized_exactly_in_ci() -> None:
    in_ci = os.environ.get("CI", "").lower() in ("1", "true")
    assert settings.default.deadline is None
    assert settings.default.derandomize is in_ci
    assert settings._current_profile == ("fenxiao-ci" if in_ci else "fenxiao")

"""The dashboard's query: `?from=YYYY-MM-DD&to=YYYY-MM-DD`, Beijing calendar days, both included."""
from __future__ import annotations

from datetime import date

from fenxiao.model import ConfigDict, Field, Model


class DashboardQuery(Model):
    # `ignore`: the page may add cache-busting parameters; only these two mean anything.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    date_from: date | None = Field(None, alias="from", description="first Beijing day (default: 29 days before `to`)")
    date_to: date | None = Field(None, alias="to", description="last Beijing day (default: today in Beijing)")

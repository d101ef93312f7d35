"""Hot searches (热门搜索): the words the merchant wants shoppers to tap on the search page."""
from __future__ import annotations

from typing import Annotated, Any

from pymongo.database import Database

from fenxiao.model import ConfigDict, Field, Model, StringConstraints
from fenxiao.settings.store import SettingsStore

HotWord = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class SearchSettings(Model):
    """Also the PUT body; `hot` is shown in the given order (at most 20 words)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    hot: list[HotWord] = Field(default_factory=list, max_length=20)


SEARCH = SettingsStore("settings:search", SearchSettings)


def get_search_settings(db: Database) -> SearchSettings:
    return SEARCH.get(db)


def update_search_settings(db: Database, patch: SearchSettings | dict[str, Any], *, by: str | None = None
                           ) -> SearchSettings:
    return SEARCH.update(db, patch, by=by)


def hot_searches(db: Database) -> dict[str, Any]:
    """The shop's `GET /v1/search/hot`: `{items: [word, …]}`, read through the settings cache."""
    return {"items": list(get_search_settings(db).hot)}

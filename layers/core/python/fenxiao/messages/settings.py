"""The merchant's subscribe-message settings: which WeChat template each event uses, and how.

A template id comes from the mini-program console (订阅消息 → 我的模板) after the merchant added the
template from WeChat's public library; `fields` maps each of that template's keywords (`thing3`,
`amount2`, …) to a value of the event (`goods`, `amount`, …). An event without a template is not sent.
`miniprogram_state` says which version of the mini-program a tap on the message opens.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pymongo.database import Database

from fenxiao.messages.events import EVENTS, EventName
from fenxiao.model import ConfigDict, Field, Model, StringConstraints, model_validator
from fenxiao.settings.store import SettingsStore

Keyword = Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,20}\d{1,2}$")]
ValueName = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
# A WeChat template id: word characters (Unicode's, as pydantic reads `\w`: fenxiao.model.compile) and '-'.
TemplateId = Annotated[str, StringConstraints(pattern=r"^[\w-]+$", max_length=128)]


class TemplateSetting(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    template_id: Annotated[TemplateId, StringConstraints(strip_whitespace=True)]
    fields: dict[Keyword, ValueName] = Field(min_length=1, max_length=10)


class MessageSettings(Model):
    """Also the PUT body: `templates` given replaces the whole map; left out, it keeps its value."""

    model_config = ConfigDict(extra="forbid", strict=True)

    miniprogram_state: Literal["developer", "trial", "formal"] = "formal"
    templates: dict[EventName, TemplateSetting] = Field(default_factory=dict, max_length=len(EVENTS))

    @model_validator(mode="after")
    def _known_values(self) -> MessageSettings:
        for event, template in self.templates.items():
            unknown = sorted(set(template.fields.values()) - set(EVENTS[event].values))
            if unknown:
                raise ValueError(f"{event}: unknown values {unknown}; choose from {list(EVENTS[event].values)}")
        return self


MESSAGES = SettingsStore("settings:messages", MessageSettings)


def get_message_settings(db: Database) -> MessageSettings:
    return MESSAGES.get(db)


def update_message_settings(db: Database, patch: MessageSettings | dict, *, by: str | None = None
                            ) -> MessageSettings:
    return MESSAGES.update(db, patch, by=by)


def message_settings_view(db: Database) -> dict[str, Any]:
    """GET /v1/admin/settings/messages: the settings and the event catalogue (label, values, moments)."""
    events = {name: {"label": e.label, "values": list(e.values), "moments": list(e.moments)}
              for name, e in EVENTS.items()}
    return {**get_message_settings(db).model_dump(), "events": events}

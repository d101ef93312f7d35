"""Local-stack-only helpers under /__dev/: the SMS outbox and a schedule runner (API.md, "Local stack only")."""
from __future__ import annotations

from flask import Blueprint, request

from fenxiao import clock
from fenxiao.errors import InvalidInput, NotFound
from fenxiao.runtime import registry
from fenxiao.runtime.http import error_response, json_response


def _bad_field(name: str, message: str) -> InvalidInput:
    return InvalidInput(f"`{name}` {message}", details={"fields": [{"field": name, "message": message, "in": "body"}]})


def make_blueprint(entries: list[registry.Entry]) -> Blueprint:
    blueprint = Blueprint("dev", __name__)
    schedules = {e.function.name: e.function for e in registry.scheduled_entries(entries)}

    @blueprint.get("/sms/<phone>")
    def last_sms(phone: str):  # type: ignore[no-untyped-def]
        from fenxiao.users.sms import last_outbox_message

        message = last_outbox_message(phone)
        if message is None:
            return error_response(NotFound("No SMS was sent to that phone", code="SMS_NOT_FOUND"), "dev")
        return json_response(message)

    @blueprint.post("/schedules/<name>")
    def run_schedule(name: str):  # type: ignore[no-untyped-def]
        function = schedules.get(name)
        if function is None:
            return error_response(NotFound(f"No schedule named {name}", code="SCHEDULE_NOT_FOUND",
                                           details={"known": sorted(schedules)}), "dev")
        body = request.get_json(silent=True) or {}
        if not isinstance(body, dict):
            return error_response(_bad_field("body", "must be a JSON object"), "dev")
        if body.get("now"):
            try:  # checked here: a bad value inside the schedule would be a 500, not the 400 API.md promises
                clock.parse(str(body["now"]))
            except ValueError:
                return error_response(_bad_field("now", "must be an ISO 8601 time"), "dev")
        return json_response(function.handler(body))  # the body is the event, as a hand invocation passes it

    return blueprint

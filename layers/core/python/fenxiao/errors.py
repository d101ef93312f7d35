"""Domain errors: raised by services, turned into the JSON error envelope by the runtime.

They live outside the runtime so rule modules can raise them without knowing about Flask or Lambda.
A raise site gives the stable code and the details; what a person reads comes from the error catalogue
(`fenxiao.error_catalogue`), and the site's own message is the English text for logs and for a code
the catalogue does not know.
"""
from __future__ import annotations

from typing import Any

from fenxiao.error_catalogue import Language
from fenxiao.error_messages import label_of, render


class ConfigError(RuntimeError):
    """The deployment is misconfigured; raised at start, never shown to a client in detail.

    Here rather than in `fenxiao.config` because the secret store (`fenxiao.secrets`), which config
    calls, raises it too: one error below both keeps them free of a cycle.
    """


class AppError(Exception):
    """An error the client may see: a stable code, a message and a fitting HTTP status."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}

    def to_json(self, language: Language = "zh") -> dict[str, Any]:
        """The API's error envelope, its message in `language` from the catalogue."""
        message = render(self.code, self.details, language, self.message)
        return {"error": {"code": self.code, "message": message, "details": self.details}}


class InvalidInput(AppError):
    status, code = 400, "INVALID_INPUT"


def validation_fields(errors: list[Any], where: str | None = None, model: type[Any] | None = None
                      ) -> list[dict[str, Any]]:
    """pydantic's `ValidationError.errors()` as `details.fields`: `field`, its Chinese `label` (the
    model's declared title, else the common name of its key: the page shows 售价, not `skus.0.price`),
    pydantic's `message`, `in`, and its `type` and scalar limits (`ctx`) that the catalogue words in
    Chinese (数量需为整数)."""
    fields = []
    for err in errors:
        label = label_of(model, err["loc"])
        item = {"field": ".".join(str(p) for p in err["loc"]) or where or "body", "message": err["msg"],
                **({"label": label} if label else {}), **({"in": where} if where else {}), "type": err["type"]}
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, int | float | str)}
        fields.append({**item, "ctx": ctx} if ctx else item)
    return fields


class Unauthorized(AppError):
    status, code = 401, "UNAUTHORIZED"


class Forbidden(AppError):
    status, code = 403, "FORBIDDEN"


class NotFound(AppError):
    status, code = 404, "NOT_FOUND"


class Conflict(AppError):
    """A state conflict: the object is not in the state the action needs (or a race was lost)."""

    status, code = 409, "CONFLICT"


class BusinessRule(AppError):
    """Well-formed input that a business rule refuses."""

    status, code = 422, "BUSINESS_RULE"


class PayloadTooLarge(AppError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class RateLimited(AppError):
    status, code = 429, "RATE_LIMITED"


class UpstreamError(AppError):
    """WeChat or another provider failed; the client may retry."""

    status, code = 502, "UPSTREAM_ERROR"

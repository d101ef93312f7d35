"""Structured JSON logs, one line per event, always carrying the request id."""
from __future__ import annotations

import json
import logging
import sys
from typing import Any

_logger = logging.getLogger("fenxiao")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"level": record.levelname, "msg": record.getMessage(), "logger": record.name}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (Lambda and SCF capture it; so do tests)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _configure() -> None:
    if not any(isinstance(h, _StderrHandler) for h in _logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(_JsonFormatter())
        _logger.addHandler(handler)
        _logger.setLevel(logging.INFO)
        _logger.propagate = False


def log(level: int, msg: str, exc_info: bool = False, **fields: Any) -> None:
    _configure()
    _logger.log(level, msg, exc_info=exc_info, extra={"fields": fields})


def info(msg: str, **fields: Any) -> None:
    log(logging.INFO, msg, **fields)


def warning(msg: str, **fields: Any) -> None:
    log(logging.WARNING, msg, **fields)


def error(msg: str, exc_info: bool = False, **fields: Any) -> None:
    log(logging.ERROR, msg, exc_info=exc_info, **fields)

"""Dates and times from text or numbers, as pydantic reads them (its `speedate` library), with its errors.

RFC 3339 with the separators `T`, `t`, `_` or a space, an optional fraction (`.` or `,`; digits past the
sixth dropped) and an optional offset (`Z`, `±HH:MM`, `±HHMM`); or a Unix timestamp, in seconds, or in
milliseconds above 2·10¹⁰. The `ParseError` texts are pydantic's `ctx.error`, which clients see.
"""
from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, timezone

MS_WATERSHED = 20_000_000_000
_UNIX_0000 = -62_167_219_200
_UNIX_9999 = 253_402_300_799


class ParseError(ValueError):
    pass


def _digit(text: bytes, index: int, what: str) -> int:
    if index < len(text) and 48 <= text[index] <= 57:
        return text[index] - 48
    raise ParseError(what if what.startswith("invalid") else f"invalid character in {what}")


def _date_prefix(text: bytes) -> date:
    if len(text) < 10:
        raise ParseError("input is too short")
    year = sum(_digit(text, i, "year") * 10 ** (3 - i) for i in range(4))
    if text[4:5] != b"-":
        raise ParseError("invalid date separator, expected `-`")
    month = _digit(text, 5, "month") * 10 + _digit(text, 6, "month")
    if text[7:8] != b"-":
        raise ParseError("invalid date separator, expected `-`")
    day = _digit(text, 8, "day") * 10 + _digit(text, 9, "day")
    if not 1 <= month <= 12:
        raise ParseError("month value is outside expected range of 1-12")
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    if not 1 <= day <= days:
        raise ParseError("day value is outside expected range")
    return date(year, month, day)


def _time_at(text: bytes, at: int) -> tuple[time, int]:
    if len(text) - at < 5:
        raise ParseError("input is too short")
    hour = _digit(text, at, "hour") * 10 + _digit(text, at + 1, "hour")
    if text[at + 2:at + 3] != b":":
        raise ParseError("invalid time separator, expected `:`")
    minute = _digit(text, at + 3, "minute") * 10 + _digit(text, at + 4, "minute")
    if hour > 23:
        raise ParseError("hour value is outside expected range of 0-23")
    if minute > 59:
        raise ParseError("minute value is outside expected range of 0-59")
    position, second, micro = at + 5, 0, 0
    if text[position:position + 1] == b":":
        second = _digit(text, at + 6, "second") * 10 + _digit(text, at + 7, "second")
        if second > 59:
            raise ParseError("second value is outside expected range of 0-59")
        position = at + 8
        if text[position:position + 1] in (b".", b","):
            position += 1
            digits = 0
            while position + digits < len(text) and 48 <= text[position + digits] <= 57:
                digits += 1
            if digits == 0:
                raise ParseError("second fraction digits missing after `.`")
            micro = int(text[position:position + min(digits, 6)].ljust(6, b"0"))
            position += digits
    return time(hour, minute, second, micro), position


def _offset(text: bytes, position: int) -> tuple[timezone | None, int]:
    if position >= len(text):
        return None, position
    sign_char = text[position:position + 1]
    position += 1
    if sign_char in (b"Z", b"z"):
        return UTC, position
    if sign_char == b"\xe2":  # U+2212 MINUS SIGN, which ISO 8601 allows for a negative offset
        if text[position:position + 2] != b"\x88\x92":
            raise ParseError("invalid timezone sign")
        position += 2
    elif sign_char not in (b"+", b"-"):
        raise ParseError("invalid timezone sign")
    sign = 1 if sign_char == b"+" else -1
    hours = _digit(text, position, "invalid timezone hour") * 10 + _digit(text, position + 1, "invalid timezone hour")
    after = text[position + 2:position + 3]
    if after == b":":
        position += 3
        first = _digit(text, position, "invalid timezone minute")
    elif after and 48 <= after[0] <= 57:
        position += 2
        first = after[0] - 48
    else:
        raise ParseError("invalid timezone minute")
    minutes = first * 10 + _digit(text, position + 1, "invalid timezone minute")
    if minutes >= 60:
        raise ParseError("timezone minute value is outside expected range of 0-59")
    seconds = sign * (hours * 3600 + minutes * 60)
    if abs(seconds) >= 24 * 3600:
        raise ParseError("timezone offset must be less than 24 hours")
    return timezone(timedelta(seconds=seconds)), position + 2


def _rfc3339(text: bytes) -> datetime:
    day = _date_prefix(text)
    if text[10:11] not in (b"T", b"t", b" ", b"_") or len(text) < 11:
        raise ParseError("invalid datetime separator, expected `T`, `t`, `_` or space")
    clock, position = _time_at(text, 11)
    zone, position = _offset(text, position)
    if len(text) > position:
        raise ParseError("unexpected extra characters at the end of the input")
    return datetime.combine(day, clock, zone)


def _number(text: bytes) -> int | float | None:
    """speedate's number syntax: an optional sign and ASCII digits, a float only when a `.` follows them."""
    body = text[1:] if text[:1] in (b"+", b"-") else text
    digits = len(body) - len(body.lstrip(b"0123456789"))
    if digits == len(body) and digits:
        value = int(body)
        return -value if text[:1] == b"-" else value
    if (digits and body[digits:digits + 1] == b".") or (not digits and body[:1] == b"."):
        try:
            return float(text)
        except ValueError:
            return None
    return None


def from_number(value: int | float) -> datetime:
    """A Unix timestamp in seconds, or milliseconds above MS_WATERSHED; aware UTC."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError("input is too short")
        if abs(value) > MS_WATERSHED:
            value /= 1000
        seconds = math.floor(value)
        micro = round((value - seconds) * 1_000_000)
    else:
        seconds, micro = value, 0
        if abs(value) > MS_WATERSHED:
            seconds, rest = divmod(value, 1000)
            micro = rest * 1000
    seconds += micro // 1_000_000
    micro %= 1_000_000
    if seconds < _UNIX_0000:
        raise ParseError("dates before 0000 are not supported as unix timestamps")
    if seconds > _UNIX_9999:
        raise ParseError("dates after 9999 are not supported as unix timestamps")
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=micro)


def parse_datetime(value: str) -> datetime:
    """speedate reads bytes: lengths and positions are those of the UTF-8 encoding."""
    text = value.encode("utf-8", "surrogatepass")
    try:
        return _rfc3339(text)
    except ParseError:
        number = _number(text)
        if number is None:
            raise
        return from_number(number)


def parse_date(value: str) -> date:
    text = value.encode("utf-8", "surrogatepass")
    try:
        day = _date_prefix(text)
        if len(text) > 10:
            raise ParseError("unexpected extra characters at the end of the input")
        return day
    except ParseError:
        number = _number(text)
        if not isinstance(number, int):
            raise
        moment = from_number(number)
        if moment.time() != time():
            raise ParseError("Timestamp is not an exact date") from None
        return moment.date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time())

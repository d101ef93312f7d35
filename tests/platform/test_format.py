"""Template values shaped by keyword kind, so WeChat never refuses a message for a value's form."""
from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from fenxiao.messages.format import keyword_type, render_data, render_value, yuan
from infra.local.wechat_emulator.subscribe import _RULES


@given(st.integers(min_value=0, max_value=10**10))
def test_yuan_is_exact_fen(fen):
    text = yuan(fen)
    whole, cents = text[1:].split(".")
    assert text.startswith("¥") and int(whole) * 100 + int(cents) == fen and len(cents) == 2


@given(st.one_of(st.text(min_size=0, max_size=80), st.text(alphabet="ABC123-", min_size=30, max_size=60)))
def test_every_text_fits_the_kind_wechat_checks(text):
    for keyword in ("thing1", "character_string2", "phrase3", "name4"):
        value = render_value(keyword, text)
        assert _RULES[keyword_type(keyword)](value), (keyword, text, value)


def test_times_are_beijing_and_amounts_yuan():
    moment = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
    assert render_value("time4", moment) == "2026-01-02 00:30"
    assert render_value("date2", moment) == "2026-01-02"
    assert render_value("amount2", 1990) == "¥19.90"
    assert render_value("thing3", "一" * 25) == "一" * 19 + "…"
    assert render_data({"thing1": "goods", "number2": "size"}, {"goods": "耳机", "size": 3}) == \
        {"thing1": "耳机", "number2": "3"}
    assert render_data({"thing1": "missing"}, {}) == {"thing1": "-"}

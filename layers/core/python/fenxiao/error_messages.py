"""The `message` of an error envelope: the catalogue's wording in the caller's language.

Chinese unless the caller prefers English (`Accept-Language`, q-values honoured), because the shoppers
and merchants are Chinese and a client that says nothing should still get the product's language.
Invalid input is worded from `details.fields` so the person learns which field is wrong in words they
know (数量需为整数), while `details` itself stays the machine-readable list clients already read.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, get_args

from fenxiao.error_catalogue import CATALOGUE, Language

if TYPE_CHECKING:
    from fenxiao.model import BaseModel

_LANGUAGE_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def language(accept_language: str | None) -> Language:
    """'en' when the caller's most preferred language (by q-value, then order) is English, else 'zh'."""
    best: tuple[float, str] | None = None
    for part in (accept_language or "").split(","):
        match = _LANGUAGE_RANGE.match(part)
        if not match:
            continue
        try:
            q = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            continue
        if 0 < q <= 1 and (best is None or q > best[0]):
            best = (q, match.group(1).lower())
    return "en" if best is not None and best[1].split("-")[0] == "en" else "zh"


# Chinese names of the fields people fill in most; a field not listed is named by its key.
FIELD_LABELS = {
    "cursor": "翻页位置",
    "quantity": "数量", "price": "售价", "original_price": "划线价", "stock": "库存", "phone": "手机号",
    "name": "名称", "reason": "原因", "amount": "金额", "title": "标题", "description": "描述",
    "code": "验证码", "username": "用户名", "password": "密码", "nickname": "昵称", "avatar": "头像",
    "receiver": "收货人", "province": "省份", "city": "城市", "district": "区县", "detail": "详细地址",
    "address": "地址", "address_id": "收货地址", "sku_id": "商品规格", "product_id": "商品",
    "category_id": "分类", "skus": "商品规格", "specs": "规格", "images": "图片", "image": "图片",
    "cover": "封面图", "min_amount": "使用门槛", "discount": "优惠金额", "total": "发放总量",
    "per_user_limit": "每人限领", "start_at": "开始时间", "end_at": "结束时间", "rates": "佣金比例",
    "levels": "分销层级", "coupon_id": "优惠券", "remark": "备注", "note": "备注", "lines": "商品",
    "items": "商品", "group_size": "成团人数", "group_price": "拼团价", "real_name": "真实姓名",
    "tracking_no": "运单号", "delivery_id": "物流公司", "sort": "排序", "status": "状态",
    "page": "页码", "page_size": "每页条数", "from": "开始日期", "to": "结束日期", "q": "搜索词",
    "validity": "有效期",
    "body": "请求内容", "Idempotency-Key": "请求标识",
}

# pydantic's error type → (Chinese, English) wording of the problem; {names} come from its context.
_PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("必填", "is required"),
    "int_type": ("需为整数", "must be an integer"),
    "int_parsing": ("需为整数", "must be an integer"),
    "int_from_float": ("需为整数", "must be an integer"),
    "bool_type": ("需为是或否", "must be true or false"),
    "string_type": ("需为文字", "must be text"),
    "greater_than": ("需大于 {gt}", "must be greater than {gt}"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "less_than": ("需小于 {lt}", "must be less than {lt}"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "string_too_short": ("至少 {min_length} 个字", "must have at least {min_length} characters"),
    "string_too_long": ("最多 {max_length} 个字", "must have at most {max_length} characters"),
    "too_short": ("至少 {min_length} 项", "must have at least {min_length} entries"),
    "too_long": ("最多 {max_length} 项", "must have at most {max_length} entries"),
    "string_pattern_mismatch": ("格式不正确", "has the wrong format"),
    "literal_error": ("取值无效", "is not one of the allowed values"),
    "enum": ("取值无效", "is not one of the allowed values"),
    "extra_forbidden": ("是不认识的字段", "is not a known field"),
    "datetime_parsing": ("需为日期时间", "must be a date and time"),
    "datetime_from_date_parsing": ("需为日期时间", "must be a date and time"),
    "date_parsing": ("需为日期", "must be a date"),
    "json_invalid": ("不是有效的 JSON", "is not valid JSON"),
    "dict_type": ("需为 JSON 对象", "must be a JSON object"),
    "model_type": ("需为 JSON 对象", "must be a JSON object"),
    "list_type": ("需为列表", "must be a list"),
    # problems the services find themselves (with the same `type` in details.fields)
    "length": ("长度需为 {min_length} 到 {max_length} 个字符", "must have {min_length} to {max_length} characters"),
    "after_end": ("不能晚于结束日期", "must not be after the end date"),
    "range_too_long": ("最多 {max_days} 天", "may span at most {max_days} days"),
    "cursor": ("已失效，请从第一页重新加载", "is not a cursor this list gave out"),
    "window": ("设置有误，请检查开始与结束时间", "is not a valid time window"),
    "quantity_over_limit": ("中每种最多购买 {max} 件", "may hold at most {max} units of one item"),
}
_UNKNOWN_PROBLEM = ("填写有误", "is invalid")
_MAX_FIELDS_NAMED = 3


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's type holds: itself, or inside Optional / a union / a list / a dict's values."""
    from fenxiao.model import BaseModel  # local for cold start: only a validation error (models loaded) gets here

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def label_of(model: type[BaseModel] | None, loc: Sequence[Any]) -> str | None:
    """The Chinese name of the field at pydantic's `loc`: the `title` its model declares
    (`Field(title="售价")`), else FIELD_LABELS by its key; None when no part of the path is named.

    Walks the model along the path through lists, dicts and unions (a union member's tag in the path
    is skipped), so `skus.0.price` finds SkuIn.price's title.
    """
    candidates = [model] if model else []
    title: str | None = None
    name: str | None = None
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            continue
        fields = [(f, m) for m in candidates for key, f in m.model_fields.items() if part in (key, f.alias)]
        if not fields:
            if not any(m.__name__ == part for m in candidates) and not str(part).startswith(("function-", "literal")):
                name, title, candidates = str(part), None, []
            continue
        field = fields[0][0]
        name, title = str(part), field.title
        candidates = _models_in(field.annotation)
    return title or (FIELD_LABELS.get(name, name) if name else None)


def field_label(path: str, lang: Language, label: str | None = None) -> str:
    """`skus.0.price` → 售价 (the declared label, else the last named part); English keeps the path."""
    if lang == "en":
        return path
    if label:
        return label
    names = [part for part in str(path).split(".") if part and not part.isdigit()]
    return FIELD_LABELS.get(names[-1], names[-1]) if names else str(path)


def _problem(item: Mapping[str, Any], lang: Language) -> str:
    zh, en = _PROBLEMS.get(str(item.get("type")), _UNKNOWN_PROBLEM)
    text = zh if lang == "zh" else en
    try:
        return text.format_map(item.get("ctx") or {})
    except (KeyError, ValueError, IndexError):
        return _UNKNOWN_PROBLEM[0] if lang == "zh" else _UNKNOWN_PROBLEM[1]


def _fields_message(fields: list[Any], lang: Language) -> str | None:
    named = [f for f in fields if isinstance(f, Mapping) and f.get("field")]
    if not named:
        return None
    parts = [f"{field_label(f['field'], lang, f.get('label'))}{'' if lang == 'zh' else ' '}{_problem(f, lang)}"
             for f in named[:_MAX_FIELDS_NAMED]]
    more = len(named) - _MAX_FIELDS_NAMED
    if lang == "zh":
        return "请检查：" + "；".join(parts) + (f"（另有 {more} 处）" if more > 0 else "")
    return "Some fields are invalid: " + "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def render(code: str, details: Mapping[str, Any], lang: Language, fallback: str) -> str:
    """The message for `code` in `lang`; `fallback` (the raise site's text) only for a code not catalogued."""
    if code == "INVALID_INPUT":
        fields = details.get("fields")
        if not isinstance(fields, list) and isinstance(details.get("field"), str):
            fields = [{"field": details["field"]}]
        worded = _fields_message(fields, lang) if isinstance(fields, list) else None
        if worded:
            return worded
    entry = CATALOGUE.get(code)
    return entry.message(lang, details) if entry else fallback

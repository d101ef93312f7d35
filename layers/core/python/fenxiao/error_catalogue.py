"""The error catalogue: every code the API answers with, its HTTP status and what a person reads.

Raise sites pass a stable code (and the details); the message a shopper or merchant sees comes from here,
Chinese by default and English for `Accept-Language: en` (API.md), so the wording is written once and
the same everywhere, and no English reaches a Chinese screen. A message may name details with `{key}`
(`{key:yuan}` shows an amount in fen as yuan): it is used when the error's details carry every such key,
the plain message otherwise. COUPON_NOT_APPLICABLE and
COUPON_NOT_CLAIMABLE are worded by their `details.reason`. docs/errors.md is generated from this table
(`infra/errors_doc.py --check` in `make test` keeps it current), and tests check that every code raised in
the sources is listed with the status it is raised with, and that no entry is dead.
"""
from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["zh", "en"]


class _Formatter(string.Formatter):
    """`{amount:yuan}`: integer fen as yuan (1990 → 19.90); other specs as Python formats them."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "yuan":
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError("yuan needs an integer number of fen")
            return f"{value // 100}.{value % 100:02d}" if value >= 0 else f"-{-value // 100}.{-value % 100:02d}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


@dataclass(frozen=True)
class Entry:
    status: int
    zh: str
    en: str
    zh_detailed: str | None = None  # with {placeholders} filled from details, when they all are there
    en_detailed: str | None = None
    reasons: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # details.reason → (zh, en)

    def message(self, language: Language, details: Mapping[str, Any]) -> str:
        reason = self.reasons.get(str(details.get("reason")))
        if reason:
            return reason[0] if language == "zh" else reason[1]
        detailed = self.zh_detailed if language == "zh" else self.en_detailed
        if detailed and all(name in details for name in placeholders(detailed)):
            try:
                return _FORMATTER.vformat(detailed, (), dict(details))
            except (ValueError, TypeError):
                pass  # a detail of another shape than the wording expects: say it without the detail
        return self.zh if language == "zh" else self.en


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def _e(status: int, zh: str, en: str, zh_detailed: str | None = None, en_detailed: str | None = None,
       **reasons: tuple[str, str]) -> Entry:
    return Entry(status, zh, en, zh_detailed, en_detailed, reasons)


_TRY_AGAIN = ("操作冲突，请稍后重试", "A concurrent change got in the way; try again")

CATALOGUE: dict[str, Entry] = {
    # --- the runtime: every route ---------------------------------------------------------------
    "INVALID_INPUT": _e(400, "填写的内容有误，请检查后再提交", "Some fields are invalid"),
    "PAGE_TOO_DEEP": _e(400, "页码太大：按页码只能翻前几页，更多内容请带上一页返回的 next_cursor 继续翻页",
                        "Page numbers reach the first pages only: follow next_cursor for the rest",
                        "页码太大：按页码最多翻到第 {max_page} 页，更多内容请带上一页返回的 next_cursor 继续翻页",
                        "Page numbers reach page {max_page} at most: follow next_cursor for the rest"),
    "AUTH_REQUIRED": _e(401, "请先登录", "Sign in first"),
    "TOKEN_EXPIRED": _e(401, "登录已过期，请重新登录", "The sign-in has expired; sign in again"),
    "TOKEN_INVALID": _e(401, "登录状态无效，请重新登录", "The sign-in is invalid; sign in again"),
    "USER_NOT_FOUND": _e(401, "账号不存在，请重新登录", "This account no longer exists; sign in again"),
    "WRONG_TOKEN_KIND": _e(403, "当前登录身份不能进行此操作", "This sign-in cannot be used here"),
    "ROLE_FORBIDDEN": _e(403, "您的角色没有此操作的权限", "Your admin role may not do this"),
    "ROUTE_NOT_FOUND": _e(404, "请求的接口不存在", "No such route"),
    "METHOD_NOT_ALLOWED": _e(405, "该接口不支持此请求方法", "Method not allowed on this route"),
    "PAYLOAD_TOO_LARGE": _e(413, "提交的内容太大", "The request body is too large",
                            "提交的内容太大（最多 {max_bytes} 字节）",
                            "The request body may be at most {max_bytes} bytes"),
    "INTERNAL": _e(500, "系统繁忙，请稍后再试", "Something went wrong on our side; try again"),
    "UPSTREAM_ERROR": _e(502, "微信服务暂时不可用，请稍后再试", "WeChat is unavailable; try again"),
    "IDEMPOTENCY_IN_PROGRESS": _e(409, "正在处理，请稍候", "The same request is still being processed"),
    "IDEMPOTENCY_KEY_REUSED": _e(422, "重复的请求标识，请刷新后重试",
                                 "This Idempotency-Key was already used with a different request"),
    "CONTENT_RISKY": _e(422, "内容含有违规信息，请修改后再提交", "The text contains content that is not allowed"),
    "NO_ITEMS": _e(400, "没有可计价的商品", "There is nothing to price"),
    # --- sign-in, accounts, addresses ---------------------------------------------------------------
    "ADMIN_LOGIN_FAILED": _e(401, "用户名或密码错误", "Wrong username or password"),
    "ADMIN_LOGIN_THROTTLED": _e(429, "登录失败次数过多，请稍后再试", "Too many failed sign-ins; try again later",
                                "登录失败次数过多，请 {retry_after_seconds} 秒后再试",
                                "Too many failed sign-ins; try again in {retry_after_seconds} seconds"),
    "ADMIN_GONE": _e(401, "该管理员账号已不可用，请重新登录", "This admin account no longer has access"),
    "STAFF_NOT_FOUND": _e(404, "员工账号不存在", "No such staff account"),
    "USERNAME_TAKEN": _e(409, "该用户名已被使用", "This username is taken"),
    "LAST_OWNER": _e(409, "至少要保留一个可用的店主账号", "The shop needs at least one enabled owner"),
    "STAFF_CHANGED": _e(409, *_TRY_AGAIN),
    "ADMIN_PASSWORD_WRONG": _e(422, "原密码不正确", "The current password is wrong"),
    "LOGIN_CONFLICT": _e(409, *_TRY_AGAIN),
    "WECHAT_CODE_INVALID": _e(422, "微信登录凭证无效或已过期，请重试", "The WeChat login code is invalid or expired"),
    "PHONE_IN_USE": _e(409, "该手机号已被其他账号使用", "This phone number belongs to another account"),
    "SMS_TOO_FREQUENT": _e(429, "验证码发送太频繁，请稍后再试", "A code was sent moments ago; wait and try again",
                           "验证码发送太频繁，请 {retry_after} 秒后再试",
                           "A code was sent moments ago; try again in {retry_after} seconds"),
    "SMS_DAILY_LIMIT": _e(429, "该手机号今日接收验证码次数已达上限，请明天再试",
                          "This phone has received today's maximum of codes; try again tomorrow"),
    "SMS_IP_LIMIT": _e(429, "当前网络请求验证码过多，请稍后再试", "Too many codes requested from this network"),
    "SMS_UNAVAILABLE": _e(503, "短信服务暂不可用，请稍后再试或使用微信登录",
                          "SMS sign-in is not available right now; try later or sign in with WeChat"),
    "SMS_SEND_FAILED": _e(502, "短信发送失败，请稍后再试", "The SMS could not be sent; try again later"),
    "SMS_CODE_INVALID": _e(422, "验证码错误，请重新获取", "The code is wrong; request a new one"),
    "SMS_CODE_EXPIRED": _e(422, "验证码已过期，请重新获取", "This code has expired; request a new one"),
    "SMS_CODE_USED": _e(422, "验证码已使用，请重新获取", "This code was already used; request a new one"),
    "SMS_CODE_LOCKED": _e(429, "验证码错误次数过多，请重新获取", "Too many wrong codes; request a new one"),
    "ADDRESS_NOT_FOUND": _e(404, "收货地址不存在", "No such address"),
    "ADDRESS_LIMIT": _e(422, "收货地址数量已达上限，请先删除一个", "Too many addresses; delete one first",
                        "最多保存 {limit} 个收货地址，请先删除一个", "You can keep at most {limit} addresses"),
    "ADDRESS_DEFAULT_CONFLICT": _e(409, *_TRY_AGAIN),
    # --- catalogue ------------------------------------------------------------------------------
    "BANNER_NOT_FOUND": _e(404, "轮播图不存在", "No such banner"),
    "MATERIAL_NOT_FOUND": _e(404, "推广素材不存在", "No such promotion material"),
    "POSTER_TEMPLATE_NOT_FOUND": _e(404, "海报模板不存在", "No such poster template"),
    "PRODUCT_NOT_FOUND": _e(404, "商品不存在或已下架", "No such product, or it is no longer on sale"),
    "PRODUCT_OFF_SALE": _e(422, "商品已下架", "This product is not on sale"),
    "PRODUCT_EDIT_CONFLICT": _e(409, "商品已被他人修改，请刷新后再试", "The product was changed meanwhile; reload"),
    "SKU_NOT_FOUND": _e(404, "该商品规格已不存在", "This item no longer exists"),
    "CATEGORY_NOT_FOUND": _e(404, "分类不存在", "No such category"),
    "CATEGORY_IN_USE": _e(409, "该分类下还有子分类或商品，请先移走再删除",
                          "The category still holds subcategories or products",
                          "该分类下还有 {children} 个子分类、{products} 个商品（含已删除商品），请先移走再删除",
                          "The category still holds {children} subcategories and {products} products"),
    "CATEGORY_CYCLE": _e(422, "分类不能移到自己或自己的子分类下", "A category cannot move under itself"),
    "UNKNOWN_CATEGORY": _e(422, "所选分类不存在", "The category does not exist"),
    "UNKNOWN_SHIPPING_TEMPLATE": _e(422, "所选运费模板不存在", "The shipping template does not exist"),
    "SHIPPING_TEMPLATE_NOT_FOUND": _e(404, "运费模板不存在", "No such shipping template"),
    "REVIEW_NOT_FOUND": _e(404, "评价不存在", "No such review"),
    "REVIEW_EXISTS": _e(409, "该商品已经评价过了", "This item has already been reviewed"),
    "REVIEW_LINE_NOT_FOUND": _e(404, "订单中没有该商品", "This item is not in the order"),
    "ORDER_NOT_REVIEWABLE": _e(409, "订单完成后才能评价", "Only a completed order can be reviewed"),
    "SHIPPING_TEMPLATE_IN_USE": _e(409, "还有商品在使用该运费模板，请先为这些商品更换模板",
                                   "Products still use this shipping template; move them first"),
    "UNKNOWN_PARENT_CATEGORY": _e(422, "上级分类不存在", "The parent category does not exist"),
    "UNKNOWN_PRODUCT": _e(422, "所选商品不存在", "The product does not exist"),
    "UNKNOWN_SKU": _e(422, "所选规格不存在或已删除", "Some SKUs do not exist or were removed"),
    "DUPLICATE_SPEC_NAME": _e(422, "规格名称重复", "Each spec name may be declared once"),
    "DUPLICATE_SPEC_VALUE": _e(422, "同一规格下有重复的规格值", "A spec lists a value twice",
                               "规格「{spec}」下有重复的规格值", "Spec {spec} lists a value twice"),
    "DUPLICATE_SKU": _e(422, "有两个 SKU 的规格组合相同", "Two SKUs have the same spec combination"),
    "SKU_SPECS_MISMATCH": _e(422, "每个 SKU 需为每个规格各选一个值", "A SKU must give one value for each spec"),
    "SKU_SPEC_VALUE_UNKNOWN": _e(422, "SKU 使用了未定义的规格值", "A SKU uses a spec value that is not declared",
                                 "规格「{spec}」没有「{value}」这个值", "{value} is not a declared value of {spec}"),
    "SKU_ORIGINAL_BELOW_PRICE": _e(422, "划线价不能低于售价", "The original price cannot be below the price"),
    "COMMISSION_EXCEEDS_PRICE": _e(422, "固定佣金合计不能达到或超过最低售价",
                                   "Fixed commissions add up to the cheapest SKU's price or more"),
    "UPLOAD_TYPE_MISMATCH": _e(400, "文件内容与文件类型不符", "The file does not match its type"),
    "ASSET_NOT_FOUND": _e(404, "文件不存在", "No such file"),
    # --- cart and orders ------------------------------------------------------------------------
    "CART_EMPTY": _e(422, "购物车里还没有选中的商品", "No items are selected in your cart"),
    "CART_FULL": _e(422, "购物车商品种类已达上限", "The cart is full",
                    "购物车最多放 {max_lines} 种商品", "A cart holds at most {max_lines} different items"),
    "CART_BUSY": _e(409, *_TRY_AGAIN),
    "CART_ITEM_NOT_FOUND": _e(404, "购物车中没有该商品", "This item is not in your cart"),
    "OUT_OF_STOCK": _e(422, "库存不足", "Not enough stock", "库存不足：需要 {requested} 件，仅剩 {stock} 件",
                       "Not enough stock: {requested} wanted, {stock} left"),
    "QUANTITY_EXCEEDS_STOCK": _e(422, "库存不足", "Not enough stock", "库存不足，仅剩 {stock} 件",
                                 "Only {stock} left in stock"),
    "QUANTITY_EXCEEDS_LIMIT": _e(422, "超出单件商品的购买数量上限", "Too many of one item",
                                 "每单最多购买 {max} 件", "At most {max} of one item per order"),
    "TOO_MANY_LINES": _e(422, "一个订单的商品种类太多", "Too many different items in one order",
                         "一个订单最多 {max_lines} 种商品", "An order holds at most {max_lines} different items"),
    "ORDER_NOT_FOUND": _e(404, "订单不存在", "No such order"),
    "EXPORT_TOO_LARGE": _e(422, "要导出的订单太多，请缩短日期范围", "Too many orders for one export; choose fewer days",
                           "要导出的订单有 {orders} 单，一次最多 {max_orders} 单，请缩短日期范围",
                           "{orders} orders match; one export holds at most {max_orders}: choose fewer days"),
    "REGION_NOT_DELIVERED": _e(422, "部分商品不支持配送到该地址，请更换地址或移除这些商品",
                               "Some items are not delivered to this address",
                               "部分商品不支持配送到{province}{city}，请更换地址或移除这些商品",
                               "Some items are not delivered to {province} {city}"),
    "PRICE_CHANGED": _e(409, "订单金额有变化，请确认新的金额后再提交", "The price changed since you saw it",
                        "订单金额已变为 {pay_amount:yuan} 元，请确认后再提交",
                        "The amount is now {pay_amount:yuan} yuan; confirm it and try again"),
    "ORDER_NOT_PLACING": _e(409, "订单状态已变化，请刷新", "The order is no longer being placed"),
    "ORDER_NOT_PAYABLE": _e(409, "订单当前不能支付", "The order cannot be paid now"),
    "ORDER_NOT_CANCELLABLE": _e(409, "订单当前不能取消", "The order cannot be cancelled now"),
    "ORDER_NOT_CLOSABLE": _e(409, "订单当前不能关闭", "The order cannot be closed now"),
    "ORDER_NOT_SHIPPABLE": _e(409, "订单当前不能发货", "The order cannot be shipped now"),
    "ORDER_NOT_CONFIRMABLE": _e(409, "订单当前不能确认收货", "The order cannot be confirmed now"),
    "ORDER_NOT_REFUNDABLE": _e(409, "订单当前不能退款", "The order cannot be refunded now"),
    "ORDER_CHANGED": _e(409, "订单状态已变化，请刷新后再试", "The order changed meanwhile; reload it"),
    "ORDER_PRICE_NOT_CHANGEABLE": _e(409, "只有待支付的订单可以改价", "Only an unpaid order's price can change"),
    "ORDER_PRICE_OUT_OF_RANGE": _e(422, "新金额需在运费与下单金额之间", "The new amount is out of range",
                                   "新金额需在 {min:yuan} 元与 {max:yuan} 元之间",
                                   "The new amount must be between {min:yuan} and {max:yuan} yuan"),
    "ORDER_EXPIRED": _e(409, "订单已超时关闭", "The time to pay this order has run out"),
    "ORDER_PAYMENT_IN_PROGRESS": _e(409, "订单刚刚支付，稍后即显示为已支付",
                                    "This order has just been paid; it will show as paid in a moment"),
    "SHIP_LINES_INVALID": _e(422, "发货数量超过了该订单待发货的数量", "More units than are left to ship"),
    "GROUP_NOT_COMPLETE": _e(409, "拼团尚未成功，暂不能发货", "The order's group buy has not succeeded yet"),
    "CARRIER_UNKNOWN": _e(422, "物流公司不在微信支持的列表中，请从列表中选择",
                          "The carrier is not one WeChat knows; pick one from the list"),
    "TRACKING_NOT_FOUND": _e(404, "该订单还没有物流信息", "No tracking information yet"),
    "SHIPPING_UPLOAD_NOT_FOUND": _e(404, "该订单没有需要上传的发货信息", "This order has no shipping upload"),
    "SHIPPING_UPLOAD_NOT_RETRYABLE": _e(409, "只有上传失败的发货信息可以重试", "Only a failed upload can be retried"),
    # --- payments and refunds -------------------------------------------------------------------
    "WECHAT_LOGIN_REQUIRED": _e(422, "请先使用微信登录再支付", "Paying needs a WeChat login"),
    "PAYMENT_ALREADY_PAID": _e(409, "该订单已支付", "WeChat Pay says this order is already paid"),
    "PAYMENT_CLOSED": _e(409, "该笔支付已关闭", "WeChat Pay says this payment is closed"),
    "PAYMENT_NOT_FOUND": _e(404, "微信支付中没有这笔支付", "WeChat Pay does not know this payment"),
    "PAYMENT_NOT_APPLICABLE": _e(500, "支付通知暂时无法处理", "The payment notification cannot be applied yet"),
    "PAYMENT_MERCHANT_MISMATCH": _e(500, "支付通知不属于本商户", "The notification is for another appid or mchid"),
    "OUT_TRADE_NO_NOT_ISSUED": _e(500, "支付单号不是本系统发起的", "We never issued this payment number"),
    "TRANSACTION_WITHOUT_ID": _e(500, "支付通知缺少微信支付单号", "A successful transaction without transaction_id"),
    "SIGNATURE_INVALID": _e(401, "通知签名无效", "The notification signature is invalid"),
    "NOTIFICATION_MALFORMED": _e(401, "通知内容无法识别", "The notification cannot be read"),
    "NOTIFICATION_STALE": _e(401, "通知已过期", "The notification is too old"),
    "PUSH_SIGNATURE_INVALID": _e(401, "消息推送签名无效", "The message push signature is invalid"),
    "PUSH_NOT_DECRYPTABLE": _e(400, "消息推送无法解密", "The message push cannot be decrypted"),
    "PUSH_NOT_JSON": _e(400, "消息推送需为 JSON 格式（在消息推送设置中选择 JSON）",
                        "The message push must be JSON"),
    "REFUND_NOT_FOUND": _e(404, "退款不存在", "No such refund"),
    "REFUND_IN_PROGRESS": _e(409, "该订单有退款正在处理中", "Another refund of this order is in progress"),
    "REFUND_NOT_APPROVABLE": _e(409, "该退款当前不能审核通过", "The refund cannot be approved now"),
    "REFUND_NOT_REJECTABLE": _e(409, "该退款当前不能拒绝", "The refund cannot be rejected now"),
    "REFUND_STALE": _e(409, "退款与订单不再一致，请刷新", "This refund no longer matches its order"),
    "REFUND_EXCEEDS_PAID": _e(409, "退款金额超过了实付金额", "This refund would return more than was paid"),
    "REFUND_QUANTITY_EXCEEDED": _e(422, "退款数量超过了可退数量", "More units than are left to refund"),
    "REFUND_LINE_UNKNOWN": _e(422, "该商品不在这个订单中", "That item is not part of this order"),
    "REFUND_NOTIFICATION_MISMATCH": _e(409, "退款通知与退款申请不符", "The notification does not match the refund"),
    "NOTHING_TO_REFUND": _e(422, "该订单已全部退款", "Everything in this order has already been refunded"),
    "AFTER_SALES_EXPIRED": _e(422, "该订单已过售后期", "The after-sales window of this order has closed"),
    "GROUP_BUY_PENDING": _e(409, "拼团进行中，拼团失败会自动退款", "The group buy is not finished"),
    "RETURN_NEEDS_SHIPMENT": _e(409, "订单发货后才能申请退货或换货，未发货的商品请申请仅退款",
                                "Goods can be returned once the order has shipped"),
    "RETURN_ADDRESS_MISSING": _e(422, "请先在店铺设置中填写退货地址", "Set the shop's return address first"),
    "RETURN_NOT_AGREEABLE": _e(409, "该售后当前不能同意退货", "This request cannot be agreed to as a return now"),
    "RETURN_NOT_SHIPPABLE": _e(409, "该售后当前不能填写退货物流", "This request is not waiting for the goods"),
    "RETURN_OVERDUE": _e(409, "寄回期限已过，该售后已关闭，可重新申请", "The time to send the goods back has run out"),
    "RETURN_NOT_RECEIVABLE": _e(409, "该售后当前不能确认收货", "This request has no returned parcel to receive"),
    "EXCHANGE_NOT_RESHIPPABLE": _e(409, "该换货当前不能重新发货", "This exchange cannot be reshipped now"),
    "REFUND_NOT_CANCELLABLE": _e(409, "商家已收到退货，售后不能撤销", "The request can no longer be withdrawn"),
    "REJECT_REASON_REQUIRED": _e(422, "请填写拒绝原因", "Say why the request is rejected"),
    # --- marketing ------------------------------------------------------------------------------
    "COUPON_NOT_FOUND": _e(404, "优惠券不存在", "No such coupon"),
    "COUPON_NOT_CLAIMABLE": _e(
        422, "该优惠券现在不能领取", "This coupon cannot be claimed now",
        COUPON_DISABLED=("优惠券已停止发放", "The coupon is no longer given out"),
        CLAIM_NOT_STARTED=("还没到领取时间", "Claiming has not started yet"),
        CLAIM_ENDED=("领取时间已过", "Claiming has ended"),
        COUPON_EXPIRED=("优惠券已过期", "The coupon has expired")),
    "COUPON_SOLD_OUT": _e(409, "优惠券已领完", "All of these coupons have been claimed"),
    "COUPON_LIMIT_REACHED": _e(422, "已达到领取上限", "You already hold as many of these coupons as allowed",
                               "已达到领取上限（每人限领 {per_user_limit} 张）",
                               "You may hold at most {per_user_limit} of these coupons"),
    "COUPON_IN_USE": _e(409, "优惠券正被另一笔未支付订单使用", "The coupon is held by another unpaid order"),
    "COUPON_EDIT_CONFLICT": _e(409, "优惠券已被他人修改，请刷新后再试", "The coupon was changed meanwhile; reload"),
    "COUPON_TOTAL_BELOW_CLAIMED": _e(422, "发放总量不能少于已领取的数量", "The total cannot go below what was claimed"),
    "COUPON_NOT_APPLICABLE": _e(
        422, "优惠券不可用", "The coupon cannot be used",
        COUPON_NOT_FOUND=("您没有这张优惠券", "You have no such coupon"),
        COUPON_USED=("优惠券已使用", "The coupon was already used"),
        COUPON_NOT_STARTED=("优惠券还未到使用时间", "The coupon is not valid yet"),
        COUPON_EXPIRED=("优惠券已过期", "The coupon has expired"),
        COUPON_OUT_OF_SCOPE=("优惠券不适用于订单中的商品", "The coupon does not cover any item in this order"),
        COUPON_THRESHOLD_NOT_MET=("订单金额未达到优惠券的使用门槛", "The order does not reach the coupon's minimum"),
        COUPON_NOT_STACKABLE=("优惠券不能与拼团价同时使用", "The coupon cannot be used with a group-buy price"),
        COUPON_NO_DISCOUNT=("使用该优惠券不会有优惠", "The coupon would take nothing off this order")),
    "PROMOTION_NOT_FOUND": _e(404, "促销活动不存在", "No such promotion"),
    "PROMOTION_KIND_FIXED": _e(422, "促销类型不能修改，请新建一个促销", "A promotion's kind cannot change"),
    "PROMO_PRICE_NOT_LOWER": _e(422, "活动价需低于商品售价", "A promotion price must be below the SKU's price"),
    "GROUP_BUY_NOT_FOUND": _e(404, "拼团活动不存在", "No such group-buy campaign"),
    "GROUP_BUY_OVERLAP": _e(422, "该商品在这段时间已有其他拼团活动", "Another group buy of this product overlaps"),
    "GROUP_BUY_PRODUCT_FIXED": _e(422, "拼团活动的商品不能修改，请新建活动", "A group buy's product cannot change"),
    "GROUP_PRICE_NOT_LOWER": _e(422, "拼团价需低于商品售价", "A group price must be below the SKU's price"),
    "GROUP_BUY_NOT_ACTIVE": _e(422, "拼团活动未在进行中", "This group buy is not running now"),
    "GROUP_BUY_SKU_INVALID": _e(422, "该规格不参加拼团", "This item is not part of the group buy"),
    "GROUP_NOT_FOUND": _e(404, "拼团不存在", "No such group"),
    "GROUP_FULL": _e(422, "该团已满员", "This group is already full"),
    "GROUP_CLOSED": _e(422, "该团已结束", "This group is no longer open"),
    "ALREADY_IN_GROUP": _e(422, "您已在这个团中", "You are already in this group"),
    "SECKILL_NOT_FOUND": _e(404, "秒杀活动不存在", "No such seckill activity"),
    "SECKILL_PRODUCT_FIXED": _e(422, "秒杀活动的商品不能修改，请新建活动", "A seckill's product cannot change"),
    "SECKILL_PRICE_NOT_LOWER": _e(422, "秒杀价需低于商品售价", "A seckill price must be below the SKU's price"),
    "SECKILL_STOCK_BELOW_SOLD": _e(422, "秒杀库存不能少于已售出的数量", "The stock cannot be below what was sold",
                                   "秒杀库存不能少于已售出的 {sold} 件",
                                   "The stock cannot be below the {sold} units sold"),
    "SECKILL_CHANGED": _e(409, "秒杀活动刚刚有变化，请刷新后再改", "The activity changed meanwhile; reload it"),
    "SECKILL_NOT_ACTIVE": _e(422, "秒杀未在进行中", "This seckill is not running now"),
    "SECKILL_SKU_INVALID": _e(422, "该规格不参加秒杀", "This item is not part of the seckill"),
    "SECKILL_SOLD_OUT": _e(422, "秒杀商品已抢光", "This seckill is sold out"),
    "SECKILL_LIMIT_REACHED": _e(422, "您已达到该秒杀的限购数量", "You have reached this seckill's limit",
                                "您已达到该秒杀的限购数量（每人 {limit} 件）",
                                "This seckill allows {limit} per shopper"),
    "BARGAIN_ACTIVITY_NOT_FOUND": _e(404, "砍价活动不存在", "No such bargain activity"),
    "BARGAIN_PRODUCT_FIXED": _e(422, "砍价活动的商品不能修改，请新建活动",
                                "A bargain activity's product cannot change"),
    "BARGAIN_FLOOR_NOT_LOWER": _e(422, "砍价底价需低于商品售价", "The floor price must be below the SKU's price"),
    "BARGAIN_NOT_ACTIVE": _e(422, "砍价活动未在进行中", "This bargain activity is not running now"),
    "BARGAIN_NOT_FOUND": _e(404, "砍价不存在", "No such bargain"),
    "BARGAIN_SELF_HELP": _e(422, "不能给自己砍价，请邀请好友帮忙", "You cannot help your own bargain"),
    "BARGAIN_ALREADY_HELPED": _e(409, "您已经帮TA砍过了", "You have already helped this bargain"),
    "BARGAIN_CLOSED": _e(409, "该砍价已结束", "This bargain is closed"),
    "BARGAIN_FLOOR_REACHED": _e(422, "已经砍到最低价了", "This bargain has reached its lowest price"),
    "BARGAIN_HELPER_TOO_NEW": _e(422, "新注册账号暂时不能帮忙砍价", "Your account is too new to help",
                                 "新注册账号需满 {hours} 小时后才能帮忙砍价",
                                 "Accounts newer than {hours} hours cannot help"),
    "BARGAIN_HELP_LIMITED": _e(429, "帮砍太频繁，请稍后再试", "Too many helps; try again later"),
    "BARGAIN_BUSY": _e(409, "好友们正在一起砍，请再试一次", "Many friends are helping at once; try again"),
    "BARGAIN_SKU_INVALID": _e(422, "砍价商品只能按该规格购买 1 件", "A bargain buys its one item, once"),
    # --- distribution ---------------------------------------------------------------------------
    "NOT_DISTRIBUTOR": _e(404, "您还不是分销员，请先申请", "You are not a distributor; apply first"),
    "DISTRIBUTOR_NOT_FOUND": _e(404, "分销员或申请不存在", "No such distributor or application"),
    "APPLICATION_PENDING": _e(409, "申请正在审核中", "An application is already waiting for review"),
    "ALREADY_DISTRIBUTOR": _e(409, "您已经是分销员", "You are already a distributor"),
    "APPLICATION_REJECTED": _e(409, "申请已被拒绝，可以重新申请", "The application was rejected; apply again"),
    "DISTRIBUTOR_DISABLED": _e(409, "分销员账号已停用，请联系商家", "This distributor is disabled; contact the shop"),
    "DISTRIBUTOR_NOT_APPROVED": _e(409, "请先审核通过该分销员的申请", "Review the application first"),
    "DISTRIBUTOR_NOT_ACTIVE": _e(409, "只有审核通过的分销员才能分享推广", "Only an approved distributor can share"),
    "CODE_ALLOCATION_FAILED": _e(409, *_TRY_AGAIN),
    "UNKNOWN_GRADE": _e(422, "所选分销等级不存在", "No such grade"),
    "GRADE_NOT_FOUND": _e(404, "分销等级不存在", "No such grade"),
    "GRADE_NAME_TAKEN": _e(409, "已有同名的分销等级", "Another grade already has this name"),
    "DISTRIBUTOR_CHANGED": _e(409, *_TRY_AGAIN),
    "BINDING_CONFLICT": _e(409, *_TRY_AGAIN),
    "SHARE_LINK_NOT_FOUND": _e(404, "分享链接不存在", "No such share link"),
    "SHARE_LINK_CONFLICT": _e(409, *_TRY_AGAIN),
    "LEVELS_EXCEED_LEGAL_LIMIT": _e(422, "分销层级最多三级（超过三级属于传销）",
                                    "At most 3 commission levels are allowed (more is pyramid selling)"),
    "RATES_LEVELS_MISMATCH": _e(422, "每个分销层级需设置一个佣金比例", "Give exactly one rate per level"),
    "RATE_NEGATIVE": _e(422, "佣金比例不能为负数", "Rates cannot be negative"),
    "RATES_TOTAL_TOO_HIGH": _e(422, "各级佣金比例合计不能超过实付金额的 50%",
                               "All levels together may pay at most 50% of what the buyer paid"),
    "INSUFFICIENT_BALANCE": _e(422, "可提现余额不足", "Not enough available balance",
                               "可提现余额不足，当前可提现 {available:yuan} 元",
                               "Not enough available balance: {available:yuan} yuan"),
    "WITHDRAWAL_BELOW_MINIMUM": _e(422, "低于最低提现金额", "The amount is below the minimum withdrawal",
                                   "低于最低提现金额 {min_amount:yuan} 元",
                                   "The minimum withdrawal is {min_amount:yuan} yuan"),
    "WITHDRAWAL_ALL_FEE": _e(422, "扣除手续费后没有可到账的金额", "Nothing would be left after the fee",
                             "扣除手续费 {fee:yuan} 元后没有可到账的金额",
                             "Nothing would be left after the {fee:yuan} yuan fee"),
    "WITHDRAWAL_DAILY_LIMIT": _e(422, "超出今日提现额度", "This exceeds today's withdrawal limit",
                                 "超出今日提现额度（每日 {daily_limit:yuan} 元）",
                                 "This exceeds today's withdrawal limit of {daily_limit:yuan} yuan"),
    "WITHDRAWAL_NOT_FOUND": _e(404, "提现申请不存在", "No such withdrawal"),
    "WITHDRAWAL_STATE_CONFLICT": _e(409, "提现申请的状态已变化，请刷新", "The withdrawal's state changed; reload"),
    "PAYEE_HAS_NO_OPENID": _e(422, "该分销员没有可收款的微信账号，请线下打款后标记已打款",
                              "This distributor has no WeChat account to pay into; pay offline"),
    "TRANSFER_NEEDS_REAL_NAME": _e(422, "2000 元及以上的转账需要收款人的真实姓名",
                                   "Transfers of 2000 yuan or more need the payee's real name"),
    "TRANSFER_NOT_FOUND": _e(404, "微信支付中没有这笔转账", "WeChat Pay does not know this transfer"),
    "TRANSFER_NOT_SENT": _e(409, "该提现还没有发起转账", "No transfer was sent for this withdrawal"),
    "TRANSFER_MISMATCH": _e(500, "转账通知与提现申请不符", "The transfer notification does not match"),
    "TRANSFER_AMOUNT_MISMATCH": _e(500, "转账金额与提现申请不符", "The transfer amount does not match"),
    # --- points and member levels ----------------------------------------------------------------
    "POINTS_INSUFFICIENT": _e(422, "积分不足", "Not enough points",
                              "积分不足：需要 {points} 积分，当前 {balance} 积分",
                              "Not enough points: {points} needed, {balance} available"),
    "POINTS_UNAVAILABLE": _e(422, "本店暂不支持积分抵扣", "Points cannot be used in this shop"),
    "SIGN_IN_UNAVAILABLE": _e(422, "本店暂未开放签到送积分", "This shop does not offer sign-in points"),
    "ALREADY_SIGNED_IN": _e(409, "今天已经签到过了，明天再来吧", "You have already signed in today"),
    "CUSTOMER_NOT_FOUND": _e(404, "客户不存在", "No such customer"),
    # --- WeChat mini-program platform -----------------------------------------------------------
    "NOT_FOUND": _e(404, "微信支付中没有该记录", "WeChat Pay does not know this object"),
    "WXACODE_PAGE_INVALID": _e(400, "小程序码的页面不存在", "The wxacode page does not exist"),
    "WXACODE_SCENE_INVALID": _e(400, "小程序码参数需为 1 到 32 个字符", "The wxacode scene must be 1 to 32 characters"),
}


def entry(code: str) -> Entry | None:
    return CATALOGUE.get(code)

"""What each operation-log action is called in Chinese (操作日志 shows 新建商品, not `catalog.new_product`).

One catalogue keyed by the action the runtime names every admin write after (`Route.action`: area and
view, e.g. `catalog.new_product`), plus the sign-in events `fenxiao.admin.service` records. The list of
`GET /v1/admin/audit-log` carries the label as `action_label`, and `GET /v1/admin/audit-log/actions`
hands the whole catalogue to the page's action filter, so the page never keeps a second copy.

`tests/admin/test_audit.py` walks every registered admin write route: a new one without a label here
fails there (and a label whose route is gone fails too), so the log never falls back to a code.
"""
from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # sign-in (fenxiao.admin.service)
    "admin.login": "登录",
    "admin.login_failed": "登录失败",
    # 商品
    "catalog.new_category": "新建分类",
    "catalog.edit_category": "编辑分类",
    "catalog.remove_category": "删除分类",
    "catalog.new_product": "新建商品",
    "catalog.edit_product": "编辑商品",
    "catalog.remove_product": "删除商品",
    "marketing.new_banner": "新建轮播图",
    "marketing.edit_banner": "编辑轮播图",
    "marketing.delete_banner": "删除轮播图",
    "shipping_templates.new_template": "新建运费模板",
    "shipping_templates.edit_template": "编辑运费模板",
    "shipping_templates.delete_template": "删除运费模板",
    "reviews.reply": "回复评价",
    "reviews.hide": "隐藏评价",
    "reviews.show": "显示评价",
    "uploads.new_upload": "上传图片",
    # 订单与售后
    "orders.ship": "订单发货",
    "orders.remark": "订单备注",
    "orders.retry_shipping_upload": "重试上传发货信息",
    "refunds.approve": "同意退款",
    "refunds.reject": "拒绝售后",
    "refunds.agree": "同意退货",
    "refunds.receive": "确认收到退货",
    "refunds.reship": "换货发出",
    "orders.price": "订单改价",
    # 营销
    "marketing.new_coupon": "新建优惠券",
    "marketing.edit_coupon": "编辑优惠券",
    "marketing.disable_coupon": "停用优惠券",
    "marketing.new_promotion": "新建活动",
    "marketing.edit_promotion": "编辑活动",
    "marketing.disable_promotion": "停用活动",
    "group_buys.new_group_buy": "新建拼团",
    "group_buys.edit_group_buy": "编辑拼团",
    "group_buys.disable_group_buy": "停用拼团",
    "seckill.new_seckill": "新建秒杀",
    "seckill.edit_seckill": "编辑秒杀",
    "seckill.disable_seckill": "停用秒杀",
    "bargains.new_bargain_activity": "新建砍价",
    "bargains.edit_bargain_activity": "编辑砍价",
    "bargains.disable_bargain_activity": "停用砍价",
    "points.put_points": "修改积分与会员设置",
    "points.adjust": "调整顾客积分",
    # 分销与资金
    "distribution.put_settings": "修改分销设置",
    "distribution.approve_application": "通过分销商申请",
    "distribution.reject_application": "拒绝分销商申请",
    "distribution.edit_distributor": "修改分销商",
    "distribution.new_grade": "新建分销等级",
    "distribution.edit_grade": "编辑分销等级",
    "distribution.new_material": "新建推广素材",
    "distribution.edit_material": "编辑推广素材",
    "distribution.delete_material": "删除推广素材",
    "distribution.new_poster_template": "新建海报模板",
    "distribution.edit_poster_template": "编辑海报模板",
    "distribution.delete_poster_template": "删除海报模板",
    "money.approve_withdrawal": "批准提现打款",
    "money.reject_withdrawal": "拒绝提现",
    "money.mark_withdrawal_paid": "标记提现已打款",
    "money.run_settlement": "执行结算",
    "money.reconcile_repair": "按流水修复余额",
    # 系统
    "settings.put_shop": "修改店铺设置",
    "settings.put_search": "修改热门搜索",
    "messages.put_settings": "修改订阅消息设置",
    "staff.new_staff": "新建员工",
    "staff.edit_staff": "修改员工",
    "staff.change_password": "修改自己的密码",
}


def action_label(action: str) -> str:
    """The Chinese name of an action; an action missing from the catalogue shows as its code (the test
    above keeps that from happening for routes)."""
    return ACTION_LABELS.get(action, action)


def catalogue() -> dict[str, list[dict[str, str]]]:
    """`GET /v1/admin/audit-log/actions`: `{items: [{action, label}]}` in the catalogue's order."""
    return {"items": [{"action": action, "label": label} for action, label in ACTION_LABELS.items()]}

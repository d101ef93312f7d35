"""Demo data for the local stack: seeded on first start, idempotent on every later one.

`prepare` is what devserver.py calls. Each `seed_*` function is small and answers one summary line, so
later areas (coupons, distributors) add their own function and one line in `prepare`.
The shop is written through the same service functions the admin uses, so seed data obeys every rule.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.admin.service import ensure_owner
from fenxiao.catalog.categories import CategoryIn, create_category
from fenxiao.catalog.models import ProductIn
from fenxiao.catalog.products import create_product
from fenxiao.db import ensure_indexes, get_db
from fenxiao.ids import new_id
from fenxiao.tokens import issue_token

DEFAULT_ADMIN = "admin"
DEMO_OPENID = "dev_demo"

CATEGORIES: list[dict[str, Any]] = [
    {"slug": "apparel", "name": "服饰鞋包", "sort": 1},
    {"slug": "women", "name": "女装", "parent": "apparel", "sort": 1},
    {"slug": "men", "name": "男装", "parent": "apparel", "sort": 2},
    {"slug": "food", "name": "食品饮料", "sort": 2},
    {"slug": "snacks", "name": "休闲零食", "parent": "food", "sort": 1},
    {"slug": "beauty", "name": "美妆个护", "sort": 3},
    {"slug": "home", "name": "家居生活", "sort": 4},
    {"slug": "digital", "name": "数码配件", "sort": 5},
]


def _grid(specs: dict[str, list[str]], prices: list[int], stocks: list[int],
           original: list[int] | None = None) -> dict[str, Any]:
    """Every combination of the spec values, in order, with the given prices and stocks."""
    combos: list[dict[str, str]] = [{}]
    for name, values in specs.items():
        combos = [{**combo, name: value} for combo in combos for value in values]
    skus = [{"specs": combo, "price": prices[i], "stock": stocks[i],
             **({"original_price": original[i]} if original else {})} for i, combo in enumerate(combos)]
    return {"specs": [{"name": n, "values": v} for n, v in specs.items()], "skus": skus}


PRODUCTS: list[dict[str, Any]] = [
    {"slug": "cotton-tee", "category": "men", "sales": 1268, "title": "纯棉宽松圆领短袖T恤 男款",
     "subtitle": "新疆长绒棉 · 不易变形 · 夏季百搭",
     "description": "精选新疆长绒棉，220g 重磅面料，亲肤透气，多次洗涤不变形。",
     **_grid({"颜色": ["白色", "黑色"], "尺码": ["M", "L", "XL"]},
             [5900, 5900, 6900, 5900, 5900, 6900], [120, 200, 80, 150, 180, 60],
             [9900, 9900, 9900, 9900, 9900, 9900])},
    {"slug": "floral-dress", "category": "women", "sales": 642, "title": "法式碎花雪纺连衣裙",
     "subtitle": "收腰显瘦 · 飘逸雪纺 · 春夏新款",
     "description": "轻盈雪纺面料，V 领收腰设计，配可拆卸腰带，通勤约会皆宜。",
     **_grid({"颜色": ["蓝色碎花", "米色碎花"], "尺码": ["S", "M"]},
             [15900, 15900, 15900, 15900], [40, 55, 35, 50], [25900, 25900, 25900, 25900])},
    {"slug": "straight-jeans", "category": "women", "sales": 903, "title": "高腰直筒牛仔裤 女",
     "subtitle": "微弹舒适 · 显高显瘦",
     "description": "含 2% 氨纶，微弹不紧绷；高腰直筒版型，修饰腿型。",
     **_grid({"尺码": ["26", "27", "28"]}, [12900, 12900, 12900], [70, 90, 65])},
    {"slug": "daily-nuts", "category": "snacks", "sales": 5320, "title": "每日坚果混合装 孕妇儿童零食",
     "subtitle": "6 种坚果果干科学配比 · 独立小包装",
     "description": "巴旦木、腰果、榛子、核桃仁、蔓越莓干、蓝莓干，每日一袋，营养均衡。",
     **_grid({"规格": ["375g/15袋", "750g/30袋"]}, [5990, 9990], [500, 300], [7990, 13990])},
    {"slug": "breakfast-bread", "category": "snacks", "sales": 2875, "title": "手撕面包早餐整箱",
     "subtitle": "松软拉丝 · 当日烘焙发货",
     "description": "新鲜鸡蛋与黄油烘焙，口感松软，早餐下午茶的好搭档。",
     **_grid({"口味": ["原味", "椰蓉", "奶酪"]}, [2990, 3290, 3490], [260, 180, 150])},
    {"slug": "yunnan-coffee", "category": "food", "sales": 488, "title": "云南保山小粒咖啡豆",
     "subtitle": "产地直采 · 新鲜烘焙 · 可代磨粉",
     "description": "海拔 1200 米以上的保山小粒种，坚果与焦糖风味，酸度柔和。",
     **_grid({"规格": ["250g", "500g"], "烘焙度": ["中度", "深度"]},
             [4800, 4800, 8800, 8800], [90, 70, 60, 40])},
    {"slug": "hydrating-mask", "category": "beauty", "sales": 3650, "title": "玻尿酸补水保湿面膜",
     "subtitle": "深层补水 · 敏感肌可用",
     "description": "三重玻尿酸精华，蚕丝膜布服帖，15 分钟焕亮水润肌肤。",
     **_grid({"规格": ["10片装", "20片装"]}, [6900, 12900], [300, 150], [9900, 19800])},
    {"slug": "amino-cleanser", "category": "beauty", "sales": 1720, "title": "氨基酸温和洁面乳",
     "subtitle": "弱酸性配方 · 洗后不紧绷",
     "description": "氨基酸表活，绵密泡沫温和清洁，男女通用。",
     **_grid({"规格": ["100g", "150g×2"]}, [4500, 9900], [220, 120])},
    {"slug": "ceramic-mug", "category": "home", "sales": 836, "title": "北欧简约陶瓷马克杯 带盖勺",
     "subtitle": "哑光釉面 · 可微波可洗碗机",
     "description": "高温烧制陶瓷，哑光釉面手感细腻，400ml 大容量，附木盖与不锈钢勺。",
     **_grid({"颜色": ["奶白", "雾蓝", "燕麦"]}, [3900, 3900, 3900], [100, 80, 90])},
    {"slug": "memory-pillow", "category": "home", "sales": 410, "title": "慢回弹记忆棉护颈枕头",
     "subtitle": "人体工学曲线 · 透气针织枕套",
     "description": "慢回弹记忆棉贴合颈椎曲线，枕套可拆洗，适合仰睡侧睡。",
     **_grid({"规格": ["标准款", "加高款"]}, [12900, 13900], [60, 45], [19900, 19900])},
    {"slug": "pd-cable", "category": "digital", "sales": 2210, "title": "20W PD 快充数据线 编织款",
     "subtitle": "支持 PD 快充 · 耐弯折 2 万次",
     "description": "尼龙编织线身，铝合金接头，支持 20W PD 快充与数据传输。",
     **_grid({"接口": ["Type-C转Lightning", "Type-C转Type-C"], "长度": ["1m", "2m"]},
             [2900, 3500, 2500, 3100], [400, 250, 380, 230])},
    {"slug": "anc-earbuds", "category": "digital", "sales": 765, "title": "主动降噪真无线蓝牙耳机",
     "subtitle": "40dB 深度降噪 · 30 小时续航",
     "description": "双馈混合主动降噪，通透模式一键切换，蓝牙 5.3 低延迟，IPX4 防水。",
     **_grid({"颜色": ["曜石黑", "珍珠白"]}, [29900, 29900], [80, 70], [39900, 39900])},
]


def _image(slug: str, n: int) -> str:
    return f"https://picsum.photos/seed/{slug}-{n}/750/750"


def seed_catalog(db: Database) -> str:
    """Categories and products, only into a shop that has no products yet."""
    if db.products.count_documents({}, limit=1):
        return "catalog: already present, left as is"
    ids: dict[str, str] = {}
    for item in CATEGORIES:  # parents come before their children in the list
        data = CategoryIn(name=item["name"], sort=item["sort"], parent_id=ids.get(item.get("parent", "")),
                          icon=_image(f"cat-{item['slug']}", 1))
        ids[item["slug"]] = create_category(db, data)["id"]
    for item in PRODUCTS:
        fields = {k: v for k, v in item.items() if k not in {"slug", "category", "sales"}}
        product = create_product(db, ProductIn(**fields, category_id=ids[item["category"]], status="on_sale",
                                               images=[_image(item["slug"], n) for n in (1, 2, 3)]))
        db.products.update_one({"_id": product["id"]}, {"$set": {"sales": item["sales"]}})
    return f"catalog: {len(CATEGORIES)} categories, {len(PRODUCTS)} products seeded"


def seed_admin(db: Database, username: str | None, password: str | None) -> str:
    username = (username or DEFAULT_ADMIN).strip().lower()
    password = password or secrets.token_urlsafe(12)
    if ensure_owner(db, username, password):
        return f"admin: {username} / {password}"
    return f"admin: {username} (already exists; password unchanged)"


def seed_demo_user(db: Database) -> str:
    """A shopper to try the API with; the token is minted fresh at every start."""
    return f"user token: {issue_token('user', _demo_shopper(db, DEMO_OPENID, '演示用户'))}"


def _skus_of(db: Database, title: str) -> tuple[str, list[dict[str, Any]]]:
    product = db.products.find_one({"title": title}, {"_id": 1})
    assert product is not None, f"seed product {title!r} missing"
    return product["_id"], list(db.skus.find({"product_id": product["_id"], "active": True}).sort("sort", 1))


COUPONS: list[dict[str, Any]] = [
    {"name": "新人无门槛 5 元券", "kind": "no_threshold", "amount": 500, "total": 10000, "per_user_limit": 1},
    {"name": "满 99 减 10", "kind": "threshold", "amount": 1000, "threshold": 9900, "total": 5000,
     "per_user_limit": 2},
    {"name": "数码 9 折券", "kind": "discount", "discount_bp": 1000, "cap": 5000, "total": 1000,
     "per_user_limit": 1},
]


def seed_marketing(db: Database) -> str:
    """Coupons, a limited-time price, 满减 tiers and a 拼团 campaign, running for the next 30 days."""
    from fenxiao.marketing.coupons import create_template
    from fenxiao.marketing.groupbuy.campaigns import create_campaign
    from fenxiao.marketing.groupbuy.models import CampaignIn
    from fenxiao.marketing.models import CouponTemplateIn, PromotionIn
    from fenxiao.marketing.promotions import create_promotion

    if db.coupon_templates.count_documents({}, limit=1):
        return "marketing: already present, left as is"
    now = clock.now()
    window = {"starts_at": now, "ends_at": now + timedelta(days=30)}
    for coupon in COUPONS:
        create_template(db, CouponTemplateIn(**coupon, valid_days=14))
    _, tees = _skus_of(db, "纯棉宽松圆领短袖T恤 男款")
    create_promotion(db, PromotionIn({"kind": "limited_time", "name": "T恤限时特惠",
                                      "sku_prices": {s["_id"]: s["price"] - 1000 for s in tees}, **window}))
    create_promotion(db, PromotionIn({"kind": "full_reduction", "name": "全场满减",
                                      "tiers": [{"threshold": 20000, "amount": 2000},
                                                {"threshold": 30000, "amount": 4000}], **window}))
    earbuds, buds = _skus_of(db, "主动降噪真无线蓝牙耳机")
    create_campaign(db, CampaignIn(product_id=earbuds, size=3, hours=24,
                                   sku_prices={s["_id"]: 24900 for s in buds}, **window))
    return f"marketing: {len(COUPONS)} coupons, a limited-time price, 满减 tiers, a 3-person 拼团"


def seed_distributors(db: Database) -> str:
    """Alice (wx.login code `alice`) is an approved distributor; Bob (code `bob`) was referred by her."""
    from fenxiao.distribution.binding import bind
    from fenxiao.distribution.distributors import apply, approve
    from fenxiao.distribution.models import ApplicationIn, ReviewIn

    existing = db.distributors.find_one({}, {"code": 1})
    if existing is not None:
        return f"distributors: already present (e.g. share code {existing.get('code')})"
    alice = _demo_shopper(db, "dev_alice", "Alice 王")
    bob = _demo_shopper(db, "dev_bob", "Bob 李")
    apply(db, alice, ApplicationIn(real_name="王丽", phone="13800138000", reason="朋友多"))
    approve(db, alice, ReviewIn(), by="seed")
    code = db.distributors.find_one({"_id": alice})["code"]
    bind(db, bob, code)
    return f"distributors: alice (login code `alice`, share code {code}); bob (code `bob`) bound to her"


def _demo_shopper(db: Database, openid: str, nickname: str) -> str:
    now = clock.now()
    doc: dict[str, Any] = {"_id": new_id(), "nickname": nickname, "avatar_url": "", "referrer_id": None,
                           "upline": [], "distributor": None, "created_at": now, "updated_at": now}
    user = db.users.find_one_and_update({"openid": openid}, {"$setOnInsert": doc}, upsert=True,
                                        return_document=True)
    return user["_id"]


# event -> the demo merchant's template (the emulator's DEMO_TEMPLATES list what WeChat knows of each)
DEMO_MESSAGE_TEMPLATES = {"order_paid": "demo-order-paid", "order_shipped": "demo-order-shipped",
                          "refund_result": "demo-refund-result", "return_agreed": "demo-return-agreed",
                          "exchange_reshipped": "demo-exchange-reshipped", "group_succeeded": "demo-group-succeeded",
                          "group_failed": "demo-group-failed", "application_result": "demo-application-result",
                          "commission_settled": "demo-commission-settled",
                          "withdrawal_paid": "demo-withdrawal-paid", "withdrawal_rejected": "demo-withdrawal-rejected"}


def seed_banners(db: Database) -> str:
    """Two home-page banners (the limited-time sale and the 拼团 product), so the demo home page has a swiper."""
    from fenxiao.marketing.banners import BannerIn, create_banner

    if db.banners.count_documents({}, limit=1):
        return "banners: already present, left as is"
    earbuds, _ = _skus_of(db, "主动降噪真无线蓝牙耳机")
    for n, (title, link) in enumerate([("限时特价 每日上新", "/pages/index/index"),
                                       ("三人拼团 降噪耳机", f"/pages/product/detail?id={earbuds}")]):
        create_banner(db, BannerIn(image=_image("banner", n + 1), title=title, link=link, sort=n))
    return "banners: 2 on the home page"


def seed_messages(db: Database) -> str:
    """Configure every subscribe-message event with the demo merchant's templates, unless already set."""
    from fenxiao.messages import get_message_settings, update_message_settings
    from infra.local.wechat_emulator.subscribe import DEMO_TEMPLATES

    if get_message_settings(db).templates:
        return "subscribe messages: configured"
    templates = {event: {"template_id": tid, "fields": dict(DEMO_TEMPLATES[tid][1])}
                 for event, tid in DEMO_MESSAGE_TEMPLATES.items()}
    update_message_settings(db, {"templates": templates}, by="seed")
    return f"subscribe messages: {len(templates)} demo templates"


def seed_points(db: Database) -> str:
    """Points on (1 per yuan, 5 for signing in, 1 point = 1 fen, at most 30 % of an order) and two member
    levels, unless the merchant saved points settings already (docs/points.md)."""
    from fenxiao.points.settings import POINTS, update_points_settings

    if db.kv.count_documents({"_id": POINTS.key}, limit=1):
        return "points: configured"
    update_points_settings(db, {"enabled": True, "earn_per_yuan": 1, "sign_in_points": 5, "fen_per_point": 1,
                                "max_use_bp": 3000, "levels": [
                                    {"id": "silver", "name": "银卡会员", "threshold": 500, "discount_bp": 200},
                                    {"id": "gold", "name": "金卡会员", "threshold": 3000, "discount_bp": 500,
                                     "free_shipping": True}]}, by="seed")
    return "points: on, 银卡 (500 growth, 9.8折) and 金卡 (3000, 9.5折, 包邮)"


def prepare(admin_username: str | None, admin_password: str | None) -> list[str]:
    """Indexes, demo shop, admin owner, demo shoppers: the summary lines devserver.py prints."""
    db = get_db()
    ensure_indexes(db)
    return [seed_catalog(db), seed_marketing(db), seed_banners(db), seed_distributors(db), seed_messages(db),
            seed_points(db), seed_admin(db, admin_username, admin_password), seed_demo_user(db)]

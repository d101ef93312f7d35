"""The admin page in a real browser: Debian's Chromium driven by Playwright against the local test stack.

What a merchant does in a day, through the page only (the shop side is set up over HTTP as the
mini-program would): create a product with two spec dimensions in the SKU editor, give it a limited-time
price picked by search, ship an order, see that a forming group-buy order cannot be shipped, approve a
refund and a withdrawal; then an operator signs in and sees no finance actions. Every screen is opened on a
desktop and a phone-sized window, with screenshots in /tmp/admin-shots/, and the browser console must stay
free of errors. `make test` installs chromium and fonts-noto-cjk (apt) when they are missing.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from fenxiao import clock
from fenxiao.admin.service import create_admin
from fenxiao.distribution import balances, reconcile, simulator
from fenxiao.distribution.settings import get_distribution_settings
from infra.local import seed

CHROMIUM = os.environ.get("FENXIAO_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("FENXIAO_ADMIN_SHOTS", "/tmp/admin-shots"))
OWNER = ("boss", "correct horse battery")
OPERATOR = ("xiaoyun", "operator password 1")
# A 1×1 PNG: the demo catalogue's pictures live on picsum.photos, which a test never reaches.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c63f8cfc0f01f0005000101ff89993d1d0000000049454e44ae426082")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt (playwright)")
pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                reason=f"{CHROMIUM} missing: `make test` installs Debian's chromium with apt-get")


# --- the shop side, over HTTP as the mini-program drives it ------------------------------------------

class Shopper:
    def __init__(self, base: str, code: str) -> None:
        self.base = base
        login = self.call("POST", "/v1/auth/wechat-login", {"code": code}, token=None)
        self.token, self.id = login["token"], login["user"]["id"]
        self.address = self.call("POST", "/v1/me/addresses", {
            "name": "李雷", "phone": "13900139000", "province": "浙江省", "city": "杭州市", "district": "西湖区",
            "detail": "龙井路 1 号", "is_default": True})["id"]

    def call(self, method: str, path: str, body: Any = None, token: str | None = "mine") -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if token else {}
        resp = requests.request(method, self.base + path, json=body, headers=headers, timeout=30)
        assert resp.ok, f"{method} {path} → {resp.status_code} {resp.text[:300]}"
        return resp.json()

    def buy(self, sku_id: str, **extra: Any) -> dict[str, Any]:
        """Place and pay an order; WeChat Pay (the emulator) notifies the backend as it would."""
        order = self.call("POST", "/v1/orders", {"items": [{"sku_id": sku_id, "quantity": 1}],
                                                 "address_id": self.address, **extra})
        pay = self.call("POST", f"/v1/orders/{order['id']}/pay")
        requests.post(f"{self.base}/__wechat/pay/{pay['out_trade_no']}/succeed", timeout=30).raise_for_status()
        return order


@pytest.fixture
def shop(stack, db) -> dict[str, Any]:
    """The demo shop of `make dev`, plus: two paid orders by bob (one to ship, one he wants refunded), a
    forming 拼团 order, and a pending withdrawal by alice."""
    for step in (seed.seed_catalog, seed.seed_marketing, seed.seed_distributors):
        step(db)
    create_admin(db, *OWNER, "owner")  # the operator is created by the owner on the 员工 screen
    base = stack["base_url"]
    bob = Shopper(base, "bob")
    tee = db.skus.find_one({"product_id": db.products.find_one({"title": {"$regex": "T恤"}})["_id"]})
    to_ship = bob.buy(tee["_id"])
    to_refund = bob.buy(tee["_id"])
    bob.call("POST", f"/v1/orders/{to_refund['id']}/refunds", {"reason": "尺码不合适"})
    campaign = db.group_campaigns.find_one({})  # the demo 3-person 拼团: bob opens a group, nobody joins yet
    forming = bob.buy(next(iter(campaign["sku_prices"])), group_buy={"campaign_id": campaign["_id"]})
    alice = Shopper(base, "alice")
    balances.post(db, [balances.entry(f"browser-test:{alice.id}", alice.id, "settle", {"available": 20_000})])
    withdrawal = alice.call("POST", "/v1/distributor/withdrawals", {"amount": 5_000})
    return {"to_ship": to_ship, "to_refund": to_refund, "forming": forming, "withdrawal": withdrawal,
            "alice": alice.id}


# --- the browser ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


class Admin:
    """One signed-in browser window; collects every console error and failed request of the page."""

    def __init__(self, browser: Any, base: str, viewport: dict[str, int], name: str) -> None:
        self.base, self.name = base, name
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="America/New_York",
                                           accept_downloads=True)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: d.accept())  # window.confirm before money moves
        self.page.route(re.compile(r"^https://picsum\.photos/"),
                        lambda route: route.fulfill(body=PNG, content_type="image/png"))
        SHOTS.mkdir(parents=True, exist_ok=True)

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto(self.base + "/admin")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("#login-form button")
        self.page.wait_for_selector("#app:not([hidden])")

    def open(self, tab: str) -> Any:
        self.page.goto(f"{self.base}/admin#{tab}")
        self.page.wait_for_selector(f"#view[data-ready={tab}]", state="attached")
        self.page.wait_for_function("() => !document.querySelector('#view').textContent.includes('加载中')")
        return self.page

    def shot(self, label: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{self.name}-{label}.png"), full_page=True)

    def toast(self, text: str) -> None:
        self.page.locator("#toast .msg", has_text=text).first.wait_for()

    def dialog(self) -> Any:
        return self.page.locator("#dialog")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def window(browser, stack) -> Iterator[Any]:
    opened: list[Admin] = []

    def make(viewport: dict[str, int], name: str) -> Admin:
        opened.append(Admin(browser, stack["base_url"], viewport, name))
        return opened[-1]

    yield make
    for admin in opened:
        admin.close()


def _yuan(fen: int) -> str:
    """As the page's format.yuan shows an amount: ¥1,234.50."""
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def _tabs(admin: Admin) -> list[str]:
    return admin.page.eval_on_selector_all("#tabs a", "links => links.map(a => a.dataset.tab)")


def _visit_every_screen(admin: Admin) -> list[str]:
    """Open every screen of the menu; none may show an error box."""
    tabs = _tabs(admin)
    for tab in tabs:
        admin.open(tab)
        shown = admin.page.locator("#view .errorbox").all_inner_texts()
        assert shown == [], (tab, admin.page.inner_text("#view")[:300])
        admin.shot(tab)
    return tabs


# --- the merchant's day -----------------------------------------------------------------------------

def _create_product_with_two_specs(admin: Admin, db) -> dict[str, Any]:
    page = admin.open("products")
    page.click("text=新建商品")
    form = admin.dialog()
    form.locator("input[name=title]").fill("真丝睡衣套装")
    form.locator("select[name=category_id]").select_option(index=1)
    form.locator("input[type=file]").first.set_input_files(
        files=[{"name": "cover.png", "mimeType": "image/png", "buffer": PNG}])
    form.locator(".image-list img").first.wait_for()  # uploaded through the presigned POST (moto S3)
    for name, values in (("颜色", ["香槟", "墨绿"]), ("尺码", ["M", "L"])):
        form.locator("text=＋ 添加规格").click()
        form.locator(".spec-name").last.fill(name)
        form.locator(".spec-name").last.press("Tab")
        for value in values:
            form.locator(".spec-dim").last.locator(".tag-input").fill(value)
            form.locator(".spec-dim").last.locator(".tag-input").press("Enter")
    assert form.locator(".sku-table tbody tr").count() == 4
    form.get_by_label("批量售价").fill("299")
    form.get_by_label("批量划线价").fill("399")
    form.get_by_label("批量库存").fill("20")
    form.get_by_label("批量重量").fill("0.35")  # kg in the editor, grams stored (by-weight shipping templates)
    form.locator("text=应用到全部 SKU").click()
    form.get_by_label("墨绿 / L 售价").fill("319.5")
    form.locator(".sku-table tbody tr").nth(3).locator("input[type=file]").set_input_files(
        files=[{"name": "green-l.png", "mimeType": "image/png", "buffer": PNG}])
    form.locator(".sku-table tbody tr").nth(3).locator("img").wait_for()
    form.locator("select[name=status]").select_option("on_sale")
    admin.shot("product-editor")
    form.locator("button[type=submit]").click()
    admin.toast("商品已创建")
    product = db.products.find_one({"title": "真丝睡衣套装"})
    skus = {tuple(s["specs"].values()): s for s in db.skus.find({"product_id": product["_id"]})}
    assert product["specs"] == [{"name": "颜色", "values": ["香槟", "墨绿"]}, {"name": "尺码", "values": ["M", "L"]}]
    assert {k: (s["price"], s["original_price"], s["stock"]) for k, s in skus.items()} == {
        ("香槟", "M"): (29900, 39900, 20), ("香槟", "L"): (29900, 39900, 20),
        ("墨绿", "M"): (29900, 39900, 20), ("墨绿", "L"): (31950, 39900, 20)}
    assert skus[("墨绿", "L")]["image"].endswith(".png") and skus[("香槟", "M")]["image"] is None
    assert {s["weight"] for s in skus.values()} == {350}
    assert len(product["images"]) == 1
    return {"product": product, "skus": skus}


def _limited_time_price_by_search(admin: Admin, db, made: dict[str, Any]) -> None:
    page = admin.open("marketing")
    page.click("text=新建限时折扣")
    form = admin.dialog()
    form.locator("input[name=name]").fill("睡衣限时价")
    form.get_by_label("搜索商品").fill("真丝")
    form.get_by_label("搜索商品").press("Enter")
    form.locator(".hits li", has_text="真丝睡衣套装").locator("button", has_text="选择").click()
    form.get_by_label("真丝睡衣套装 香槟 / M 限时价").fill("259")
    admin.shot("limited-time-picker")
    form.locator("button[type=submit]").click()
    admin.toast("活动已保存")
    promotion = db.promotions.find_one({"name": "睡衣限时价"})
    assert promotion["sku_prices"] == {made["skus"][("香槟", "M")]["_id"]: 25900}
    page.locator("#view tr", has_text="睡衣限时价").wait_for()  # the list reloaded with it


def _ship(admin: Admin, db, shop: dict[str, Any]) -> None:
    page = admin.open("orders")
    forming = page.locator("#view tr", has_text=shop["forming"]["order_no"])
    assert "拼团中" in forming.inner_text() and forming.locator("button", has_text="发货").count() == 0
    row = page.locator("#view tr", has_text=shop["to_ship"]["order_no"])
    assert "Bob 李" in row.inner_text() and "Alice 王" in row.inner_text()  # buyer and referrer by name
    row.locator("button", has_text="发货").click()
    admin.dialog().locator("input[name=tracking_no]").fill("SF1234567890")
    admin.dialog().locator("button[type=submit]").click()
    admin.toast("已发货")
    assert db.orders.find_one({"_id": shop["to_ship"]["id"]})["status"] == "shipped"


def _export_orders(admin: Admin, shop: dict[str, Any]) -> None:
    page = admin.open("orders")
    with page.expect_download() as download:
        page.click("text=导出订单")
    saved = download.value
    assert re.fullmatch(r"订单_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv", saved.suggested_filename)
    body = Path(saved.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese as UTF-8
    text = body.decode("utf-8-sig")
    assert text.startswith("订单号,下单时间") and shop["to_ship"]["order_no"] in text and "Bob 李" in text
    admin.toast("已导出")


def _approve_refund(admin: Admin, db, shop: dict[str, Any]) -> None:
    page = admin.open("refunds")
    row = page.locator("#view tr", has_text=shop["to_refund"]["order_no"])  # the order number, not its id
    assert "尺码不合适" in row.inner_text() and "Bob 李" in row.inner_text()
    row.locator("button", has_text="同意退款").click()
    admin.toast("已同意退款")
    refund = db.refunds.find_one({"order_id": shop["to_refund"]["id"]})
    assert refund["status"] in ("approved", "refunded")


def _approve_withdrawal(admin: Admin, db, shop: dict[str, Any]) -> None:
    page = admin.open("withdrawals")
    row = page.locator("#view tr", has_text="¥50.00")
    text = row.inner_text()
    assert "Alice 王" in text and "王丽" in text and "138****8000" in text, text  # who gets the money
    admin.shot("withdrawals-pending")
    row.locator("button", has_text="批准打款").click()
    admin.toast("已批准打款")
    assert db.withdrawals.find_one({"_id": shop["withdrawal"]["id"]})["status"] in ("approved", "paid")


def test_the_owner_runs_the_shop_from_the_page(window, db, shop) -> None:
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)
    assert owner.page.inner_text("#who") == "boss（店主）"
    owner.page.wait_for_selector("#view[data-ready=dashboard]", state="attached")
    todos = dict(reversed(t.split("\n")) for t in owner.page.locator(".todo").all_inner_texts())
    # the 拼团 is forming
    assert todos == {"待发货": "2", "待审核退款": "1", "待收退货": "0", "待审核分销商": "0", "待审核提现": "1"}
    owner.shot("dashboard-todo")
    made = _create_product_with_two_specs(owner, db)
    _limited_time_price_by_search(owner, db, made)
    _ship(owner, db, shop)
    _export_orders(owner, shop)
    _approve_refund(owner, db, shop)
    _approve_withdrawal(owner, db, shop)
    _visit_every_screen(owner)
    assert owner.errors == []


def _owner_adds_an_operator(owner: Admin, db) -> None:
    page = owner.open("staff")
    page.locator("text=新建员工").click()
    form = owner.dialog()
    form.locator("input[name=username]").fill(OPERATOR[0])
    form.locator("input[name=password]").fill(OPERATOR[1])
    form.locator("select[name=role]").select_option("operator")
    form.locator("button[type=submit]").click()
    owner.toast("员工已创建")
    page.locator("#view tr", has_text=OPERATOR[0]).wait_for()
    assert db.admins.find_one({"username": OPERATOR[0]})["role"] == "operator"
    page = owner.open("audit")  # the operation log shows who did it
    row = page.locator("#view tr", has_text="员工").first
    row.wait_for()
    assert OWNER[0] in row.inner_text()
    owner.shot("audit-log")


def test_an_operator_sees_no_finance_actions(window, db, shop) -> None:
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)
    _owner_adds_an_operator(owner, db)
    operator = window(DESKTOP, "operator-desktop")
    operator.sign_in(*OPERATOR)
    assert operator.page.inner_text("#who") == "xiaoyun（运营）"
    tabs = _visit_every_screen(operator)
    assert "staff" not in tabs and "audit" not in tabs
    page = operator.open("refunds")
    row = page.locator("#view tr", has_text="尺码不合适")
    row.wait_for()
    assert row.locator("button", has_text="拒绝").count() == 0  # refunds are finance's
    assert row.locator("button", has_text="同意退款").count() == 0
    page = operator.open("withdrawals")
    assert page.locator("#view button", has_text="批准打款").count() == 0
    page = operator.open("settlement")
    assert page.locator("#view button", has_text="立即结算").count() == 0
    assert page.locator("#view button", has_text="按流水修复").count() == 0
    page = operator.open("orders")  # what an operator is for
    to_ship = page.locator("#view tr", has_text=shop["to_ship"]["order_no"])
    assert to_ship.locator("button", has_text="发货").count() == 1
    page.click("#password")  # their own password
    operator.dialog().locator("input[name=old_password]").fill(OPERATOR[1])
    operator.dialog().locator("input[name=new_password]").fill("operator password 2")
    operator.dialog().locator("input[name=confirm]").fill("operator password 2")
    operator.dialog().locator("button[type=submit]").click()
    operator.toast("密码已修改")
    assert operator.errors == [] and owner.errors == []


def test_every_screen_works_on_a_phone(window, shop) -> None:
    phone = window(PHONE, "owner-phone")
    phone.sign_in(*OWNER)
    page = phone.page
    assert not page.locator(".sidebar").is_visible() or page.locator(".sidebar").bounding_box()["x"] < 0
    page.click("#menu")
    page.locator("#tabs a", has_text="订单").click()
    page.wait_for_function("() => location.hash === '#orders'")
    _visit_every_screen(phone)
    phone.open("orders")
    page.locator("#view tr", has_text=shop["to_ship"]["order_no"]).locator("button", has_text="详情").click()
    phone.dialog().locator("text=收货地址").wait_for()
    phone.shot("order-detail")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    assert phone.errors == []


def test_the_owner_manages_coupons_grades_and_money_checks(window, db, shop) -> None:
    """Coupon scope by category picker, a grade, a settlement run, reconciliation, a distributor's ledger."""
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)
    page = owner.open("marketing")
    page.locator(".subtabs button", has_text="优惠券").click()
    page.locator("text=新建优惠券").click()
    form = owner.dialog()
    form.locator("input[name=name]").fill("服饰满 199 减 30")
    form.locator("input[name=amount]").fill("30")
    form.locator("input[name=threshold]").fill("199")
    category = db.categories.find_one({"name": "服饰"}) or db.categories.find_one({"parent_id": None})
    form.locator(".checks label", has_text=category["name"]).first.locator("input").check()
    owner.shot("coupon-scope")
    form.locator("button[type=submit]").click()
    owner.toast("优惠券已创建")
    coupon = db.coupon_templates.find_one({"name": "服饰满 199 减 30"})
    assert (coupon["amount"], coupon["threshold"], coupon["category_ids"]) == (3000, 19900, [category["_id"]])

    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销等级").click()
    page.locator("text=新建等级").click()
    owner.dialog().locator("input[name=name]").fill("金牌")
    owner.dialog().locator("input[name=rates_bp]").fill("12, 6")
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("等级已保存")
    assert db.grades.find_one({"name": "金牌"})["rates_bp"] == [1200, 600]

    page = owner.open("customers")
    page.get_by_placeholder("昵称 / 手机号").fill("bob")
    page.get_by_placeholder("昵称 / 手机号").press("Enter")
    row = page.locator("#view tr", has_text="Bob 李")
    assert "Alice 王" in row.inner_text()  # who brought them
    row.locator("button", has_text="订单").click()
    owner.dialog().locator("tr", has_text="纯棉宽松圆领短袖T恤").first.wait_for()
    assert owner.dialog().locator("tr", has_text="纯棉宽松圆领短袖T恤").count() == 2  # the 拼团 order is earbuds
    owner.page.click("#dialog-close")

    page = owner.open("distribution")
    page.locator("#view tr", has_text="王丽").locator("button", has_text="详情").click()
    owner.dialog().locator("dd", has_text="13800138000").wait_for()  # the merchant sees the phone to call
    detail = owner.dialog().inner_text()
    assert all(f"{name}推广" in detail for name in ("一级", "二级", "三级")), detail  # figures by commission level
    assert re.search(r"一级 \d+ 人，二级 \d+ 人，三级 \d+ 人", detail), detail
    owner.dialog().locator(".subtabs button", has_text="团队").click()
    owner.dialog().locator("tr", has_text="Bob 李").wait_for()
    owner.dialog().locator(".subtabs button", has_text="资金流水").click()
    owner.dialog().locator("text=当前余额：").wait_for()
    assert owner.dialog().locator("tr", has_text="结算到可提现").count() == 1
    owner.shot("distributor-ledger")
    owner.page.click("#dialog-close")

    page = owner.open("products")
    page.locator("#view tr", has_text="高腰直筒牛仔裤").locator("button", has_text="删除").click()
    owner.toast("商品已删除")
    assert db.products.find_one({"title": "高腰直筒牛仔裤 女"})["status"] == "archived"

    page = owner.open("groupbuys")
    page.locator("#view tr", has_text="主动降噪真无线蓝牙耳机").locator("button", has_text="查看团").click()
    group = owner.dialog().locator("tr", has_text="Bob 李")  # bob opened a group, still forming
    group.wait_for()
    assert "拼团中" in group.inner_text() and "1 / 3" in group.inner_text()
    owner.page.click("#dialog-close")

    page = owner.open("settlement")
    page.locator("button", has_text="立即结算").click()
    owner.toast("结算完成")
    page.locator("#view tr", has_text="已完成").first.wait_for()
    reconcile.check_all(db, clock.now())  # what the hourly reconcile_balances schedule stores, every shard
    page.locator("button", has_text="开始核对").click()
    page.locator("text=全部一致").wait_for()
    owner.shot("settlement")
    assert db.settlement_runs.count_documents({"status": "done"}) == 1

    # 佣金试算 beside the distribution settings: bob's orders (alice brought him) at 15% / 3% instead of 10% / 5%
    page = owner.open("settings")
    trial = page.locator("section.panel", has_text="佣金试算")
    trial.locator("input[name=rates_bp]").fill("15, 3")
    trial.locator("button", has_text="试算").click()
    total = trial.locator("tr", has_text="合计")
    total.wait_for()
    expected = simulator.simulate(db, simulator.SimulationQuery(rates_bp="1500,300"))
    assert expected["orders"] >= 2 and expected["proposed"]["net_amount"] > expected["current"]["net_amount"] > 0
    cells = total.locator("td").all_inner_texts()
    assert cells[2:4] == [_yuan(expected["current"]["net_amount"]), _yuan(expected["proposed"]["net_amount"])], cells
    assert get_distribution_settings(db).rates_bp == [1000, 500]  # a trial saves nothing
    owner.shot("commission-simulation")
    assert owner.errors == []


def test_finance_changes_an_unpaid_orders_price(window, db, shop, stack) -> None:
    """改价 in the order detail: owner / finance only, unpaid orders only; the dialog shows the amount at
    placement and takes 元; the shopper then pays the new amount."""
    create_admin(db, "caiwu", "finance password 1", "finance")
    create_admin(db, *OPERATOR, "operator")
    carol = Shopper(stack["base_url"], "carol")
    tee = db.skus.find_one({"product_id": db.products.find_one({"title": {"$regex": "T恤"}})["_id"]})
    order = carol.call("POST", "/v1/orders", {"items": [{"sku_id": tee["_id"], "quantity": 2}],
                                              "address_id": carol.address})
    before = order["amounts"]["pay_amount"]
    finance = window(DESKTOP, "finance-desktop")
    finance.sign_in("caiwu", "finance password 1")
    page = finance.open("orders")
    page.locator("#view tr", has_text=order["order_no"]).locator("button", has_text="详情").click()
    finance.dialog().locator("button", has_text="改价").click()
    form = finance.dialog()
    form.locator("h4", has_text="下单金额").wait_for()
    assert f"下单金额 ¥{before / 100:.2f}" in form.inner_text()
    form.locator("input[name=pay_amount]").fill(f"{(before - 1050) / 100:.2f}")
    form.locator("input[name=reason]").fill("老客户优惠")
    finance.shot("price-change-dialog")
    form.locator("button[type=submit]").click()
    finance.toast("已改价")
    changed = db.orders.find_one({"_id": order["id"]})
    assert changed["amounts"]["pay_amount"] == before - 1050
    (record,) = changed["price_changes"]
    assert (record["from"], record["to"], record["reason"]) == (before, before - 1050, "老客户优惠")
    finance.dialog().locator("text=改价记录").wait_for()  # the detail reopens with the change
    assert "老客户优惠" in finance.dialog().inner_text()
    finance.shot("price-change-done")
    finance.page.click("#dialog-close")
    paid_row = page.locator("#view tr", has_text=shop["to_refund"]["order_no"])
    paid_row.locator("button", has_text="详情").click()
    finance.dialog().locator("text=实付金额").wait_for()
    assert finance.dialog().locator("button", has_text="改价").count() == 0  # paid: no price change
    finance.page.click("#dialog-close")
    operator = window(DESKTOP, "operator-desktop")
    operator.sign_in(*OPERATOR)
    page = operator.open("orders")
    page.locator("#view tr", has_text=order["order_no"]).locator("button", has_text="详情").click()
    operator.dialog().locator("text=实付金额").wait_for()
    assert operator.dialog().locator("button", has_text="改价").count() == 0  # money is owner / finance's
    pay = carol.call("POST", f"/v1/orders/{order['id']}/pay")
    requests.post(f"{stack['base_url']}/__wechat/pay/{pay['out_trade_no']}/succeed", timeout=30).raise_for_status()
    assert db.orders.find_one({"_id": order["id"]})["status"] == "paid"
    assert finance.errors == [] and operator.errors == []


def test_the_owner_runs_seckill_and_bargain_activities(window, db, shop) -> None:
    """秒杀 and 砍价 screens: the list with sold / stock, disabling a seckill, editing a bargain's floor."""
    from datetime import timedelta

    from fenxiao import clock
    from fenxiao.marketing.bargain.activities import create_activity as new_bargain
    from fenxiao.marketing.bargain.models import BargainActivityIn
    from fenxiao.marketing.seckill.activities import create_activity as new_seckill
    from fenxiao.marketing.seckill.models import SeckillActivityIn

    product = db.products.find_one({"title": {"$regex": "^主动降噪真无线蓝牙耳机"}})
    sku = db.skus.find_one({"product_id": product["_id"], "active": True})
    now = clock.now()
    seckill = new_seckill(db, SeckillActivityIn(
        title="整点秒杀", product_id=product["_id"], sku_prices={sku["_id"]: sku["price"] - 100}, stock=30,
        slots=[{"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=1)}]))
    bargain = new_bargain(db, BargainActivityIn(
        title="好友帮砍", product_id=product["_id"], sku_id=sku["_id"], floor_price=990, max_helpers=8,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2)))
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)

    page = owner.open("seckill")
    row = page.locator("#view tr", has_text="整点秒杀")
    row.wait_for()
    assert "0 / 30" in row.inner_text() and "进行中" in row.inner_text()
    owner.shot("seckill")
    row.locator("button", has_text="停用").click()
    owner.toast("秒杀已停用")
    assert db.seckill_activities.find_one({"_id": seckill["id"]})["status"] == "disabled"

    page = owner.open("bargains")
    row = page.locator("#view tr", has_text="好友帮砍")
    row.wait_for()
    assert "¥9.90" in row.inner_text() and "8 人" in row.inner_text()
    row.locator("button", has_text="编辑").click()
    owner.dialog().locator("input[name=max_helpers]").fill("5")
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("砍价已保存")
    saved = db.bargain_activities.find_one({"_id": bargain["id"]})
    assert (saved["max_helpers"], saved["floor_price"], saved["sku_id"]) == (5, 990, sku["_id"])
    owner.shot("bargains")
    assert owner.errors == []


def test_staff_read_a_bargains_helps_with_the_anti_abuse_signals(window, db, shop) -> None:
    """砍价 → 查看砍价 → 帮砍记录, as read-only staff: who helped, the cut, the account age with the new-account
    flag, the address and device with how often they recur; back to the list; no write buttons."""
    from datetime import timedelta

    from fenxiao import clock
    from fenxiao.admin.models import StaffIn
    from fenxiao.admin.staff import create_staff
    from fenxiao.marketing.bargain.activities import create_activity as new_bargain
    from fenxiao.marketing.bargain.bargains import help_bargain, start_bargain
    from fenxiao.marketing.bargain.models import BargainActivityIn, HelpLimits
    from tests.support.factories import make_user

    product = db.products.find_one({"title": {"$regex": "^主动降噪真无线蓝牙耳机"}})
    sku = db.skus.find_one({"product_id": product["_id"], "active": True})
    now = clock.now()
    activity = new_bargain(db, BargainActivityIn(
        title="帮砍耳机", product_id=product["_id"], sku_id=sku["_id"], floor_price=990, max_helpers=10,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2),
        limits=HelpLimits(helper_min_account_hours=0)))
    owner_id, _ = make_user(db, nickname="砍价发起人")
    bargain = start_bargain(db, owner_id, activity["id"])
    fresh, _ = make_user(db, nickname="刚注册的小号")
    old, _ = make_user(db, nickname="老朋友", created_at=now - timedelta(days=30))
    other, _ = make_user(db, nickname="同网好友", created_at=now - timedelta(days=3))
    help_bargain(db, fresh, bargain["id"], ip="10.9.8.7", device="device-A")
    help_bargain(db, old, bargain["id"], ip="192.168.1.20", device="device-B")
    help_bargain(db, other, bargain["id"], ip="10.9.8.7")
    create_staff(db, StaffIn(username="kankan", password="viewer password 1", role="viewer"))
    viewer = window(DESKTOP, "viewer-desktop")
    viewer.sign_in("kankan", "viewer password 1")

    page = viewer.open("bargains")
    row = page.locator("#view tr", has_text="帮砍耳机")
    row.wait_for()
    assert row.locator("button", has_text="编辑").count() == 0  # read-only staff: no writes
    row.locator("button", has_text="查看砍价").click()
    dialog = viewer.dialog()
    mine = dialog.locator("tr", has_text="砍价发起人")
    mine.wait_for()
    assert "3 / 10 人" in mine.inner_text() and "砍价中" in mine.inner_text()
    viewer.shot("bargain-list")
    mine.locator("button", has_text="帮砍记录").click()
    helps = dialog.locator("tr", has_text="刚注册的小号")
    helps.wait_for()
    rows = dialog.locator("tbody tr")
    assert rows.count() == 3
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert "刚注册的小号" in texts[0] and "新账号" in texts[0] and "0 小时" in texts[0]
    assert "10.9.8.7" in texts[0] and "同一网络帮砍 2 次" in texts[0] and "device-A" in texts[0]
    assert "老朋友" in texts[1] and "30 天" in texts[1] and "新账号" not in texts[1] and "同一网络" not in texts[1]
    assert "同网好友" in texts[2] and "3 天" in texts[2] and "同一网络帮砍 2 次" in texts[2]
    cuts = [h["cut"] for h in db.bargains.find_one({"_id": bargain["id"]})["helpers"]]
    assert f"¥{cuts[0] / 100:.2f}" in texts[0]
    viewer.shot("bargain-helps")
    dialog.locator("button", has_text="返回砍价记录").click()
    dialog.locator("tr", has_text="砍价发起人").wait_for()
    assert viewer.errors == []


# --- after-sales, shipping templates, reviews, hot searches (issue 16) -------------------------------

FINANCE = ("caiwu", "finance password 1")
RETURN_ADDRESS = {"name": "售后部", "phone": "0571-88886666", "province": "浙江省", "city": "杭州市",
                  "district": "余杭区", "detail": "仓前街道 8 号仓库"}


def _raw(base: str, method: str, path: str, token: str, body: Any = None) -> requests.Response:
    return requests.request(method, base + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _admin_api(base: str) -> Any:
    token = requests.post(f"{base}/v1/admin/login", json={"username": OWNER[0], "password": OWNER[1]},
                          timeout=30).json()["token"]

    def call(method: str, path: str, body: Any = None) -> Any:
        resp = _raw(base, method, path, token, body)
        assert resp.ok, f"{method} {path} → {resp.status_code} {resp.text[:300]}"
        return resp.json()
    return call


def _set_return_address(owner: Admin, db) -> None:
    page = owner.open("settings")
    form = page.locator("form", has=page.locator("input[name='return_address.name']"))
    for field in ("name", "phone", "city", "district", "detail"):
        form.locator(f"input[name='return_address.{field}']").fill(RETURN_ADDRESS[field])
    form.locator("select[name='return_address.province']").select_option(RETURN_ADDRESS["province"])
    form.locator("button[type=submit]").click()
    owner.toast("设置已保存")
    stored = db.kv.find_one({"_id": "settings:shop"}) or {}
    saved = stored.get("return_address") or {}
    assert {k: v for k, v in saved.items() if k in RETURN_ADDRESS} == RETURN_ADDRESS, stored


def _pick_place(form: Any, picker_label: str, query: str, place: str) -> None:
    form.get_by_label(f"选择{picker_label}").click()
    form.get_by_label(f"{picker_label} 筛选").fill(query)
    form.locator(f".place-picker[data-label='{picker_label}'] label", has_text=place).first.locator("input").check()


def _create_shipping_template(owner: Admin, db) -> dict[str, Any]:
    page = owner.open("shipping")
    page.click("text=新建运费模板")
    form = owner.dialog()
    form.locator("input[name=name]").fill("江浙快递")
    for field, value in (("首件/首重", "1"), ("首费", "10"), ("续件/续重", "1"), ("续费", "5")):
        form.get_by_label(f"默认运费 {field}").fill(value)
    form.locator("text=＋ 为指定地区设置运费").click()
    _pick_place(form, "地区运费 1 的地区", "浙江", "浙江省（全省）")
    for field, value in (("首件/首重", "1"), ("首费", "6"), ("续件/续重", "1"), ("续费", "2")):
        form.get_by_label(f"地区运费 1 {field}").fill(value)
    form.locator("text=＋ 添加包邮条件").click()
    form.get_by_label("包邮条件 1 满件数").fill("3")
    _pick_place(form, "不配送地区", "乌鲁木齐", "乌鲁木齐市")
    owner.shot("shipping-template-editor")
    form.locator("button[type=submit]").click()
    owner.toast("运费模板已保存")
    template = db.shipping_templates.find_one({"name": "江浙快递"})
    assert (template["mode"], template["default"]) == ("piece", {"first": 1, "first_fee": 1000, "additional": 1,
                                                                  "additional_fee": 500})
    assert template["regions"] == [{"places": ["浙江省"], "first": 1, "first_fee": 600, "additional": 1,
                                    "additional_fee": 200}]
    assert template["free_rules"] == [{"places": [], "min_amount": None, "min_units": 3}]
    assert template["not_delivered"] == ["新疆维吾尔自治区/乌鲁木齐市"]
    row = page.locator("#view tr", has_text="江浙快递")
    assert "首1件 ¥10.00，每增加1件 ¥5.00" in row.inner_text() and "满3件包邮" in row.inner_text()
    # the product editor picks it by name
    page = owner.open("products")
    page.locator("#view tr", has_text="纯棉宽松圆领短袖T恤").locator("button", has_text="编辑").click()
    owner.dialog().locator("select[name=shipping_template_id]").select_option(label="江浙快递（按件数）")
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("商品已保存")
    assert db.products.find_one({"title": {"$regex": "T恤"}})["shipping_template_id"] == template["_id"]
    return template


def _checkout_uses_the_template(base: str, bob: Shopper, tee_sku: str) -> None:
    def preview(quantity: int, address: str) -> requests.Response:
        return _raw(base, "POST", "/v1/checkout/preview", bob.token,
                    {"items": [{"sku_id": tee_sku, "quantity": quantity}], "address_id": address})
    two = preview(2, bob.address)  # 浙江省: 6 元 for the first, 2 元 for the second
    assert two.status_code == 200 and two.json()["shipping_fee"] == 800, two.text
    assert preview(3, bob.address).json()["shipping_fee"] == 0  # 满 3 件包邮
    order = bob.call("POST", "/v1/orders", {"items": [{"sku_id": tee_sku, "quantity": 2}], "address_id": bob.address})
    assert order["amounts"]["shipping_fee"] == 800  # the order charges what the preview showed
    far = bob.call("POST", "/v1/me/addresses", {
        "name": "李雷", "phone": "13900139000", "province": "新疆维吾尔自治区", "city": "乌鲁木齐市",
        "district": "天山区", "detail": "人民路 1 号"})["id"]
    refused = preview(1, far)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "REGION_NOT_DELIVERED", refused.text


def _shopper_upload(base: str, bob: Shopper) -> str:
    form = bob.call("POST", "/v1/me/uploads", {"filename": "photo.png", "content_type": "image/png", "size": len(PNG)})
    requests.post(form["url"], data=form["fields"], files={"file": ("photo.png", PNG, "image/png")},
                  timeout=30).raise_for_status()
    return str(form["public_url"])


def _bob_reviews_and_returns(base: str, db, shop: dict[str, Any]) -> tuple[Shopper, str]:
    """The shipped order is received and reviewed (with a photo), then bob asks to return it."""
    admin = _admin_api(base)
    order = shop["to_ship"]
    carrier = admin("GET", "/v1/admin/carriers")["items"][0]["code"]
    admin("POST", f"/v1/admin/orders/{order['id']}/ship", {"carrier": carrier, "tracking_no": "SF1234567890"})
    bob = Shopper(base, "bob")
    bob.call("POST", f"/v1/orders/{order['id']}/confirm-receipt")
    line = db.orders.find_one({"_id": order["id"]})["lines"][0]
    bob.call("POST", "/v1/me/reviews", {"order_id": order["id"], "sku_id": line["sku_id"], "rating": 4,
                                       "content": "面料舒服，就是有点短", "images": [_shopper_upload(base, bob)]})
    refund = bob.call("POST", f"/v1/orders/{order['id']}/refunds", {
        "type": "return_refund", "reason": "颜色和图片不一样", "photos": [_shopper_upload(base, bob)]})
    return bob, refund["id"]


def _after_sales_row(admin: Admin, order_no: str, kind: str = "退货退款") -> Any:
    page = admin.open("refunds")
    page.get_by_label("售后类型").select_option(label=kind)
    row = page.locator("#view tr", has_text=order_no)
    row.wait_for()
    return row


def _walk_the_return(operator: Admin, finance: Admin, db, bob: Shopper, refund_id: str, order: dict[str, Any]) -> None:
    sku = db.refunds.find_one({"_id": refund_id})["lines"][0]["sku_id"]
    stock_before = db.skus.find_one({"_id": sku})["stock"]
    row = _after_sales_row(operator, order["order_no"])
    assert "Bob 李" in row.inner_text() and "颜色和图片不一样" in row.inner_text() and "待审核" in row.inner_text()
    assert row.locator("button", has_text="同意退款").count() == 0  # money is finance's
    assert row.locator("button", has_text="拒绝").count() == 0
    row.locator("button", has_text="同意退货").click()
    operator.dialog().locator("text=仓前街道 8 号仓库").wait_for()  # the shop's return address, from 设置
    operator.dialog().locator("button", has_text="同意并告知买家退货地址").click()
    operator.toast("已同意")
    assert db.refunds.find_one({"_id": refund_id})["status"] == "awaiting_return"

    bob.call("POST", f"/v1/me/refunds/{refund_id}/return", {"carrier": "圆通速递", "tracking_no": "YT9876543210"})

    row = _after_sales_row(operator, order["order_no"])
    row.locator("button", has_text="详情").click()
    detail = operator.dialog()
    detail.locator("text=YT9876543210").wait_for()  # the shopper's parcel back
    text = detail.inner_text()
    assert "纯棉宽松圆领短袖T恤" in text and "圆通速递" in text and "买家寄回" in text
    assert detail.locator(".steps li.done").count() == 3  # 提交申请 → 同意退货 → 买家寄回
    operator.shot("after-sales-detail")
    detail.locator("button", has_text="确认收货").click()
    operator.toast("已确认收货")
    assert db.refunds.find_one({"_id": refund_id})["status"] == "received"
    assert db.skus.find_one({"_id": sku})["stock"] == stock_before + 1  # back on sale
    detail.locator(".steps li.done", has_text="收到退货").wait_for()
    assert detail.locator("button", has_text="同意退款").count() == 0  # the money is finance's
    operator.page.click("#dialog-close")

    row = _after_sales_row(finance, order["order_no"])
    assert row.locator("button", has_text="确认收货").count() == 0
    row.locator("button", has_text="同意退款").click()
    finance.toast("已同意退款")
    assert db.refunds.find_one({"_id": refund_id})["status"] in ("approved", "refunded")
    page = finance.page
    page.get_by_label("售后类型").select_option(label="全部类型")  # the refund-only request of the fixture too
    page.locator("#view tr", has_text="尺码不合适").wait_for()
    assert "已退款" in page.locator("#view tr", has_text=order["order_no"]).inner_text()
    finance.shot("after-sales-list")


def _moderate_the_review(operator: Admin, db) -> None:
    page = operator.open("reviews")
    row = page.locator("#view tr", has_text="面料舒服")
    text = row.inner_text()
    assert "Bob 李" in text and "纯棉宽松圆领短袖T恤" in text and "★★★★☆" in text
    assert row.locator("img").count() == 1
    row.locator("button", has_text="回复").click()
    operator.dialog().locator("textarea[name=content]").fill("感谢支持，下次给您留意尺码")
    operator.dialog().locator("button[type=submit]").click()
    operator.toast("回复已发布")
    row = page.locator("#view tr", has_text="面料舒服")
    assert "商家回复：感谢支持" in row.inner_text()
    row.locator("button", has_text="隐藏").click()
    operator.toast("评价已隐藏")
    review = db.reviews.find_one({"content": "面料舒服，就是有点短"})
    assert review["status"] == "hidden" and review["reply"]["content"] == "感谢支持，下次给您留意尺码"
    page.locator("#view tr", has_text="面料舒服").locator("text=已隐藏").wait_for()
    operator.shot("reviews")


def _edit_hot_searches(operator: Admin, base: str) -> None:
    page = operator.open("search")
    for word in ("降噪耳机", "T恤", "牛仔裤"):
        page.get_by_label("新的热门搜索词").fill(word)
        page.get_by_label("新的热门搜索词").press("Enter")
    page.get_by_label("T恤 前移").click()
    page.get_by_label("移除 牛仔裤").click()
    page.locator("#view button", has_text="保存").click()
    operator.toast("热门搜索已保存")
    assert requests.get(f"{base}/v1/search/hot", timeout=30).json()["items"] == ["T恤", "降噪耳机"]
    operator.shot("hot-searches")


def test_after_sales_shipping_templates_reviews_and_hot_searches(window, db, shop, stack) -> None:
    base = stack["base_url"]
    create_admin(db, *OPERATOR, "operator")
    create_admin(db, *FINANCE, "finance")
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)
    _set_return_address(owner, db)
    _create_shipping_template(owner, db)
    bob, refund_id = _bob_reviews_and_returns(base, db, shop)
    tee = db.skus.find_one({"product_id": db.products.find_one({"title": {"$regex": "T恤"}})["_id"]})
    _checkout_uses_the_template(base, bob, tee["_id"])

    operator = window(DESKTOP, "operator-desktop")
    operator.sign_in(*OPERATOR)
    finance = window(DESKTOP, "finance-desktop")
    finance.sign_in(*FINANCE)
    _walk_the_return(operator, finance, db, bob, refund_id, shop["to_ship"])
    _moderate_the_review(operator, db)
    _edit_hot_searches(operator, base)

    page = owner.open("audit")  # every write by its Chinese name, filtered by a name too
    for label in ("同意退货", "确认收到退货", "新建运费模板", "回复评价", "隐藏评价", "修改热门搜索"):
        page.locator("#view td", has_text=label).first.wait_for()
    assert "refunds.agree" not in page.inner_text("#view")
    page.get_by_label("操作", exact=True).select_option(label="确认收到退货")
    page.locator("#view tbody tr", has_text=OPERATOR[0]).wait_for()
    assert page.locator("#view tbody tr").count() == 1
    owner.shot("audit-labels")
    assert owner.errors == [] and operator.errors == [] and finance.errors == []


def test_lists_load_more_by_cursor_and_a_filter_starts_again(window, db, shop, stack) -> None:
    """Every admin list pages with `cursor` / `next_cursor` (here one item a page, forced on the refunds
    list): 加载更多 appends the next page, and a filter change starts from the first page again."""
    bob = Shopper(stack["base_url"], "bob")
    bob.call("POST", f"/v1/orders/{shop['to_ship']['id']}/refunds", {"reason": "不想要了"})
    owner = window(DESKTOP, "owner-desktop")
    asked: list[str] = []

    def one_a_page(route: Any) -> None:
        asked.append(route.request.url)
        url = route.request.url
        route.continue_(url=url + ("&" if "?" in url else "?") + "page_size=1")
    owner.page.route(re.compile(r".*/v1/admin/refunds(\?.*)?$"), one_a_page)
    owner.sign_in(*OWNER)
    page = owner.open("refunds")
    assert page.locator("#view tbody tr").count() == 1 and "已显示 1 条" in page.inner_text("#view .pager")
    page.locator("#view button", has_text="加载更多").click()
    page.locator("#view tbody tr").nth(1).wait_for()
    assert "cursor=" in asked[-1] and "page=" not in asked[-1].replace("page_size", "")
    assert "共 2 条" in page.inner_text("#view .pager")
    assert {t for t in page.locator("#view tbody tr").all_inner_texts() if "不想要了" in t or "尺码不合适" in t}
    page.locator("#view select").first.select_option("requested")
    page.wait_for_function("() => document.querySelectorAll('#view tbody tr').length === 1")
    assert "cursor=" not in asked[-1]
    assert owner.errors == []


def test_after_sales_and_shipping_templates_on_a_phone(window, db, shop, stack) -> None:
    phone = window(PHONE, "owner-phone")
    phone.sign_in(*OWNER)
    page = phone.open("refunds")
    page.locator("#view tr", has_text=shop["to_refund"]["order_no"]).locator("button", has_text="详情").click()
    phone.dialog().locator(".steps").wait_for()
    assert "尺码不合适" in phone.dialog().inner_text()
    phone.shot("after-sales-detail")
    phone.page.click("#dialog-close")
    page = phone.open("shipping")
    page.click("text=新建运费模板")
    phone.dialog().locator("text=＋ 为指定地区设置运费").click()
    phone.dialog().get_by_label("选择地区运费 1 的地区").click()
    phone.dialog().locator(".place-picker[data-label='地区运费 1 的地区'] label", has_text="广东省（全省）").wait_for()
    phone.shot("shipping-template-editor")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    assert phone.errors == []


def test_an_exchange_is_reshipped_from_the_page(window, db, shop, stack) -> None:
    """换货: once the goods are back, 换货发出 records the new parcel (carrier from WeChat's list)."""
    base = stack["base_url"]
    admin = _admin_api(base)
    admin("PUT", "/v1/admin/settings/shop", {"return_address": RETURN_ADDRESS})
    order = shop["to_ship"]
    carrier = admin("GET", "/v1/admin/carriers")["items"][0]
    admin("POST", f"/v1/admin/orders/{order['id']}/ship", {"carrier": carrier["code"], "tracking_no": "SF1234567890"})
    bob = Shopper(base, "bob")
    refund_id = bob.call("POST", f"/v1/orders/{order['id']}/refunds", {"type": "exchange", "reason": "换大一码"})["id"]
    admin("POST", f"/v1/admin/refunds/{refund_id}/agree-return", {})
    bob.call("POST", f"/v1/me/refunds/{refund_id}/return", {"carrier": "中通快递", "tracking_no": "ZT1234567"})
    admin("POST", f"/v1/admin/refunds/{refund_id}/receive", {})
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)
    row = _after_sales_row(owner, order["order_no"], "换货")
    assert "已收到退货" in row.inner_text() and row.locator("button", has_text="同意退款").count() == 0
    row.locator("button", has_text="换货发出").click()
    owner.dialog().locator("select[name=carrier]").select_option(carrier["code"])
    owner.dialog().locator("input[name=tracking_no]").fill("SF5555666677")
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("换货已发出")
    refund = db.refunds.find_one({"_id": refund_id})
    assert refund["status"] == "reshipped"
    assert (refund["reshipment"]["carrier"], refund["reshipment"]["tracking_no"]) == (carrier["code"], "SF5555666677")
    owner.page.locator("#view tr", has_text=order["order_no"]).locator("text=换货已发出").wait_for()
    assert owner.errors == []


def test_a_banner_opens_a_product_picked_by_name(window, db, shop) -> None:
    """首页轮播: what a banner opens is chosen (a product by search, a search word, a page), never typed as ids."""
    owner = window(DESKTOP, "owner-desktop")
    owner.sign_in(*OWNER)
    page = owner.open("banners")
    page.click("text=新建轮播图")
    form = owner.dialog()
    form.locator("input[name=image]").fill("https://picsum.photos/750/300")
    form.get_by_label("跳转到").select_option(label="商品详情")
    form.get_by_label("搜索商品").fill("T恤")
    form.get_by_label("搜索商品").press("Enter")
    form.locator(".hits li", has_text="纯棉宽松圆领短袖T恤").locator("button", has_text="选择").click()
    owner.shot("banner-link")
    form.locator("button[type=submit]").click()
    owner.toast("已保存")
    tee = db.products.find_one({"title": {"$regex": "T恤"}})
    assert db.banners.find_one({})["link"] == f"/pages/product/detail?id={tee['_id']}"
    row = page.locator("#view tr", has_text="商品：纯棉宽松圆领短袖T恤")
    row.locator("button", has_text="编辑").click()
    owner.dialog().get_by_label("跳转到").select_option(label="搜索结果")
    owner.dialog().get_by_label("搜索词").fill("降噪耳机")
    owner.dialog().locator("button[type=submit]").click()
    page.locator("#view tr", has_text="搜索：降噪耳机").wait_for()
    assert db.banners.find_one({})["link"] == "/pages/search/index?q=%E9%99%8D%E5%99%AA%E8%80%B3%E6%9C%BA"
    assert owner.errors == []

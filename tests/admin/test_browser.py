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
from fenxiao.distribution import balances, reconcile
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
    assert todos == {"待发货": "2", "待审核退款": "1", "待审核分销商": "0", "待审核提现": "1"}  # the 拼团 is forming
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
    assert owner.errors == []

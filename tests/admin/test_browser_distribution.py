"""Distribution screens in a real browser (Chromium through Playwright, like tests/admin/test_browser.py):
the owner sets a grade's automatic upgrade conditions, the nightly run upgrades a distributor, the detail
shows the history, and a grade set by hand is locked."""
from __future__ import annotations

from fenxiao import clock
from fenxiao.distribution import grade_upgrades, stats
from tests.admin.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    OWNER,
    PHONE,
    PNG,
    browser,
    pytestmark,
    shop,
    window,
)


def _history_row(owner, page, overview: str, kind: str):
    """Alice's detail: the overview says `overview` about automatic upgrades; the 等级变更 row of `kind`."""
    page.locator("#view tr", has_text="王丽").locator("button", has_text="详情").click()
    owner.dialog().locator(f"text={overview}").wait_for()
    owner.dialog().locator(".subtabs button", has_text="等级变更").click()
    row = owner.dialog().locator("tr", has_text=kind)
    row.wait_for()
    return row


def _new_in_subtab(open_window, shot_name: str, tab: str, empty: str, button: str):
    """The owner on the 分销 screen's `tab` (still empty) opens its 新建 form: (owner, page, form)."""
    owner = open_window(DESKTOP, shot_name)
    owner.sign_in(*OWNER)
    page = owner.open("distribution")
    page.locator(".subtabs button", has_text=tab).click()
    page.locator(f"text={empty}").wait_for()
    page.locator("#view button", has_text=button).click()
    return owner, page, owner.dialog()


def _upload(form, name: str) -> None:
    picture = {"name": name, "mimeType": "image/png", "buffer": PNG}
    form.locator("input[type=file]").first.set_input_files(files=[picture])


def test_the_owner_sets_upgrade_conditions_and_sees_the_history(window, db, shop) -> None:  # noqa: F811
    owner = window(DESKTOP, "owner-grades")
    owner.sign_in(*OWNER)
    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销等级").click()
    for name, sort, rates, match, direct, team_sales in (("银牌", "1", "12, 6", "满足任一条件即可", "1", ""),
                                                         ("金牌", "2", "15, 8", "需满足全部条件", "5", "3000.5")):
        page.locator("#view button", has_text="新建等级").click()
        form = owner.dialog()
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=rates_bp]").fill(rates)
        form.locator("input[name=sort]").fill(sort)
        form.locator("select[name='upgrade.match']").select_option(label=match)
        form.locator("input[name='upgrade.direct_members']").fill(direct)
        form.locator("input[name='upgrade.team_sales']").fill(team_sales)
        if name == "金牌":
            owner.shot("grade-conditions-form")
        form.locator("button[type=submit]").click()
        owner.toast("等级已保存")
    row = page.locator("#view tr", has_text="金牌")
    row.wait_for()  # the first save's toast may still show: the second's row says it landed
    silver, gold = db.grades.find_one({"name": "银牌"}), db.grades.find_one({"name": "金牌"})
    assert silver["upgrade"] == {"match": "any", "direct_members": 1}
    assert gold["upgrade"] == {"match": "all", "direct_members": 5, "team_sales": 300050}
    assert "直属成员 ≥ 5 人 且 团队销售额 ≥ ¥3,000.50" in row.inner_text()
    owner.shot("grades-with-conditions")

    # the night: the stats snapshot (hourly) and the upgrade run (settle_commissions' leader)
    now = clock.now()
    stats.snapshot_all(db, now)
    assert grade_upgrades.run(db, now)["upgraded"] >= 1
    alice = shop["alice"]
    assert db.distributors.find_one({"_id": alice})["grade_id"] == silver["_id"]  # bob is her direct member

    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销商").first.click()
    auto = _history_row(owner, page, "参与（每晚按等级条件评估）", "自动升级")
    assert "默认 → 银牌" in auto.inner_text() and "条件：直属成员 ≥ 1 人" in auto.inner_text()
    assert "当时：直属成员 " in auto.inner_text()
    owner.shot("distributor-grade-history")
    owner.page.click("#dialog-close")

    page.locator("#view tr", has_text="王丽").locator("button", has_text="等级").click()
    form = owner.dialog()
    form.locator("select[name=grade_id]").select_option(label="金牌（15% / 8%）")
    assert form.locator("input[name=grade_locked]").is_checked()  # a grade set by hand is locked by default
    form.locator("button[type=submit]").click()
    page.locator("#view tr", has_text="王丽").locator("td", has_text="金牌").wait_for()  # reloaded after the save
    doc = db.distributors.find_one({"_id": alice})
    assert (doc["grade_id"], doc["grade_locked"]) == (gold["_id"], True)
    manual = _history_row(owner, page, "已锁定（等级由商家手动设置，不自动升级）", "手动调整")
    assert "银牌 → 金牌" in manual.inner_text() and "操作人 boss，已锁定" in manual.inner_text()
    assert owner.dialog().locator("tbody tr").count() == 2
    owner.shot("distributor-grade-history-manual")
    assert owner.errors == []


def test_the_grade_history_reads_on_a_phone(window, db, shop) -> None:  # noqa: F811
    owner = window(PHONE, "owner-phone-grades")
    owner.sign_in(*OWNER)
    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销等级").click()
    page.locator("#view button", has_text="新建等级").click()
    owner.dialog().locator("input[name=name]").fill("银牌")
    owner.dialog().locator("input[name=rates_bp]").fill("12, 6")
    owner.dialog().locator("input[name='upgrade.own_sales']").fill("10")
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("等级已保存")
    assert db.grades.find_one({"name": "银牌"})["upgrade"] == {"match": "any", "own_sales": 1000}
    owner.shot("grades")
    assert owner.errors == []


def test_the_owner_designs_poster_templates(window, db, shop) -> None:  # noqa: F811
    """A background uploaded through the presigned POST, a layout, a colour, a title, shop + product, default
    for the shop; a second one only for products, then disabled; the list says so."""
    owner, page, form = _new_in_subtab(window, "owner-posters", "海报模板", "还没有海报模板", "新建海报模板")
    form.locator("input[name=name]").fill("春日")
    form.locator("select[name=layout]").select_option("full")
    _upload(form, "spring.png")
    form.locator("input[name=background]").wait_for()
    page.wait_for_function("() => document.querySelector('#dialog input[name=background]').value.startsWith('http')")
    form.locator("input[name=text_color]").fill("#2E7D32")
    form.locator("input[name=title]").fill("春日好物节")
    form.locator("input[name='default_for.shop']").check()
    owner.shot("poster-template-form")
    form.locator("button[type=submit]").click()
    owner.toast("海报模板已保存")
    spring = db.poster_templates.find_one({"name": "春日"})
    assert (spring["layout"], spring["text_color"], spring["title"]) == ("full", "#2E7D32", "春日好物节")
    assert spring["applies_to"] == ["shop", "product"] and spring["default_for"] == ["shop"] and spring["enabled"]
    assert spring["background"].startswith("http") and "/uploads/" in spring["background"]

    page.locator("#view button", has_text="新建海报模板").click()
    form = owner.dialog()
    form.locator("input[name=name]").fill("新品")
    form.locator("select[name=layout]").select_option(label="居中：分享人在上，商品图居中，小程序码在底部")
    form.locator("input[name=text_color]").fill("blue")  # not #RRGGBB: the API refuses it, the form says why
    form.locator("input[name='applies_to.shop']").uncheck()
    form.locator("button[type=submit]").click()
    form.locator("p.error", has_text="文字颜色").wait_for()
    form.locator("input[name=text_color]").fill("#6a1b9a")
    form.locator("button[type=submit]").click()
    # the first save's toast may still show: wait for what only this save draws (its row), then read the db
    row = page.locator("#view tr", has_text="新品")
    row.wait_for()
    fresh = db.poster_templates.find_one({"name": "新品"})
    assert (fresh["layout"], fresh["applies_to"], fresh["background"]) == ("centered", ["product"], None)

    row.locator("button", has_text="编辑").click()
    owner.dialog().locator("input[name=enabled]").uncheck()
    owner.dialog().locator("button[type=submit]").click()
    page.locator("#view tr", has_text="新品").locator("text=停用").wait_for()
    assert db.poster_templates.find_one({"name": "新品"})["enabled"] is False
    spring_row = page.locator("#view tr", has_text="春日").inner_text()
    assert "满版" in spring_row and "店铺海报默认" in spring_row and "#2E7D32" in spring_row
    owner.shot("poster-templates")
    # the refused colour is the one failed request (the browser logs every 4xx)
    assert owner.errors == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]


def test_the_owner_writes_promotion_materials(window, db, shop) -> None:  # noqa: F811
    """推广素材: a post with text, an uploaded picture and a product picked by name; then hidden; the list says so."""
    owner, page, form = _new_in_subtab(window, "owner-materials", "推广素材", "还没有推广素材", "新建推广素材")
    form.locator("input[name=title]").fill("夏日T恤上新")
    form.locator("textarea[name=content]").fill("纯棉宽松，四色可选，今天下单明天到！")
    _upload(form, "tee.png")
    form.locator(".image-list img").wait_for()
    form.get_by_label("搜索商品").fill("T恤")
    form.get_by_label("搜索商品").press("Enter")
    form.locator(".hits li", has_text="纯棉宽松圆领短袖T恤").locator("button", has_text="选择").click()
    form.locator(".chosen-product", has_text="纯棉宽松圆领短袖T恤").wait_for()
    owner.shot("material-form")
    form.locator("button[type=submit]").click()
    owner.toast("推广素材已保存")
    tee = db.products.find_one({"title": {"$regex": "T恤"}})
    post = db.materials.find_one({"title": "夏日T恤上新"})
    assert post["product_id"] == tee["_id"] and post["content"].startswith("纯棉宽松") and post["visible"] is True
    assert len(post["images"]) == 1 and "/uploads/" in post["images"][0]
    row = page.locator("#view tr", has_text="夏日T恤上新")
    row.locator("text=纯棉宽松圆领短袖T恤").wait_for()
    row.locator("button", has_text="编辑").click()
    owner.dialog().locator("input[name=visible]").uncheck()
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("推广素材已保存")
    page.locator("#view tr", has_text="夏日T恤上新").locator("text=已隐藏").wait_for()
    assert db.materials.find_one({"_id": post["_id"]})["visible"] is False
    owner.shot("materials")
    assert owner.errors == []

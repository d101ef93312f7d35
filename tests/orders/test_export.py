"""GET /v1/admin/exports/orders through the real admin handler: the CSV a merchant opens in Excel."""
from __future__ import annotations

import csv
import io
from urllib.parse import unquote

from fenxiao import clock
from fenxiao.orders import export
from tests.support.catalog import make_product
from tests.support.factories import admin_token

PATH = "/v1/admin/exports/orders"


def _csv(resp) -> list[list[str]]:
    text = resp.text
    if text.startswith("ï»¿"):  # a base64 body the test client decoded as latin-1
        text = text.encode("latin1").decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with a BOM, or Excel reads the Chinese as GBK"
    return list(csv.reader(io.StringIO(text[1:])))


def test_one_row_per_line_in_beijing_time_with_yuan_and_the_buyer(api, db, shopper, other, place):
    admin = admin_token(db, "viewer")
    _, (shirt, cap) = make_product(db, skus=[{"price": 5990, "stock": 9}, {"price": 1000, "stock": 9}])
    order = place([(shirt, 2), (cap, 1)]).json
    elsewhere = place([(cap, 1)], who=other).json
    db.orders.update_one({"_id": elsewhere["id"]}, {"$set": {"created_at": clock.parse("2026-11-20T08:00:00Z")}})
    db.users.update_one({"_id": shopper.user_id}, {"$set": {"nickname": "=HYPERLINK(\"evil\")"}})
    db.orders.update_one({"_id": order["id"]}, {"$set": {"created_at": clock.parse("2026-11-30T17:30:00Z")}})

    resp = api.get(PATH, token=admin, query={"from": "2026-12-01T00:00:00+08:00", "to": "2026-12-02T00:00:00+08:00"})
    assert resp.status == 200, resp
    assert resp.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = resp.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("UTF-8''")[1]) == "订单_2026-12-01_2026-12-01.csv"
    header, *rows = _csv(resp)
    assert header == export.HEADER
    assert len(rows) == 2 and {r[0] for r in rows} == {order["order_no"]}
    shirt_row = next(r for r in rows if r[7] == "2")
    assert shirt_row[1] == "2026-12-01 01:30:00" and shirt_row[3] == "待付款"  # Beijing time, Chinese status
    assert shirt_row[4] == "'=HYPERLINK(\"evil\")"  # never a formula in Excel
    assert (shirt_row[8], shirt_row[10]) == ("59.90", "119.80")
    assert shirt_row[15] and shirt_row[17]  # receiver and address, for the courier


def test_filters_match_the_order_list_and_big_ranges_are_refused(api, db, shopper, place, monkeypatch):
    admin = admin_token(db)
    _, (sku,) = make_product(db, skus=[{"stock": 9}])
    first = place([(sku, 1)]).json
    place([(sku, 1)])
    db.orders.update_one({"_id": first["id"]}, {"$set": {"status": "paid"}})
    rows = _csv(api.get(PATH, token=admin, query={"status": "paid"}))[1:]
    assert [r[0] for r in rows] == [first["order_no"]] and rows[0][3] == "待发货"
    monkeypatch.setattr(export, "MAX_ORDERS", 1)
    resp = api.get(PATH, token=admin)
    assert resp.status == 422 and resp.error_code == "EXPORT_TOO_LARGE", resp
    assert resp.json["error"]["message"] == "要导出的订单有 2 单，一次最多 1 单，请缩短日期范围"
    assert api.get(PATH).status == 401

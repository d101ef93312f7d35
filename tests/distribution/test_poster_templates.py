"""Poster templates (海报模板) through the real handlers: the merchant designs them, a distributor lists the
enabled ones of a kind with the default preselected."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from fenxiao.distribution import posters
from tests.distribution.money_support import make_buyer, make_distributor
from tests.support.factories import admin_token

TEMPLATE = {"name": "春日", "layout": "classic", "background": "https://img.example.com/spring.jpg",
            "text_color": "#1A2b3c", "title": "春日好物", "applies_to": ["shop", "product"]}


def _admin(api, db, method, path, body=None, role="owner"):
    return api.call(method, path, json_body=body, token=admin_token(db, role))


def _make(api, db, **fields):
    made = _admin(api, db, "POST", "/v1/admin/poster-templates", {**TEMPLATE, **fields})
    assert made.status == 201, made
    return made.json


def test_the_merchant_creates_edits_and_deletes_templates(api, db):
    made = _admin(api, db, "POST", "/v1/admin/poster-templates", TEMPLATE, role="operator")
    assert made.status == 201
    assert {k: made.json[k] for k in TEMPLATE} == TEMPLATE
    assert (made.json["enabled"], made.json["default_for"], made.json["sort"]) == (True, [], 0)
    template_id = made.json["id"]
    edited = _admin(api, db, "PUT", f"/v1/admin/poster-templates/{template_id}",
                    {**TEMPLATE, "layout": "full", "background": None, "enabled": False})
    assert (edited.json["layout"], edited.json["background"], edited.json["enabled"]) == ("full", None, False)
    listed = _admin(api, db, "GET", "/v1/admin/poster-templates", role="viewer").json
    assert [t["id"] for t in listed["items"]] == [template_id]  # disabled ones too
    audit = db.audit_log.find_one({"action": "distribution.edit_poster_template"})
    assert (audit["before"]["layout"], audit["after"]["layout"]) == ("classic", "full")
    assert _admin(api, db, "DELETE", f"/v1/admin/poster-templates/{template_id}").status == 204
    gone = _admin(api, db, "DELETE", f"/v1/admin/poster-templates/{template_id}")
    assert gone.status == 404 and gone.json["error"]["code"] == "POSTER_TEMPLATE_NOT_FOUND"
    assert _admin(api, db, "PUT", "/v1/admin/poster-templates/nope", TEMPLATE).status == 404


@pytest.mark.parametrize("bad", [
    {"layout": "diagonal"}, {"layout": "Classic"}, {"text_color": "red"}, {"text_color": "#12345"},
    {"text_color": "#1234567"}, {"text_color": "#GGGGGG"}, {"text_color": "rgb(0,0,0)"},
    {"background": "javascript:alert(1)"}, {"applies_to": []}, {"applies_to": ["shop", "shop"]},
    {"applies_to": ["home"]}, {"default_for": ["product"], "applies_to": ["shop"]},
    {"default_for": ["shop"], "enabled": False}, {"name": ""}, {"title": "长" * 31}, {"font": "serif"},
])
def test_bad_templates_are_refused_at_the_edge(api, db, bad):
    resp = _admin(api, db, "POST", "/v1/admin/poster-templates", {**TEMPLATE, **bad})
    assert resp.status == 400 and resp.json["error"]["code"] == "INVALID_INPUT", (bad, resp)


def test_only_shop_staff_write_templates(api, db):
    for role in ("finance", "viewer"):
        assert _admin(api, db, "POST", "/v1/admin/poster-templates", TEMPLATE, role=role).status == 403


def test_a_distributor_picks_among_the_enabled_templates_of_a_kind(api, db):
    plain = _make(api, db, name="简约", applies_to=["shop"], sort=1)
    both = _make(api, db, name="满版", layout="full", default_for=["shop", "product"])
    product_only = _make(api, db, name="商品", layout="centered", applies_to=["product"], sort=5)
    _make(api, db, name="停用", enabled=False, sort=9)
    _, token = make_distributor(db)

    shop = api.get("/v1/distributor/poster-templates", token=token).json
    assert shop["kind"] == "shop" and [t["id"] for t in shop["items"]] == [plain["id"], both["id"]]
    assert shop["default_id"] == both["id"]
    assert set(shop["items"][1]) == {"id", "name", "layout", "background", "text_color", "title"}
    product = api.get("/v1/distributor/poster-templates", query={"kind": "product"}, token=token).json
    assert [t["id"] for t in product["items"]] == [product_only["id"], both["id"]]

    # a new default for products takes it from the old one; shop keeps its default
    _admin(api, db, "PUT", f"/v1/admin/poster-templates/{product_only['id']}",
           {**TEMPLATE, "name": "商品", "layout": "centered", "applies_to": ["product"], "sort": 5,
            "default_for": ["product"]})
    assert db.poster_templates.find_one({"_id": both["id"]})["default_for"] == ["shop"]
    assert api.get("/v1/distributor/poster-templates", query={"kind": "product"},
                   token=token).json["default_id"] == product_only["id"]
    # no default for a kind: the first is preselected; none at all: null (the built-in poster)
    _admin(api, db, "PUT", f"/v1/admin/poster-templates/{both['id']}", {**TEMPLATE, "name": "满版", "layout": "full"})
    assert api.get("/v1/distributor/poster-templates", token=token).json["default_id"] == plain["id"]
    db.poster_templates.delete_many({})
    assert api.get("/v1/distributor/poster-templates", token=token).json == {"kind": "shop", "items": [],
                                                                             "default_id": None}
    bad_kind = api.get("/v1/distributor/poster-templates", query={"kind": "home"}, token=token)
    assert bad_kind.status == 400 and bad_kind.json["error"]["code"] == "INVALID_INPUT"


def test_two_defaults_left_by_racing_saves_resolve_to_the_latest(api, db):
    first = _make(api, db, name="甲", default_for=["shop"])
    second = _make(api, db, name="乙")
    # what two saves racing can leave: both say default (each cleared the other before the other wrote)
    db.poster_templates.update_one({"_id": second["id"]}, {"$set": {"default_for": ["shop"]}})
    _, token = make_distributor(db)
    assert api.get("/v1/distributor/poster-templates", token=token).json["default_id"] == second["id"]
    assert first["default_for"] == ["shop"]


def test_only_approved_distributors_get_templates(api, db):
    _, shopper = make_buyer(db, [])
    assert api.get("/v1/distributor/poster-templates", token=shopper).json["error"]["code"] == "NOT_DISTRIBUTOR"
    _, pending = make_distributor(db, status="pending")
    assert api.get("/v1/distributor/poster-templates", token=pending).json["error"]["code"] == \
        "DISTRIBUTOR_NOT_ACTIVE"


def test_the_mini_program_draws_exactly_the_layouts_the_api_accepts():
    source = (Path(__file__).resolve().parents[2] / "miniprogram" / "utils" / "poster.js").read_text(encoding="utf-8")
    block = source[source.index("const LAYOUTS = {"):source.index("/** layout(name, withHeading)")]
    assert tuple(re.findall(r"^  (\w+)\(top\) \{", block, flags=re.M)) == posters.LAYOUTS
    assert posters.PosterTemplateIn.model_fields["layout"].annotation.__args__ == posters.LAYOUTS

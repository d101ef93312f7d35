"""The `everyone` mode, eagerly: a shopper is a distributor from their sign-in on, before they ever open the
distributor page, so product pages show their commission and share cards carry their code."""
from __future__ import annotations

import threading

from tests.distribution.test_catalog_commission import make_product
from tests.support.interleave import run_before


def _login(api, code: str, **body):
    resp = api.post("/v1/auth/wechat-login", {"code": code, **body})
    assert resp.status == 200, resp
    return resp.json


def test_sign_in_makes_the_shopper_a_distributor_with_commission_on_products(api, db, owner, set_settings):
    product = make_product(api, owner)  # SKU prices 5900 … 8900, level 1 = 10 %
    set_settings(mode="everyone")
    signed = _login(api, "everyone-new")
    assert signed["is_new"] and signed["user"]["distributor"]["status"] == "approved"
    code = signed["user"]["distributor"]["code"]
    assert code and db.distributors.find_one({"_id": signed["user"]["id"]})["code"] == code
    page = api.get(f"/v1/products/{product['id']}", token=signed["token"]).json  # never opened /v1/distributor
    assert page["commission"] == 590 and f"ref={code}" in page["share"]["path"]
    again = _login(api, "everyone-new")
    assert again["user"]["distributor"]["code"] == code and db.distributors.count_documents({}) == 1
    assert api.get("/v1/me", token=again["token"]).json["distributor"]["status"] == "approved"


def test_a_shopper_who_signed_up_before_the_switch_becomes_one_at_the_next_sign_in(api, db, set_settings):
    first = _login(api, "everyone-old")
    assert first["user"]["distributor"] is None and db.distributors.count_documents({}) == 0
    set_settings(mode="everyone")
    later = _login(api, "everyone-old")
    assert later["user"]["distributor"]["status"] == "approved"


def test_other_modes_make_nobody_a_distributor_at_sign_in(api, db, set_settings):
    for mode in ("apply", "auto"):
        set_settings(mode=mode)
        assert _login(api, f"signup-{mode}")["user"]["distributor"] is None
    assert db.distributors.count_documents({}) == 0


def test_a_disabled_distributor_stays_disabled(api, db, owner, set_settings):
    set_settings(mode="everyone")
    user_id = _login(api, "everyone-disabled")["user"]["id"]
    assert api.put(f"/v1/admin/distributors/{user_id}", {"status": "disabled"}, token=owner).status == 200
    assert _login(api, "everyone-disabled")["user"]["distributor"]["status"] == "disabled"


def test_simultaneous_first_sign_ins_make_one_distributor(api, db, set_settings):
    """Two launches of the mini-program at once (two devices): one document, one share code, one approval."""
    from fenxiao.distribution import distributors

    set_settings(mode="everyone")
    _login(api, "everyone-race")  # the account exists; now clear what the first sign-in made
    db.distributors.delete_many({})
    db.users.update_one({"openid": "dev_everyone-race"}, {"$unset": {"distributor": ""}})
    barrier = threading.Barrier(2)
    answers: list[dict] = []

    def sign_in() -> None:
        answers.append(_login(api, "everyone-race"))

    # both requests reach the insert together
    with run_before(distributors, "_insert", lambda *a, **k: barrier.wait(timeout=10)):
        threads = [threading.Thread(target=sign_in) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == 2
    assert {a["user"]["distributor"]["code"] for a in answers} == {db.distributors.find_one({})["code"]}
    assert db.distributors.count_documents({}) == 1

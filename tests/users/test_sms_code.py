"""POST /v1/auth/sms-code: codes are stored hashed, and the per-phone / per-IP limits hold."""
from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

from fenxiao import clock
from fenxiao.users import codes
from fenxiao.users.phones import phone_hash
from fenxiao.users.sms import last_outbox_message
from tests.users.conftest import field_names, request_code, yesterday_at

# 09:00 in Beijing, so a whole day of sends fits before the China midnight. Tomorrow, not yesterday: the
# limits' counters carry `expires_at` for a TTL index, and the server's TTL monitor runs on the real clock, so
# counters of a pinned past moment could be reaped mid-test (the limit then "resets": a flaky 200 for a 429).
MORNING = yesterday_at(1) + timedelta(days=2)


def test_code_is_sent_and_stored_only_hashed(api, db, sms_phone):
    code = request_code(api, sms_phone)
    assert len(code) == 6 and code.isdigit()
    stored = db.sms_codes.find_one({"phone_hash": phone_hash(sms_phone)})
    assert stored is not None
    assert stored["attempts"] == 0 and stored["used"] is False
    assert stored["expires_at"] - stored["sent_at"] == timedelta(minutes=5)
    text = json.dumps(stored, default=str)
    assert sms_phone not in text and code not in stored["code_hash"]
    assert stored["code_hash"] != code


def test_resend_within_60_seconds_is_refused_with_retry_after(api, sms_phone):
    clock.pin(MORNING)
    request_code(api, sms_phone)
    clock.pin(MORNING + timedelta(seconds=20))
    resp = api.post("/v1/auth/sms-code", {"phone": sms_phone})
    assert resp.status == 429, resp
    assert resp.error_code == "SMS_TOO_FREQUENT"
    assert resp.json["error"]["details"]["retry_after"] == 40
    clock.pin(MORNING + timedelta(seconds=60))
    request_code(api, sms_phone)


def test_refused_resends_do_not_use_up_the_daily_quota(api, sms_phone):
    clock.pin(MORNING)
    for i in range(codes.DAILY_PER_PHONE):
        clock.pin(MORNING + timedelta(seconds=61 * i))
        request_code(api, sms_phone)
        refused = api.post("/v1/auth/sms-code", {"phone": sms_phone})
        assert refused.error_code == "SMS_TOO_FREQUENT", refused
    clock.pin(MORNING + timedelta(seconds=61 * codes.DAILY_PER_PHONE))
    resp = api.post("/v1/auth/sms-code", {"phone": sms_phone})
    assert resp.status == 429, resp
    assert resp.error_code == "SMS_DAILY_LIMIT"
    # The quota is per China calendar day: 16:00 UTC is midnight in Beijing.
    beijing_midnight = MORNING.replace(hour=16)
    wait = int((beijing_midnight - clock.now()).total_seconds())
    assert resp.json["error"]["details"]["retry_after"] == wait
    clock.pin(beijing_midnight + timedelta(seconds=1))
    request_code(api, sms_phone)


def test_daily_limit_is_per_phone(api):
    clock.pin(MORNING)
    for i in range(codes.DAILY_PER_PHONE):
        clock.pin(MORNING + timedelta(seconds=61 * i))
        request_code(api, "13900000001")
    clock.pin(MORNING + timedelta(seconds=61 * codes.DAILY_PER_PHONE))
    assert api.post("/v1/auth/sms-code", {"phone": "13900000001"}).error_code == "SMS_DAILY_LIMIT"
    request_code(api, "13900000002")


def test_ip_limit(api):
    clock.pin(MORNING + timedelta(minutes=10))
    for i in range(codes.HOURLY_PER_IP):
        request_code(api, f"1370000{i:04d}", ip="198.51.100.7")
    resp = api.post("/v1/auth/sms-code", {"phone": "13799999999"}, ip="198.51.100.7")
    assert resp.status == 429, resp
    assert resp.error_code == "SMS_IP_LIMIT"
    assert resp.json["error"]["details"]["retry_after"] == 50 * 60
    # another network is not affected, and the refusal did not hold the phone's 60-second gap
    request_code(api, "13799999999", ip="198.51.100.8")
    clock.pin(MORNING + timedelta(hours=1))
    request_code(api, "13799999998", ip="198.51.100.7")  # the next hour starts afresh


def test_invalid_phones_are_rejected(api):
    for phone in ["12800138000", "1380013800", "138001380000", "+8613800138000", "abc"]:
        assert field_names(api.post("/v1/auth/sms-code", {"phone": phone})) == {"phone"}, phone
    assert field_names(api.post("/v1/auth/sms-code", {})) == {"phone"}


def test_failed_delivery_releases_the_resend_gap(api, db, sms_phone, monkeypatch):
    from fenxiao.errors import UpstreamError

    class Broken:
        def send(self, phone: str, code: str) -> None:
            raise UpstreamError("down", code="SMS_SEND_FAILED")

    monkeypatch.setattr(codes, "get_sender", lambda: Broken())
    resp = api.post("/v1/auth/sms-code", {"phone": sms_phone})
    assert resp.status == 502 and resp.error_code == "SMS_SEND_FAILED", resp
    assert db.sms_codes.count_documents({}) == 0
    monkeypatch.undo()
    request_code(api, sms_phone)  # not SMS_TOO_FREQUENT


def test_outbox_returns_the_latest_code_and_the_dev_route_serves_it(api, stack, sms_phone):
    assert last_outbox_message(sms_phone) is None
    clock.pin(MORNING)
    request_code(api, sms_phone)
    clock.pin(MORNING + timedelta(seconds=61))
    second = request_code(api, sms_phone)
    message = last_outbox_message(sms_phone)
    assert message["code"] == second and message["phone"] == sms_phone
    assert message["sent_at"] == MORNING + timedelta(seconds=61)
    with urllib.request.urlopen(f"{stack['base_url']}/__dev/sms/{sms_phone}") as response:
        served = json.loads(response.read())
    sent_at = clock.iso(MORNING + timedelta(seconds=61))
    assert served == {"phone": sms_phone, "code": second, "sent_at": sent_at}

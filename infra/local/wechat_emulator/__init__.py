"""WeChat and WeChat Pay, emulated for the local stack and the tests (mounted at /__wechat).

Real SDKs talk to it over HTTP: wechatpy (mini-program APIs) and wechatpayv3 (APIv3 with signed
requests and answers). It calls our notify functions back over HTTP with signed, encrypted
callbacks. State is in memory and shared by every thread of the server; tests in the same process
read it through the names below. `make dev` persists what WeChat Pay remembers (`state.persist_to`),
saved after each emulator request.
"""
from flask import Blueprint, Response

from infra.local.wechat_emulator import dev, logistics, miniprogram, pay, platform_state, security, state, subscribe
from infra.local.wechat_emulator.delivery import deliver
from infra.local.wechat_emulator.platform_state import PLATFORM
from infra.local.wechat_emulator.signing import build_notification, signed_headers
from infra.local.wechat_emulator.state import STORE, persist_to

blueprint = Blueprint("wechat_emulator", __name__)
blueprint.register_blueprint(miniprogram.blueprint)
blueprint.register_blueprint(pay.blueprint)
blueprint.register_blueprint(dev.blueprint)
for _part in (subscribe, logistics, security):  # WeChat's platform services (shipping, messages, …)
    blueprint.register_blueprint(_part.blueprint)


@blueprint.after_request
def _save(response: Response) -> Response:
    """Every change to the emulator's memory happens in one of its requests: save it before answering."""
    STORE.save()
    return response


def reset() -> None:
    """Forget everything the emulator remembers (tests that count tokens or messages start from zero)."""
    state.reset()
    platform_state.reset()


__all__ = ["PLATFORM", "STORE", "blueprint", "build_notification", "deliver", "persist_to", "reset", "signed_headers"]

"""Input models of the user actions and the documents' public shapes (API.md "Auth and users")."""
from __future__ import annotations

from typing import Annotated, Any

from fenxiao.model import ConfigDict, Field, Model, field_validator
from fenxiao.users.phones import MAINLAND_MOBILE

MAX_ADDRESSES = 20

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)

MobilePhone = Annotated[str, Field(pattern=MAINLAND_MOBILE, description="mainland mobile, 11 digits")]
# A distributor's share code as it arrives from a share link or a QR scene; only recorded at sign-up,
# resolved by the binding logic, so here it only needs to be a plausible token.
ShareRef = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
# WeChat's one-time codes (wx.login, getPhoneNumber) are opaque; bound them so junk cannot reach WeChat.
WechatCode = Annotated[str, Field(min_length=1, max_length=128)]


class _Input(Model):
    model_config = _STRICT


class _WithRef(_Input):
    ref: ShareRef | None = None

    @field_validator("ref", mode="before")
    @classmethod
    def _blank_ref_is_none(cls, value: Any) -> Any:
        # The mini-program sends "" when it was not opened through a share link.
        return None if value == "" else value


class WechatLogin(_WithRef):
    code: WechatCode


class SmsCodeRequest(_Input):
    phone: MobilePhone


class PhoneLogin(_WithRef):
    phone: MobilePhone
    sms_code: str = Field(pattern=r"^\d{6}$")


class BindPhone(_Input):
    code: WechatCode


class ProfilePatch(_Input):
    nickname: str | None = Field(None, min_length=1, max_length=32)
    # Avatars are uploaded first (wx.chooseAvatar gives a temporary local path), so only web URLs.
    avatar_url: str | None = Field(None, max_length=500, pattern=r"^https?://\S+$")


class AddressIn(_Input):
    name: str = Field(min_length=1, max_length=30)
    # The courier calls this number, so it is a mobile or a landline with area code (e.g. 010-12345678).
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
    province: str = Field(min_length=1, max_length=30)
    city: str = Field(min_length=1, max_length=30)
    # Some prefecture-level cities (e.g. 东莞, 中山) have no district level.
    district: str = Field("", max_length=30)
    detail: str = Field(min_length=1, max_length=120)
    is_default: bool = False


def mask_name(name: str | None) -> str:
    """张三 → 张**: recognisable to its owner, not to other shoppers (team lists,
    rankings, group-buy members)."""
    name = (name or "").strip()
    return f"{name[0]}**" if name else "用户**"


def render_user(doc: dict[str, Any]) -> dict[str, Any]:
    """A shopper as the API shows them: never the openid, never the phone beyond its mask."""
    distributor = doc.get("distributor")
    return {
        "id": doc["_id"],
        "nickname": doc.get("nickname") or "",
        "avatar_url": doc.get("avatar_url") or "",
        "phone": doc.get("phone_masked"),
        "distributor": ({"status": distributor.get("status"), "code": distributor.get("code")}
                        if distributor else None),
        "referrer_id": doc.get("referrer_id"),
    }


def render_address(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "name": doc["name"], "phone": doc["phone"], "province": doc["province"],
            "city": doc["city"], "district": doc.get("district", ""), "detail": doc["detail"],
            "is_default": bool(doc.get("is_default"))}

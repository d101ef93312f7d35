"""A deployment stage on Tencent Cloud: the merchant's values, read from a YAML file (stage.example.yml).

It holds only plain values and the *names* of secrets: every secret lives in Secrets Manager (SSM, 凭据管理)
as `<secrets_prefix><name>` (see fenxiao.secrets.tencent), so neither this file nor anything generated
from it ever contains one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from infra.tencent.plan import SECRETS, ScfFunction

# Plain settings a merchant must give (the rest are derived from the domain, region and bucket).
REQUIRED = ("region", "domain", "certificate_id", "role", "secrets_prefix", "bucket", "assets_base_url")


@dataclass(frozen=True)
class Stage:
    region: str
    domain: str              # ICP-filed; https://<domain> is the one public base URL
    certificate_id: str      # the SSL certificate (SSL 证书) of the domain
    role: str                # the run role: ssm:GetSecretValue on <secrets_prefix>*, COS on the bucket
    secrets_prefix: str      # e.g. fenxiao-prod-
    bucket: str              # COS bucket, <name>-<appid>
    assets_base_url: str     # public URL prefix of the bucket's objects (bucket URL or a CDN)
    secrets_version: str = "v1"
    values: dict[str, str] = field(default_factory=dict)   # FENXIAO_WECHAT_APPID, FENXIAO_WECHATPAY_MCHID, ...

    @property
    def public_base_url(self) -> str:
        return f"https://{self.domain}"

    def derived(self) -> dict[str, str]:
        return {
            "FENXIAO_ENV": "production",
            "MONGODB_DB": "fenxiao",
            "FENXIAO_PUBLIC_BASE_URL": self.public_base_url,
            "FENXIAO_WECHATPAY_NOTIFY_BASE": self.public_base_url,
            "FENXIAO_S3_BUCKET": self.bucket,
            "FENXIAO_S3_PUBLIC_BASE": self.assets_base_url,
            "AWS_ENDPOINT_URL_S3": f"https://cos.{self.region}.myqcloud.com",
            "AWS_DEFAULT_REGION": self.region,
        }

    def environment(self, function: ScfFunction) -> dict[str, str]:
        """A function's variables: its plain values, and the names (never the values) of its secrets."""
        known = {**self.derived(), **self.values}
        env = {name: known[name] for name in ("FENXIAO_ENV", *function.env) if known.get(name)}
        if function.secrets:
            env.update({"FENXIAO_SECRETS_PROVIDER": "tencent", "FENXIAO_SECRETS_PREFIX": self.secrets_prefix,
                        "FENXIAO_SECRETS_VERSION": self.secrets_version,
                        "FENXIAO_SECRET_NAMES": ",".join(function.secrets)})
        return dict(sorted(env.items()))


def load(path: Path) -> Stage:
    data: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    missing = [k for k in REQUIRED if not data.get(k)]
    if missing:
        raise SystemExit(f"{path}: missing {', '.join(missing)}")
    values = {str(k): str(v) for k, v in (data.get("values") or {}).items()}
    leaked = sorted(set(values) & SECRETS)
    if leaked:
        raise SystemExit(f"{path}: {', '.join(leaked)} are secrets: store them in SSM as "
                         f"{data['secrets_prefix']}<name>, never in this file")
    return Stage(**{k: str(data[k]) for k in REQUIRED}, secrets_version=str(data.get("secrets_version", "v1")),
                 values=values)


"""AWS Systems Manager Parameter Store: SecureString parameters `<FENXIAO_SECRETS_PREFIX><name>`.

One GetParameters call (WithDecryption) per batch of 10 names, the API's limit; a function declares at
most 10 secrets (the generator checks it), so a cold start pays one round trip. Timeouts sit well inside
a function's timeout, and boto3 is imported only here.
"""
from __future__ import annotations

from typing import Any

from fenxiao.errors import ConfigError
from fenxiao.secrets import prefix

BATCH = 10  # GetParameters accepts at most 10 names


class SsmProvider:
    def __init__(self, client: Any, path: str) -> None:
        self.client = client
        self.path = path

    def fetch(self, names: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(names), BATCH):
            batch = names[start:start + BATCH]
            answer = self.client.get_parameters(Names=[self.path + n for n in batch], WithDecryption=True)
            for parameter in answer.get("Parameters", []):
                found[parameter["Name"][len(self.path):]] = parameter["Value"]
        return found


def provider() -> SsmProvider:
    import boto3
    from botocore.config import Config

    path = prefix()
    if not path.startswith("/") or not path.endswith("/"):
        raise ConfigError("FENXIAO_SECRETS_PREFIX must be a parameter path like /fenxiao/prod/")
    config = Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2, "mode": "standard"})
    return SsmProvider(boto3.client("ssm", config=config), path)

"""Placeholder: the WeChat emulator blueprint (built in its own change)."""
from flask import Blueprint

blueprint = Blueprint("wechat_emulator", __name__)

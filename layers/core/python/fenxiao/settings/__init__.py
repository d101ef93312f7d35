"""Merchant settings: small documents in `kv`, each validated by its own model and cached briefly."""
from fenxiao.settings.shop import (
    Shipping,
    ShopSettings,
    after_sales_ends_at,
    get_shop_settings,
    update_shop_settings,
)
from fenxiao.settings.store import SettingsStore, clear_caches

__all__ = ["SettingsStore", "Shipping", "ShopSettings", "after_sales_ends_at", "clear_caches",
           "get_shop_settings", "update_shop_settings"]

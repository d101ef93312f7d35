"""Merchant settings: small documents in `kv`, each validated by its own model and cached briefly.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.settings.shop import (
        Shipping,
        ShopSettings,
        after_sales_ends_at,
        get_shop_settings,
        update_shop_settings,
    )
    from fenxiao.settings.store import SettingsStore, clear_caches

__getattr__ = exports(__name__, {
    **dict.fromkeys(("Shipping", "ShopSettings", "after_sales_ends_at", "get_shop_settings",
                     "update_shop_settings"), "shop"),
    **dict.fromkeys(("SettingsStore", "clear_caches"), "store"),
})

__all__ = ["SettingsStore", "Shipping", "ShopSettings", "after_sales_ends_at", "clear_caches",
           "get_shop_settings", "update_shop_settings"]

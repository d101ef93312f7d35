"""Merchant staff accounts: password login, roles, and the owner account of a fresh shop."""

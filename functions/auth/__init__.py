"""Shopper sign-in functions: WeChat login, SMS codes, phone login."""

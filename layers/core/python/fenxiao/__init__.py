"""Fenxiao: the shared layer every cloud function imports.

Importing the package itself loads nothing heavy, so each function pays only for what it uses.
"""

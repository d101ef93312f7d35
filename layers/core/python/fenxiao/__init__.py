"""Fenxiao: the shared layer every cloud function imports.

Importing the package itself loads nothing heavy, so each function pays only for what it uses.

It sets one process default before any model exists: `PYDANTIC_DISABLE_PLUGINS`. Pydantic looks for
plugins the first time it builds a validator by reading the entry points of every installed distribution
(about 50 ms of CPU with this project's dependencies, on the cold start or on the first request). The
project uses no pydantic plugin; a deployment that wants one sets the variable itself (`setdefault`).
"""
import os

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

"""Mostrador core: services and domain, free of any widget toolkit."""

from __future__ import annotations

__version__ = "0.1.0"

"""The store: rulesets, versions, two-person publishing, test cases, audit log.

Everything goes through `jurist.db.service.Store`; the engine loads published
rules through `jurist.db.loader.published_sources`.  See docs/store.md.
"""
from jurist.db.errors import StoreError

__all__ = ["StoreError"]

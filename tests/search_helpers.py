"""Search tests run against a real Whoosh index in a temporary folder (tests/env_defaults)."""

from haystack import connections

from resources.search import indexing


def backend():
    return connections["default"].get_backend()


def reset_index():
    backend().clear()


def sync():
    """Apply the queued updates, as the after-commit hook does in production."""
    return indexing.apply_pending()

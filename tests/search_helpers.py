"""Search tests run against a real index: Whoosh in a temporary folder (tests/env_defaults),
and PostgreSQL's full-text search in the test database when the tests run on PostgreSQL.

A search test class runs once per engine: the class itself on Whoosh, and a generated
sibling (``...OnPostgres``) on PostgreSQL, skipped with its reason on SQLite.
"""

import sys
import unittest

from django.conf import settings
from django.db import connection
from haystack import connections

from resources.search import indexing

ENGINES = settings.SEARCH_ENGINES
ON_POSTGRES = connection.vendor == "postgresql"


def backend():
    return connections["default"].get_backend()


def reset_index():
    backend().clear()


def sync():
    """Apply the queued updates, as the after-commit hook does in production."""
    return indexing.apply_pending()


def switch_engine(name):
    """Point Haystack's default connection at another engine; returns the previous path."""
    info = connections.connections_info["default"]
    previous = info["ENGINE"]
    info["ENGINE"] = ENGINES.get(name, name)
    connections.reload("default")
    return previous


class EngineMixin:
    """Runs the test class on ``engine`` (set before setUpTestData builds the index)."""

    engine = "whoosh"

    @classmethod
    def setUpClass(cls):
        previous = switch_engine(cls.engine)
        cls.addClassCleanup(switch_engine, previous)
        super().setUpClass()

    def engine_env(self):
        """Environment for a subprocess that must use this class's engine."""
        return {"SEARCH_ENGINE": self.engine}


def on_every_engine(cls):
    """Class decorator: add a sibling of this test class that runs on PostgreSQL."""
    name = f"{cls.__name__}OnPostgres"
    sibling = type(name, (cls,), {"engine": "postgres", "__module__": cls.__module__})
    sibling.__qualname__ = name
    sibling = unittest.skipUnless(
        ON_POSTGRES, "the PostgreSQL engine runs when the tests run on PostgreSQL"
    )(sibling)
    setattr(sys.modules[cls.__module__], name, sibling)
    return cls

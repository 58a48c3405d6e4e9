"""What only the PostgreSQL engine promises: accent folding, and switching a site to it."""

import os
import subprocess
import sys
import unittest

from django.test import TestCase, TransactionTestCase
from haystack.query import SearchQuerySet

from resources.models import PendingIndexUpdate

from .factories import make_article
from .search_helpers import ON_POSTGRES, EngineMixin, backend, reset_index, sync
from .test_kill import ROOT, database_url

NEEDS_POSTGRES = unittest.skipUnless(ON_POSTGRES, "the PostgreSQL engine needs PostgreSQL")


def found(text):
    return sorted(r.title for r in SearchQuerySet().auto_query(text))


@NEEDS_POSTGRES
class PostgresEngineTests(EngineMixin, TestCase):
    engine = "postgres"

    @classmethod
    def setUpTestData(cls):
        reset_index()
        make_article(title="Café visits", body="A crème brûlée after the naïve question.")
        make_article(title="Plain cafe", body="Nothing accented here.")
        make_article(title="Body", body="Oversupply. " + "Other words. " * 20)
        make_article(title="Summary", summary="About oversupply.", body="Other words. " * 20)
        make_article(title="Alias", aliases="oversupply", body="Other words. " * 20)
        sync()

    def test_accents_fold_both_ways(self):
        self.assertEqual(found("cafe"), ["Café visits", "Plain cafe"])
        self.assertEqual(found("café"), ["Café visits", "Plain cafe"])
        self.assertEqual(found("creme brulee"), ["Café visits"])
        self.assertEqual(found("brulee naive"), ["Café visits"])

    def test_aliases_above_summary_above_body(self):
        response = self.client.get("/search/", {"q": "oversupply", "exact": "0"})
        order = [response.content.decode().index(f">{name}</a>") for name in ("Alias", "Summary")]
        self.assertLess(order[0], order[1])
        self.assertLess(order[1], response.content.decode().index(">Body</a>"))

    def test_accented_words_are_highlighted(self):
        response = self.client.get("/search/", {"q": "creme", "exact": "0"})
        self.assertContains(response, "<mark>crème</mark>")

    def test_a_failed_index_write_rolls_back_with_its_dequeue(self):
        article = make_article(title="Queued", body="About wallaby.")
        self.assertEqual(PendingIndexUpdate.objects.count(), 1)
        original = backend().update
        backend().update = lambda *a, **k: (original(*a, **k), 1 / 0)
        try:
            with self.assertRaises(ZeroDivisionError):
                sync()
        finally:
            backend().update = original
        # The document written before the failure went with the transaction; the row stays.
        self.assertEqual(found("wallaby"), [])
        self.assertEqual(PendingIndexUpdate.objects.count(), 1)
        sync()
        self.assertEqual(found("wallaby"), [article.title])


@NEEDS_POSTGRES
class SwitchingEngineTests(EngineMixin, TransactionTestCase):
    """A site on Whoosh moves to PostgreSQL with one setting and one command."""

    def manage(self, *args):
        env = {**os.environ, "DATABASE_URL": database_url(), "SEARCH_ENGINE": "postgres"}
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    def test_rebuild_index_is_the_one_command(self):
        make_article(title="Moved over", body="About bandicoot.")
        self.assertEqual(found("bandicoot"), ["Moved over"])  # the Whoosh site today
        before = self.manage("search_verify")
        self.assertEqual(before.returncode, 1)
        self.assertIn("1 missing", before.stderr)

        self.assertEqual(self.manage("rebuild_index", "--noinput").returncode, 0)
        after = self.manage("search_verify")
        self.assertEqual(after.returncode, 0, after.stderr)
        self.assertIn("No drift", after.stdout)
        search = "from resources.search.query import autocomplete; print(autocomplete('move'))"
        self.assertIn("'title': 'Moved over'", self.manage("shell", "-c", search).stdout)

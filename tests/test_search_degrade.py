"""Degrade, never break: a missing, locked or corrupt index costs search, not the site."""

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from django.urls import reverse
from whoosh.index import LockError

from resources.models import Article

from .factories import make_article, make_crisis_line, make_reference
from .search_helpers import backend
from .test_search import SearchTestCase


def fresh_process():
    """Forget the open searcher, as a newly started worker would have none."""
    engine = backend()
    searcher = getattr(engine._local, "searcher", None)
    if searcher is not None:
        searcher.close()
    engine.setup_complete = False
    engine._local = threading.local()


@contextmanager
def index_moved_away():
    path = Path(backend().path)
    aside = path.with_name(path.name + "-aside")
    shutil.move(path, aside)
    try:
        yield
    finally:
        shutil.rmtree(path, ignore_errors=True)
        shutil.move(aside, path)
        fresh_process()


@contextmanager
def index_corrupted():
    path = Path(backend().path)
    aside = path.with_name(path.name + "-copy")
    shutil.copytree(path, aside)
    # A half-copied index: its table of contents names segments that are not there.
    # (Garbage in a segment makes Whoosh leak the file handle it could not read.)
    for segment in path.glob("*.seg"):
        segment.unlink()
    try:
        fresh_process()
        yield
    finally:
        shutil.rmtree(path)
        shutil.move(aside, path)
        fresh_process()


@contextmanager
def index_locked():
    engine = backend()
    original = engine.searcher

    def locked():
        raise LockError("index locked")

    engine.searcher = locked
    try:
        yield
    finally:
        engine.searcher = original


class DegradeTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        cls.article = make_article(title="Dopamine", body="Dopamine falls at letdown.")
        cls.reference = make_reference(title="Dopamine review", supports="Dopamine at letdown.")
        make_crisis_line()

    BROKEN = {"missing": index_moved_away, "corrupt": index_corrupted, "locked": index_locked}

    def test_search_page_answers_503_with_search_box_and_crisis_lines(self):
        for name, broken in self.BROKEN.items():
            with self.subTest(name), self.assertLogs("resources", "ERROR"), broken():
                fresh_process() if name == "missing" else None
                response = self.search(q="dopamine")
                self.assertEqual(response.status_code, 503)
                html = response.content.decode()
                self.assertIn("Search is not working right now", html)
                self.assertIn('role="search"', html)
                self.assertIn('href="tel:988"', html)

    def test_api_search_answers_503_as_json(self):
        with self.assertLogs("resources", "ERROR"), index_moved_away():
            fresh_process()
            response = self.client.get("/api/v1/search/", {"q": "dopamine"})
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["error"]["code"], "search_unavailable")

    def test_autocomplete_answers_with_no_titles(self):
        with self.assertLogs("resources", "ERROR"), index_corrupted():
            response = self.client.get(reverse("search:suggest"), {"q": "dopa"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["titles"], [])

    def test_resource_pages_render_without_related_box(self):
        self.assertIn("Related pages", self.client.get(self.reference.get_absolute_url()).text)
        for name, broken in self.BROKEN.items():
            with self.subTest(name), self.assertLogs("resources", "ERROR"), broken():
                fresh_process() if name == "missing" else None
                response = self.client.get(self.reference.get_absolute_url())
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Related pages", response.text)
                self.assertIn("Dopamine review", response.text)

    def test_search_works_again_once_the_index_is_back(self):
        with self.assertLogs("resources", "ERROR"), index_moved_away():
            fresh_process()
            self.assertEqual(self.search(q="dopamine").status_code, 503)
        self.assertEqual(self.search(q="dopamine").status_code, 200)

    def test_healthz_reports_indexed_against_published(self):
        data = self.client.get("/healthz").json()
        self.assertEqual((data["status"], data["search"]["status"]), ("ok", "ok"))
        self.assertEqual(data["search"]["documents"], data["search"]["published"])
        # A bulk update bypasses the index queue: the index now holds one page too many.
        Article.objects.filter(pk=self.article.pk).update(status=Article.Status.DRAFT)
        response = self.client.get("/healthz")
        data = response.json()
        self.assertEqual(response.status_code, 200)
        self.assertEqual((data["status"], data["search"]["status"]), ("degraded", "degraded"))
        self.assertEqual(data["search"]["documents"], data["search"]["published"] + 1)
        with self.assertLogs("resources", "ERROR"), index_moved_away():
            fresh_process()
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)

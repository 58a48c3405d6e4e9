"""What a change sets off (signals.py): each after-commit job once per transaction."""

from unittest import mock

from django.db import DatabaseError
from django.test import TestCase
from haystack.query import SearchQuerySet
from reversion.models import Version

from resources.models import Article, Resource, WorkflowEvent
from resources.search import engine
from resources.serving import caching

from .factories import (
    assert_plain_not_found,
    make_article,
    make_moderator,
    make_reference,
    post_admin_action,
)
from .search_helpers import reset_index, sync

Status = Resource.Status


class AfterCommitJobTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        make_reference(key="src2020")

    def setUp(self):
        reset_index()
        sync()
        self.pages = [
            make_article(title=f"Bulk page {n}", status=Status.REVIEW, body="Claim [@src2020].")
            for n in range(10)
        ]
        self.client.force_login(self.moderator)

    def count_jobs(self, run, commits_once=True):
        """(index lock acquisitions, cache generations started) while `run` commits."""
        lock = mock.patch.object(engine, "write_lock", wraps=engine.write_lock)
        bump = mock.patch.object(
            caching, "bump_content_version", wraps=caching.bump_content_version
        )
        with lock as locks, bump as bumps:
            if commits_once:
                with self.captureOnCommitCallbacks(execute=True):
                    run()
            else:
                run()
        return locks.call_count, bumps.call_count

    def test_publishing_ten_pages_in_one_action_locks_the_index_once(self):
        def publish_all():
            post_admin_action(self.client, Article, "publish", self.pages)

        version = caching.content_version()
        self.assertEqual(self.count_jobs(publish_all), (1, 1))
        self.assertEqual(caching.content_version(), version + 1)
        titles = {r.title for r in SearchQuerySet().filter(content="bulk")}
        self.assertEqual(titles, {page.title for page in self.pages})

    def test_ten_separate_publications_each_take_the_lock(self):
        def publish_one_by_one():
            for page in self.pages:
                with self.captureOnCommitCallbacks(execute=True):
                    page.publish(by=self.moderator)

        self.assertEqual(self.count_jobs(publish_one_by_one, commits_once=False), (10, 10))

    def test_a_rolled_back_action_leaves_no_job_behind(self):
        def refused_then_done():
            failing = mock.patch.object(WorkflowEvent.objects, "create", side_effect=DatabaseError)
            with failing, self.assertRaises(DatabaseError):
                self.pages[0].publish(by=self.moderator)
            self.pages[1].publish(by=self.moderator)

        self.assertEqual(self.count_jobs(refused_then_done), (1, 1))
        self.assertEqual(SearchQuerySet().filter(content="bulk").count(), 1)


class AtomicStepTests(TestCase):
    """Status, revision and workflow event commit together, from any caller."""

    @classmethod
    def setUpTestData(cls):
        make_reference(key="src2020")

    def test_a_step_whose_event_cannot_be_written_changes_nothing(self):
        page = make_article(status=Status.REVIEW, body="Claim [@src2020].")
        failing = mock.patch.object(WorkflowEvent.objects, "create", side_effect=DatabaseError)
        with failing, self.assertRaises(DatabaseError):
            page.publish(by=None)  # as publish_scheduled calls it
        page = Article.objects.get(pk=page.pk)
        self.assertEqual(page.status, Status.REVIEW)
        self.assertIsNone(page.first_published_at)
        self.assertEqual(Version.objects.get_for_object(page).count(), 0)
        self.assertEqual(list(page.workflow_events()), [])
        assert_plain_not_found(self, self.client.get(page.get_absolute_url()))

    def test_a_step_that_succeeds_writes_all_three(self):
        page = make_article(status=Status.REVIEW, body="Claim [@src2020].")
        page.publish(by=None)
        page = Article.objects.get(pk=page.pk)
        self.assertEqual(page.status, Status.PUBLISHED)
        self.assertEqual(Version.objects.get_for_object(page).count(), 1)
        (event,) = page.workflow_events()
        self.assertEqual((event.from_status, event.to_status), (Status.REVIEW, Status.PUBLISHED))
        self.assertContains(self.client.get(page.get_absolute_url()), page.title)

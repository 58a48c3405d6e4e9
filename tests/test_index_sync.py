"""The index shows exactly the published resources, whatever happens to the database."""

import io
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import TransactionTestCase
from haystack.query import SearchQuerySet
from taggit.models import Tag

from resources.models import Article, PendingIndexUpdate, Resource, WorkflowError
from resources.search import indexing, verification

from .factories import make_article, make_reference, post_admin_action
from .search_helpers import EngineMixin, backend, on_every_engine, reset_index

Status = Resource.Status
ROOT = Path(__file__).resolve().parent.parent


def found(text):
    return sorted(r.title for r in SearchQuerySet().auto_query(text))


def topics_of(title):
    (result,) = [r for r in SearchQuerySet().auto_query(title) if r.title == title]
    return sorted(result.topics)


@on_every_engine
class IndexSyncTests(EngineMixin, TransactionTestCase):
    def setUp(self):
        reset_index()

    def assert_no_drift(self):
        report = verification.compare()
        self.assertEqual(
            (report["missing"], report["stale"], report["ghost"], report["pending"]),
            ([], [], [], 0),
        )

    def test_every_change_is_searchable_after_commit(self):
        article = make_article(title="Lifecycle", body="Original words about zebrafinch.")
        self.assertEqual(found("zebrafinch"), ["Lifecycle"])

        article.body = "New words about kookaburra."
        article.save()
        self.assertEqual(found("zebrafinch"), [])
        self.assertEqual(found("kookaburra"), ["Lifecycle"])

        for status in (Status.DRAFT, Status.REVIEW, Status.ARCHIVED):
            article.status = status
            article.save()
            self.assertEqual(found("kookaburra"), [], status)
            article.status = Status.PUBLISHED
            article.save()
            self.assertEqual(found("kookaburra"), ["Lifecycle"])

        # A page that was public is never deleted (its links live in forums); a draft is.
        with self.assertRaises(WorkflowError):
            article.delete()
        self.assertEqual(found("kookaburra"), ["Lifecycle"])
        never = make_article(title="Never public", body="About kookaburra.", status=Status.DRAFT)
        never.delete()
        self.assertEqual(found("kookaburra"), ["Lifecycle"])
        self.assert_no_drift()

    def test_draft_is_never_indexed(self):
        make_article(title="Draft only", body="Words about wombat.", status=Status.DRAFT)
        self.assertEqual(found("wombat"), [])
        self.assert_no_drift()

    def test_tag_changes_saved_after_the_object_are_indexed(self):
        article = make_article(title="Tagged", topics=["Coping"])
        self.assertEqual(topics_of("Tagged"), ["coping"])
        article.topics.add("Pumping")
        self.assertEqual(topics_of("Tagged"), ["coping", "pumping"])
        article.topics.remove("Coping")
        self.assertEqual(topics_of("Tagged"), ["pumping"])
        article.topics.clear()
        self.assertEqual(topics_of("Tagged"), [])
        self.assert_no_drift()

    def test_renaming_a_topic_reindexes_its_resources(self):
        make_article(title="Renamed topic", body="About quokka.", topics=["Coping"])
        tag = Tag.objects.get(name="Coping")
        tag.name = "Coping day to day"
        tag.save()
        self.assertEqual(found("quokka day"), ["Renamed topic"])
        self.assert_no_drift()

    def test_editing_a_reference_updates_its_document(self):
        ref = make_reference(title="Old reference title", supports="About narwhal.")
        ref.title = "Corrected reference title"
        ref.save()
        self.assertEqual(found("narwhal"), ["Corrected reference title"])
        self.assert_no_drift()

    def test_rolled_back_transaction_leaves_no_phantom(self):
        try:
            with transaction.atomic():
                make_article(title="Phantom", body="About axolotl.")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        self.assertEqual(found("axolotl"), [])
        self.assertEqual(PendingIndexUpdate.objects.count(), 0)
        self.assert_no_drift()

    def test_rolled_back_unpublish_keeps_the_page_searchable(self):
        article = make_article(title="Kept", body="About capybara.")
        try:
            with transaction.atomic():
                article.status = Status.DRAFT
                article.save()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        self.assertEqual(found("capybara"), ["Kept"])
        self.assert_no_drift()

    def test_bulk_update_is_caught_by_verify_and_repaired(self):
        make_article(title="Bulk", body="About pangolin.")
        Article.objects.filter(title="Bulk").update(status=Status.ARCHIVED)
        self.assertEqual(found("pangolin"), ["Bulk"])  # queryset.update() skips signals
        report = verification.compare()
        self.assertEqual(len(report["ghost"]), 1)
        with self.assertRaises(CommandError):
            call_command("search_verify", stdout=io.StringIO())
        call_command("rebuild_index", interactive=False, verbosity=0)
        self.assertEqual(found("pangolin"), [])
        self.assert_no_drift()

    def test_nothing_is_lost_if_the_process_dies_before_the_index_write(self):
        original = indexing.apply_after_commit
        indexing.apply_after_commit = lambda: None  # the process "dies" after commit
        try:
            make_article(title="Survivor", body="About okapi.")
        finally:
            indexing.apply_after_commit = original
        self.assertEqual(found("okapi"), [])
        report = verification.compare()
        self.assertEqual((len(report["missing"]), report["pending"]), (1, 1))
        call_command("search_sync", stdout=io.StringIO())
        self.assertEqual(found("okapi"), ["Survivor"])
        self.assert_no_drift()

    def test_a_failed_index_write_keeps_the_queue_and_the_saved_change(self):
        original = backend().update

        def broken(*args, **kwargs):
            raise OSError("disk full")

        backend().update = broken
        try:
            with self.assertLogs("resources.search.indexing", "ERROR"):
                article = make_article(title="Saved anyway", body="About tapir.")
        finally:
            backend().update = original
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())
        self.assertEqual(PendingIndexUpdate.objects.count(), 1)
        indexing.apply_pending()
        self.assertEqual(found("tapir"), ["Saved anyway"])
        self.assert_no_drift()

    def test_deleted_and_merged_segments_never_reappear(self):
        # whoosh-reloaded's Searcher.refresh() resurrects deleted documents and
        # duplicates merged ones; the backend must reopen instead.
        articles = [make_article(title=f"Seg {i}", body="About ibis.") for i in range(12)]
        self.assertEqual(len(found("ibis")), 12)
        articles[0].status = Status.ARCHIVED  # its document is deleted from the segment
        articles[0].save()
        self.assertEqual(len(found("ibis")), 11)
        if hasattr(backend(), "index"):  # Whoosh: merge the segments
            backend().index.optimize()
        self.assertEqual(len(found("ibis")), 11)
        self.assert_no_drift()

    def test_four_processes_writing_at_once_leave_no_drift(self):
        env = {
            **os.environ,
            **self.engine_env(),
            "SEARCH_PATH": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
        }
        db = connection.settings_dict
        if db["ENGINE"].endswith("sqlite3"):
            env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
        else:
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            )
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.drift_worker", str(seed), "25"],
                cwd=ROOT,
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            )
            for seed in range(4)
        ]
        for worker in workers:
            _, errors = worker.communicate(timeout=300)
            self.assertEqual(worker.returncode, 0, errors)
        self.assertGreater(Article.objects.count(), 0)
        self.assert_no_drift()
        published = Article.objects.published().count()
        self.assertEqual(
            SearchQuerySet().models(Article).filter(kind_exact="article").count(), published
        )


@on_every_engine
class AdminBulkDeleteTests(EngineMixin, TransactionTestCase):
    def setUp(self):
        reset_index()

    def test_bulk_deletes_keep_the_index_right(self):
        from django.contrib.auth.models import User

        keep = make_article(title="Keep me", body="About gecko.")
        gone = [make_article(title=f"Remove {i}", body="About gecko.") for i in range(3)]
        self.assertEqual(len(found("gecko")), 4)
        admin = User.objects.create_superuser("mod", "mod@example.org", "pw-for-tests-only")
        self.client.force_login(admin)
        # The admin refuses to delete live pages (they are archived instead)...
        response = post_admin_action(
            self.client, Article, "delete_selected", gone, follow=False, post="yes"
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(len(found("gecko")), 4)
        # ...and so does the model layer, for a bulk delete from a shell.
        with self.assertRaisesMessage(WorkflowError, "Archive it instead"):
            Article.objects.filter(pk__in=[a.pk for a in gone]).delete()
        self.assertEqual(len(found("gecko")), 4)
        Article.objects.filter(pk__in=[a.pk for a in gone]).update(status=Status.ARCHIVED)
        indexing.enqueue(Article, [a.pk for a in gone])
        indexing.apply_pending()
        self.assertEqual(found("gecko"), [keep.title])
        report = verification.compare()
        self.assertEqual((report["missing"], report["stale"], report["ghost"]), ([], [], []))

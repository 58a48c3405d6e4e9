"""Roles and the review workflow: nothing goes live unreviewed."""

from django.test import TestCase
from haystack.query import SearchQuerySet

from resources.models import Article, Resource, WorkflowError

from .factories import (
    admin_url,
    make_article,
    make_editor,
    make_moderator,
    make_reference,
    post_admin_action,
)
from .search_helpers import reset_index, sync

Status = Resource.Status
CHANGELIST = admin_url("resources_article_changelist")


class WorkflowModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        make_reference(key="src2020")

    def ready(self, **overrides):
        return make_article(status=Status.DRAFT, body="Claim [@src2020].", **overrides)

    def test_the_whole_path_and_back_to_draft(self):
        article = self.ready()
        article.submit_for_review(by=self.moderator)
        article.publish(by=self.moderator)
        article.archive(by=self.moderator)
        article.return_to_draft(by=self.moderator)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.DRAFT)
        steps = [(e.from_status, e.to_status, e.by) for e in article.workflow_events()]
        self.assertEqual(steps, [
            ("archived", "draft", self.moderator), ("published", "archived", self.moderator),
            ("review", "published", self.moderator), ("draft", "review", self.moderator),
        ])  # fmt: skip

    def test_illegal_steps_are_refused_with_a_clear_message(self):
        article = self.ready()
        with self.assertRaisesMessage(WorkflowError, "is draft: it cannot go to published"):
            article.publish(by=self.moderator)
        with self.assertRaisesMessage(WorkflowError, "cannot go to archived"):
            article.archive(by=self.moderator)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.DRAFT)

    def test_publishing_says_exactly_what_is_missing(self):
        article = make_article(
            status=Status.REVIEW, body="No citation.", reviewed_by="", last_reviewed_on=None
        )
        with self.assertRaises(WorkflowError) as caught:
            article.publish(by=self.moderator)
        message = caught.exception.message
        for missing in (
            "cite at least one reference",
            "set the last-reviewed date",
            "name who reviewed it",
        ):
            self.assertIn(missing, message)
        self.assertEqual(Article.objects.get(pk=article.pk).status, Status.REVIEW)

    def test_references_need_no_citation(self):
        reference = make_reference(status=Status.REVIEW)
        reference.publish(by=self.moderator)
        self.assertTrue(reference.is_published())


class RoleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.moderator = make_moderator()
        make_reference(key="src2020")

    def action(self, user, action, *articles):
        self.client.force_login(user)
        return post_admin_action(self.client, Article, action, articles)

    def test_editor_writes_a_draft_and_submits_it(self):
        self.client.force_login(self.editor)
        response = self.client.post(f"{CHANGELIST}add/", {
            "title": "Editor's draft", "slug": "editors-draft", "summary": "S.",
            "body": "Claim [@src2020].", "topics": "", "reviewed_by": "", "aliases": "",
            "last_reviewed_on": "", "next_review_due_on": "", "start_here": "",
            "questions": "", "audience": "public",
            "form_token": "editors-draft-form",  # every add form carries a one-time token
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        draft = Article.objects.get(slug="editors-draft")
        self.assertEqual(draft.status, Status.DRAFT)
        self.action(self.editor, "submit_for_review", draft)
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.REVIEW)

    def test_editor_cannot_publish(self):
        article = make_article(status=Status.REVIEW, body="Claim [@src2020].")
        self.client.force_login(self.editor)
        page = self.client.get(CHANGELIST).content.decode()
        self.assertIn('value="submit_for_review"', page)
        self.assertNotIn('value="publish"', page)
        self.action(self.editor, "publish", article)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.REVIEW)

    def test_editor_cannot_change_a_live_page(self):
        live = make_article(status=Status.PUBLISHED)
        self.client.force_login(self.editor)
        response = self.client.post(f"{CHANGELIST}{live.pk}/change/", {"title": "Vandalised"})
        self.assertEqual(response.status_code, 403)
        live.refresh_from_db()
        self.assertNotEqual(live.title, "Vandalised")

    def test_moderator_publishes_in_bulk_and_is_told_what_failed(self):
        reset_index()
        good = [
            make_article(status=Status.REVIEW, body="Claim [@src2020].", title=f"Good {i}")
            for i in range(2)
        ]
        bad = make_article(status=Status.REVIEW, body="Claim [@src2020].", reviewed_by="")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.action(self.moderator, "publish", *good, bad)
        html = response.content.decode()
        self.assertIn("2 published", html)
        self.assertIn("name who reviewed it", html)
        for article in good:
            article.refresh_from_db()
            self.assertTrue(article.is_published())
            self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)
        sync()
        titles = {r.title for r in SearchQuerySet().filter(content="claim")}
        self.assertEqual(titles, {"Good 0", "Good 1"})

    def test_moderator_archives_and_the_page_leaves_lists_and_search_but_keeps_its_address(self):
        live = make_article(
            status=Status.PUBLISHED, title="Retiring soon", body="Claim [@src2020]."
        )
        sync()
        self.assertEqual(SearchQuerySet().filter(content="retiring").count(), 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.action(self.moderator, "archive", live)
        live.refresh_from_db()
        self.assertEqual(live.status, Status.ARCHIVED)
        self.assertIsNotNone(live.archived_at)
        self.client.logout()
        page = self.client.get(live.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "This page has been archived")
        self.assertNotContains(self.client.get("/articles/"), "Retiring soon")
        sync()
        self.assertEqual(SearchQuerySet().filter(content="retiring").count(), 0)

    def test_anonymous_readers_see_nothing_of_the_admin(self):
        for url in (admin_url("index"), CHANGELIST, f"{CHANGELIST}add/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(admin_url("login"), response["Location"])

    def test_anonymous_cannot_run_admin_actions(self):
        article = make_article(status=Status.REVIEW, body="Claim [@src2020].")
        response = self.client.post(
            CHANGELIST, {"action": "publish", "_selected_action": [article.pk]}
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.REVIEW)

"""Rules no path can break, each driven through the admin, a restore, a command and the ORM."""

import io
import json
import tempfile
from unittest import mock

import reversion
from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError
from django.test import TestCase
from django.utils import timezone
from reversion.models import Version

from resources.curation import editorial
from resources.models import Article, Resource, WorkflowError, WorkflowEvent

from .factories import admin_form_data, make_article, make_reference, make_staff

Status = Resource.Status
ARTICLES = "/admin/resources/article/"


def load_json(rows):
    """`manage.py loaddata` of these rows (a data migration or restore writes the same way)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(rows, handle)
    call_command("loaddata", handle.name, verbosity=0)


def row(article, **fields):
    data = json.loads(serializers.serialize("json", [article]))
    data[0]["fields"].update(fields)
    return data


class FirstPublishedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")

    def setUp(self):
        self.page = make_article()
        self.first = self.page.first_published_at
        self.assertIsNotNone(self.first)

    def assert_kept(self):
        self.assertEqual(Article.objects.get(pk=self.page.pk).first_published_at, self.first)

    def test_orm_cannot_clear_or_move_it(self):
        self.page.first_published_at = None
        self.page.status = Status.DRAFT
        self.page.save()
        self.assert_kept()
        self.page.first_published_at = timezone.now()
        self.page.save(update_fields=["first_published_at"])
        self.assert_kept()

    def test_a_reversion_revert_from_the_shell_keeps_it(self):
        make_reference(key="src2020")
        draft = make_article(status=Status.DRAFT, body="Claim [@src2020].")
        with reversion.create_revision():
            draft.save()
        version = Version.objects.get_for_object(draft).first()
        draft.status = Status.REVIEW
        draft.save()
        draft.publish(by=self.moderator)
        first = Article.objects.get(pk=draft.pk).first_published_at
        version.revision.revert()  # a raw save of the old row, which had no date
        self.assertEqual(Article.objects.get(pk=draft.pk).first_published_at, first)

    def test_a_command_loading_data_keeps_it(self):
        load_json(row(self.page, first_published_at=None, status="draft"))
        self.assert_kept()

    def test_the_admin_restore_keeps_it(self):
        self.client.force_login(self.moderator)
        with reversion.create_revision():
            Article.objects.filter(pk=self.page.pk).update(status=Status.DRAFT)
            self.page.refresh_from_db()
            reversion.add_to_revision(self.page)
        old = Version.objects.get_for_object(self.page).first()
        data = admin_form_data(self.page, self.moderator)
        self.client.post(f"{ARTICLES}{self.page.pk}/history/{old.pk}/", data)
        self.assert_kept()


class NeverDeletedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")

    def test_once_public_pages_are_refused_by_every_delete(self):
        once = make_article(title="Once public")
        once.return_to_draft(by=self.moderator)
        live = make_article(title="Live")
        archived = make_article(title="Archived", status=Status.ARCHIVED)
        for page in (once, live, archived):
            with self.subTest(page=page.title):
                with self.assertRaisesMessage(WorkflowError, "cannot be deleted"):
                    Article.objects.get(pk=page.pk).delete()
                with self.assertRaisesMessage(WorkflowError, "Archive it instead"):
                    Article.objects.filter(pk=page.pk).delete()
                self.client.force_login(self.moderator)
                url = f"{ARTICLES}{page.pk}/delete/"
                self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertEqual(Article.objects.count(), 3)

    def test_an_object_in_memory_that_forgot_its_date_is_still_refused(self):
        page = make_article()
        page.first_published_at, page.status = None, Status.DRAFT  # not saved
        with self.assertRaisesMessage(WorkflowError, "cannot be deleted"):
            page.delete()
        self.assertTrue(Article.objects.filter(pk=page.pk).exists())

    def test_a_page_never_public_can_be_deleted(self):
        draft = make_article(status=Status.DRAFT)
        Article.objects.filter(pk=draft.pk).delete()
        self.assertFalse(Article.objects.filter(pk=draft.pk).exists())


class SlugRedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")

    def assert_moves(self, old, new):
        self.assertRedirects(self.client.get(f"/articles/{old}/"), f"/articles/{new}/", 301)

    def test_orm_rename(self):
        page = make_article(slug="first-name")
        page.slug = "second-name"
        page.save()
        self.assert_moves("first-name", "second-name")

    def test_command_rename(self):
        page = make_article(slug="from-a-command")
        load_json(row(page, slug="renamed-by-a-command"))
        self.assert_moves("from-a-command", "renamed-by-a-command")

    def test_admin_rename_and_a_restore_of_the_old_name(self):
        page = make_article(slug="old-name", status=Status.DRAFT)
        self.client.force_login(self.moderator)
        url = f"{ARTICLES}{page.pk}/"
        self.client.post(url + "change/", admin_form_data(page, self.moderator))
        page.refresh_from_db()
        self.client.post(url + "change/", admin_form_data(page, self.moderator, slug="new-name"))
        old = Version.objects.get_for_object(page).last()
        page.refresh_from_db()
        data = admin_form_data(page, self.moderator, slug="old-name")
        self.assertEqual(self.client.post(url + f"history/{old.pk}/", data).status_code, 302)
        Article.objects.filter(pk=page.pk).update(status=Status.PUBLISHED)
        self.client.logout()
        self.assert_moves("new-name", "old-name")


class AtomicStepTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")
        make_reference(key="src2020")

    def test_a_failed_event_leaves_no_status_and_no_revision(self):
        page = make_article(status=Status.REVIEW, body="Claim [@src2020].")
        broken = mock.patch.object(
            WorkflowEvent.objects, "create", side_effect=IntegrityError("disk full")
        )
        with broken, self.assertRaises(IntegrityError):
            page.publish(by=self.moderator)
        self.assertEqual(Article.objects.get(pk=page.pk).status, Status.REVIEW)
        self.assertFalse(Version.objects.get_for_object(page).exists())

    def test_the_scheduler_commits_a_publication_with_its_event_or_not_at_all(self):
        page = make_article(status=Status.REVIEW, body="Claim [@src2020].")
        editorial.schedule(page, timezone.now(), by=self.moderator)
        broken = mock.patch(
            "resources.models.drafts.WorkflowEvent.objects.create",
            side_effect=IntegrityError("boom"),
        )
        with broken, self.assertRaises(IntegrityError):
            call_command("publish_scheduled", stdout=io.StringIO())
        self.assertEqual(Article.objects.get(pk=page.pk).status, Status.REVIEW)

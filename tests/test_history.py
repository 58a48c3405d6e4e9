"""Every save is a revision: history, readable diffs, restore as a new revision, recovery."""

import re

from django.test import TestCase
from reversion.models import Version

from resources.models import Article, Resource

from .factories import (
    admin_url,
    article_admin_form,
    make_article,
    make_editor,
    make_moderator,
    make_reference,
    post_admin_action,
)

Status = Resource.Status


def loaded(page):
    """The version a restore form was opened at, as the moderator's browser would send it."""
    return re.search(r'name="loaded_version" value="(\d+)"', page).group(1)


class HistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        cls.editor = make_editor()
        make_reference(key="src2020")

    def setUp(self):
        self.client.force_login(self.moderator)
        self.article = make_article(status=Status.DRAFT, body="Line one.\nLine two.")
        self.url = admin_url("resources_article_changelist") + f"{self.article.pk}/"

    def edit(self, **changes):
        self.article.refresh_from_db()
        response = self.client.post(
            self.url + "change/", article_admin_form(self.article, **changes)
        )
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()

    def test_each_admin_save_is_a_revision_with_its_author(self):
        self.edit(body="Line one.\nLine 2, corrected.")
        self.edit(title="Renamed")
        versions = Version.objects.get_for_object(self.article)
        self.assertEqual(versions.count(), 2)
        self.assertEqual(versions[0].revision.user, self.moderator)
        history = self.client.get(self.url + "history/").content.decode()
        self.assertIn("Compare two revisions", history)
        self.assertEqual(len(re.findall(r"/history/\d+/", history)), 2)

    def test_workflow_steps_are_revisions_too(self):
        self.article.body = "Claim [@src2020]."
        self.article.save()
        self.article.submit_for_review(by=self.moderator)
        (version,) = Version.objects.get_for_object(self.article)
        self.assertEqual(version.revision.get_comment(), "Draft → In review")
        self.assertEqual(version.revision.user, self.moderator)

    def test_diff_between_two_revisions_is_readable(self):
        self.edit(body="Line one.\nLine two.")
        self.edit(body="Line one.\nLine 2, corrected.")
        newer, older = Version.objects.get_for_object(self.article)[:2]
        response = self.client.get(self.url + f"history/diff/?a={older.pk}&b={newer.pk}")
        html = response.content.decode()
        self.assertIn("<del>- Line two.</del>", html)
        self.assertIn("<ins>+ Line 2, corrected.</ins>", html)
        self.assertIn("  Line one.", html)
        self.assertNotIn("Title", html)  # unchanged fields are left out

    def test_restoring_an_old_revision_adds_a_new_one_and_loses_nothing(self):
        self.edit(body="The original wording.")
        self.edit(body="A bad edit.")
        versions = Version.objects.get_for_object(self.article)
        original = versions[1]
        page = self.client.get(self.url + f"history/{original.pk}/").content.decode()
        self.assertIn("The original wording.", page)
        response = self.client.post(
            self.url + f"history/{original.pk}/",
            article_admin_form(
                self.article, body="The original wording.", loaded_version=loaded(page)
            ),
        )
        errors = response.context["adminform"].form.errors if response.status_code == 200 else ""
        self.assertEqual(response.status_code, 302, errors)
        self.article.refresh_from_db()
        self.assertEqual(self.article.body, "The original wording.")
        bodies = [v.field_dict["body"] for v in Version.objects.get_for_object(self.article)]
        self.assertEqual(bodies, ["The original wording.", "A bad edit.", "The original wording."])

    def test_only_moderators_delete_and_a_deletion_can_be_recovered(self):
        self.edit(body="Worth keeping.")
        self.client.force_login(self.editor)
        refused = self.client.post(self.url + "delete/", {"post": "yes"})
        self.assertEqual(refused.status_code, 403)
        self.client.force_login(self.moderator)
        self.client.post(self.url + "delete/", {"post": "yes"})
        self.assertFalse(Article.objects.filter(pk=self.article.pk).exists())
        deleted = Version.objects.get_deleted(Article).get(object_id=str(self.article.pk))
        recover = admin_url("resources_article_recover", deleted.pk)
        page = self.client.get(recover).content.decode()
        self.assertIn("Worth keeping.", page)
        response = self.client.post(
            recover,
            article_admin_form(self.article, body="Worth keeping.", loaded_version=loaded(page)),
        )
        errors = response.context["adminform"].form.errors if response.status_code == 200 else ""
        self.assertEqual(response.status_code, 302, errors)
        self.assertEqual(Article.objects.get(pk=self.article.pk).body, "Worth keeping.")

    def test_pages_that_were_ever_public_are_archived_not_deleted(self):
        live = make_article(title="Live page")
        archived = make_article(title="Archived page", status=Status.ARCHIVED)
        once = make_article(title="Once public")
        once.status = Status.DRAFT
        once.save()
        for page in (live, archived, once):
            with self.subTest(page=page.title):
                url = admin_url("resources_article_delete", page.pk)
                self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
                change = self.client.get(admin_url("resources_article_change", page.pk))
                self.assertNotContains(change, 'class="deletelink"')
        selection = [live, self.article]
        confirm = post_admin_action(
            self.client, Article, "delete_selected", selection, follow=False
        )
        self.assertContains(confirm, "permission to delete")
        forced = post_admin_action(
            self.client, Article, "delete_selected", selection, follow=False, post="yes"
        )
        self.assertEqual(forced.status_code, 403)
        self.assertEqual(Article.objects.filter(pk__in=[live.pk, archived.pk, once.pk]).count(), 3)
        self.assertTrue(Article.objects.filter(pk=self.article.pk).exists())
        # A draft that never went live can still be deleted (and recovered).
        self.client.post(self.url + "delete/", {"post": "yes"})
        self.assertFalse(Article.objects.filter(pk=self.article.pk).exists())


class TopicHistoryTests(TestCase):
    """Topics are part of every revision: the diff shows them and a restore brings them back."""

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()

    def setUp(self):
        self.client.force_login(self.moderator)
        self.article = make_article(status=Status.DRAFT)
        self.url = admin_url("resources_article_changelist") + f"{self.article.pk}/"

    def edit(self, **changes):
        self.article.refresh_from_db()
        data = article_admin_form(self.article, **changes)
        self.assertEqual(self.client.post(self.url + "change/", data).status_code, 302)

    def test_topic_changes_show_in_the_diff(self):
        self.edit(topics="Coping")
        self.edit(topics="Coping, Sleep at night")
        newer, older = Version.objects.get_for_object(self.article)[:2]
        self.assertEqual(newer.field_dict["topic_names"], "Coping\nSleep at night")
        html = self.client.get(self.url + f"history/diff/?a={older.pk}&b={newer.pk}").content
        self.assertIn("<ins>+ Sleep at night</ins>", html.decode())
        self.assertIn("  Coping", html.decode())

    def test_restoring_a_revision_brings_its_topics_back(self):
        self.edit(topics="Coping, Pumping")
        self.edit(topics="Sleep")
        original = Version.objects.get_for_object(self.article)[1]
        page = self.client.get(self.url + f"history/{original.pk}/").content.decode()
        self.assertIn('value="Coping, Pumping"', page)
        self.assertEqual(list(self.article.topics.names()), ["Sleep"])  # looking changed nothing
        response = self.client.post(
            self.url + f"history/{original.pk}/",
            article_admin_form(self.article, topics="Coping, Pumping", loaded_version=loaded(page)),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(sorted(self.article.topics.names()), ["Coping", "Pumping"])
        latest = Version.objects.get_for_object(self.article).first()
        self.assertEqual(latest.field_dict["topic_names"], "Coping\nPumping")

    def test_recovering_a_deleted_page_brings_its_topics_back(self):
        self.edit(topics="Coping, Pumping")
        self.client.post(self.url + "delete/", {"post": "yes"})
        deleted = Version.objects.get_deleted(Article).get(object_id=str(self.article.pk))
        page = self.client.get(admin_url("resources_article_recover", deleted.pk)).content.decode()
        self.assertIn('value="Coping, Pumping"', page)

    def test_bulk_topic_changes_and_renames(self):
        self.article.topics.add("Coping")
        self.article.change_topics(add=["Sleep"], by=self.moderator)
        latest = Version.objects.get_for_object(self.article).first()
        self.assertEqual(latest.field_dict["topic_names"], "Coping\nSleep")
        sleep = self.article.topics.get(name="Sleep")
        sleep.name = "Sleep and night feeds"
        sleep.save()
        self.article.refresh_from_db()
        self.assertEqual(self.article.topic_names, "Coping\nSleep and night feeds")
        # The revision keeps what the topics were called then.
        self.assertEqual(latest.field_dict["topic_names"], "Coping\nSleep")

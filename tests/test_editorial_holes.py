"""Issue 11's holes, each tried through the admin as a real editor or moderator posts it.

Each of these failed before drafts, four eyes and the model-layer invariants existed.
"""

import datetime
import io
import re

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from reversion.models import Version

from resources.curation import editorial
from resources.models import Article, Resource, WorkflowError, WorkflowEvent

from .factories import admin_form_data, make_article, make_crisis_line, make_reference, make_staff
from .test_hardening import HiddenValues

Status = Resource.Status
ARTICLES = "/admin/resources/article/"


def loaded(page):
    return re.search(r'name="loaded_version" value="(\d+)"', page).group(1)


class LivePageTests(TestCase):
    """A live page with a history: written as a draft, then approved by a second moderator."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        cls.moderator = make_staff("mod", "Moderators")
        cls.second = make_staff("mod2", "Moderators")
        make_reference(key="src2020")

    def setUp(self):
        self.page = make_article(
            status=Status.DRAFT, title="What is D-MER?", slug="what-is-d-mer",
            body="The first wording [@src2020].",
        )  # fmt: skip
        self.url = f"{ARTICLES}{self.page.pk}/"
        self.client.force_login(self.editor)
        self.post_change(body="The first wording [@src2020].")
        self.post_change(body="The reviewed wording [@src2020].")
        self.page.refresh_from_db()
        self.page.submit_for_review(by=self.editor)
        self.page.refresh_from_db()
        self.page.publish(by=self.moderator)
        self.page.refresh_from_db()
        self.first_published = self.page.first_published_at
        self.oldest = Version.objects.get_for_object(self.page).last()

    def post_change(self, user=None, url=None, **changes):
        if user:
            self.client.force_login(user)
        self.page.refresh_from_db()
        data = admin_form_data(self.page, user or self.editor, **changes)
        return self.client.post(url or self.url + "change/", data, follow=True)

    def restore_oldest(self, user):
        self.client.force_login(user)
        url = self.url + f"history/{self.oldest.pk}/"
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "The first wording")
        data = admin_form_data(self.page, user, body="The first wording [@src2020].")
        data["loaded_version"] = loaded(page.content.decode())
        return self.client.post(url, data, follow=True)

    def assert_live_unchanged(self):
        self.page.refresh_from_db()
        self.assertEqual(self.page.status, Status.PUBLISHED)
        self.assertEqual(self.page.body, "The reviewed wording [@src2020].")
        self.assertEqual(self.page.first_published_at, self.first_published)
        self.client.logout()
        public = self.client.get("/articles/what-is-d-mer/")
        self.assertContains(public, "The reviewed wording")
        self.assertNotContains(public, "The first wording")

    def test_an_editors_restore_of_a_live_page_is_a_draft_and_the_page_stays_live(self):
        response = self.restore_oldest(self.editor)
        self.assertContains(response, "Saved as a draft")
        draft = editorial.open_draft(self.page)
        self.assertEqual(draft.data["fields"]["body"], "The first wording [@src2020].")
        self.assertEqual(draft.restored_from, self.oldest.pk)
        event = self.page.workflow_events().first()
        self.assertEqual((event.action, event.by), (WorkflowEvent.Action.RESTORED, self.editor))
        self.assert_live_unchanged()

    def test_a_moderators_restore_keeps_first_published_and_the_page_undeletable(self):
        self.restore_oldest(self.moderator)
        self.assert_live_unchanged()
        self.client.force_login(self.moderator)
        refused = self.client.post(self.url + "delete/", {"post": "yes"})
        self.assertEqual(refused.status_code, 403)
        with self.assertRaisesMessage(WorkflowError, "cannot be deleted"):
            Article.objects.get(pk=self.page.pk).delete()
        self.client.logout()
        self.assertRedirects(
            self.client.get(f"/r/a{self.page.pk}"), "/articles/what-is-d-mer/", 301
        )

    def test_a_moderators_save_of_a_live_page_waits_for_a_second_moderator(self):
        response = self.post_change(self.moderator, body="A correction [@src2020].")
        self.assertContains(response, "Saved as a draft")
        self.assert_live_unchanged()
        draft = editorial.open_draft(self.page)
        with self.assertRaisesMessage(WorkflowError, "four eyes"):
            editorial.approve_and_publish(draft, by=self.moderator)
        self.assert_live_unchanged()
        editorial.approve_and_publish(draft, by=self.second)
        self.page.refresh_from_db()
        self.assertEqual(self.page.body, "A correction [@src2020].")
        self.assertEqual(self.page.first_published_at, self.first_published)
        self.assertContains(self.client.get("/articles/what-is-d-mer/"), "A correction")
        event = self.page.workflow_events().first()
        self.assertEqual((event.action, event.by), (WorkflowEvent.Action.PUBLISHED, self.second))

    def test_an_editor_proposes_a_correction_and_keeps_working_on_it(self):
        self.post_change(self.editor, body="An editor's correction [@src2020].")
        self.assert_live_unchanged()
        self.client.force_login(self.editor)
        form = self.client.get(self.url + "change/")
        self.assertContains(form, "An editor&#x27;s correction")  # the form shows the draft
        self.post_change(
            self.editor, body="A better correction [@src2020].",
            loaded_version=loaded(form.content.decode()),
        )  # fmt: skip
        draft = editorial.open_draft(self.page)
        self.assertEqual(draft.data["fields"]["body"], "A better correction [@src2020].")
        self.assertEqual(draft.author, self.editor)
        self.assert_live_unchanged()

    def test_a_slug_renamed_in_the_shell_keeps_the_old_address(self):
        page = Article.objects.get(pk=self.page.pk)
        page.slug = "d-mer-explained"
        page.save()
        self.assertRedirects(
            self.client.get("/articles/what-is-d-mer/"), "/articles/d-mer-explained/", 301
        )


class ScheduleHoleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        make_reference(key="src2020")

    def test_an_editor_cannot_get_a_page_published_by_setting_a_time(self):
        page = make_article(status=Status.DRAFT, body="Claim [@src2020].")
        self.client.force_login(self.editor)
        past = timezone.now() - datetime.timedelta(hours=1)
        data = admin_form_data(
            page, self.editor, publish_at_0=past.strftime("%Y-%m-%d"),
            publish_at_1=past.strftime("%H:%M:%S"),
        )  # fmt: skip
        self.assertEqual(self.client.post(f"{ARTICLES}{page.pk}/change/", data).status_code, 302)
        self.client.post(ARTICLES, {"action": "submit_for_review", "_selected_action": [page.pk]})
        page.refresh_from_db()
        self.assertEqual(page.status, Status.REVIEW)
        self.assertIsNotNone(page.publish_at)
        with self.assertLogs("resources.management.commands.publish_scheduled", "WARNING"):
            call_command("publish_scheduled", stdout=io.StringIO())
        page.refresh_from_db()
        self.assertEqual(page.status, Status.REVIEW)
        self.assertFalse(page.workflow_events().filter(to_status=Status.PUBLISHED).exists())
        self.assertEqual(self.client.get(page.get_absolute_url()).status_code, 404)


class CrisisHelpHoleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")
        make_reference(key="src2020")

    def test_a_page_mentioning_suicidal_thoughts_shows_the_crisis_box_whatever_is_ticked(self):
        make_crisis_line()
        page = make_article(status=Status.DRAFT, body="Some text.", slug="hard-days")
        self.client.force_login(self.moderator)
        data = admin_form_data(
            page, self.moderator, body="Some mothers have suicidal thoughts [@src2020]."
        )
        data.pop("crisis_help", None)  # the box left unticked
        self.assertEqual(self.client.post(f"{ARTICLES}{page.pk}/change/", data).status_code, 302)
        page.refresh_from_db()
        self.assertTrue(page.crisis_help)
        page.crisis_help = False
        page.save()  # from the shell, too
        page.refresh_from_db()
        self.assertTrue(page.crisis_help)
        Article.objects.filter(pk=page.pk).update(status=Status.PUBLISHED)
        html = self.client.get("/articles/hard-days/").content.decode()
        self.assertIn('class="crisis-box"', html)
        self.assertIn('href="tel:988"', html)


class CrisisLineReviewTests(TestCase):
    """A change to a crisis line is reviewed like a page: a wrong number is the worst error."""

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")
        cls.second = make_staff("mod2", "Moderators")

    def form(self, line, **changes):
        data = {
            "region": line.region, "name": line.name, "kind": line.kind,
            "contact": line.contact, "dial": line.dial, "notes": line.notes,
            "confidence": line.confidence, "position": line.position,
        }  # fmt: skip
        return {**data, **changes}

    def test_a_changed_number_is_shown_only_once_a_second_moderator_approves_it(self):
        line = make_crisis_line(contact="Call or text 988", dial="988")
        self.client.force_login(self.moderator)
        url = f"/admin/resources/crisisline/{line.pk}/change/"
        response = self.client.post(url, self.form(line, contact="Call 999 888", dial="999888"))
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get("/help-now/"), 'href="tel:988"')
        self.assertNotContains(self.client.get("/help-now/"), "999888")
        approve = {"action": "approve", "_selected_action": [line.pk]}
        own = self.client.post("/admin/resources/crisisline/", approve, follow=True)
        self.assertContains(own, "four eyes")
        self.assertNotContains(self.client.get("/help-now/"), "999888")
        self.client.force_login(self.second)
        self.client.post("/admin/resources/crisisline/", approve)
        self.assertContains(self.client.get("/help-now/"), 'href="tel:999888"')
        self.assertEqual(Version.objects.get_for_object(line).count(), 1)

    def test_a_new_line_is_not_shown_until_approved(self):
        self.client.force_login(self.moderator)
        data = {
            "region": "Testland", "name": "Test crisis line", "kind": "crisis",
            "contact": "Call 12345", "dial": "12345", "notes": "", "confidence": "confirmed",
            "position": 5,
        }  # fmt: skip
        add = "/admin/resources/crisisline/add/"
        form = self.client.get(add).content.decode()  # the form carries a one-time token
        data.update(HiddenValues(form).values)
        self.assertEqual(self.client.post(add, data).status_code, 302)
        self.assertNotContains(self.client.get("/help-now/"), "Test crisis line")
        self.client.force_login(self.second)
        line = type(make_crisis_line()).objects.get(name="Test crisis line")
        editorial.approve_and_publish(line, by=self.second)
        self.assertContains(self.client.get("/help-now/"), "Test crisis line")


class HistoryForEverythingTests(TestCase):
    """Synonym groups and crisis lines had no history at all; now each admin save is one."""

    def test_a_synonym_group_change_is_a_revision(self):
        from resources.models import SynonymGroup

        moderator = make_staff("mod", "Moderators")
        group = SynonymGroup.objects.create(terms="letdown\nmilk ejection")
        self.client.force_login(moderator)
        url = f"/admin/resources/synonymgroup/{group.pk}/change/"
        data = {"terms": "letdown\nlet-down\nmilk ejection", "note": "spellings"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        (version,) = Version.objects.get_for_object(group)
        self.assertEqual(version.revision.user, moderator)
        self.assertIn("let-down", version.field_dict["terms"])
        self.assertEqual(self.client.get(url.replace("change/", "history/")).status_code, 200)

"""The smaller things moderators hit: topics' name and deletion, the admin's name, the
preview banner, confirmation before taking pages offline, history for everything a reader
sees."""

import re

from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from resources.models import CrisisLine, Resource, SynonymGroup
from resources.models.site_content import TopicInUse

from .factories import make_article, make_crisis_line, make_staff

Status = Resource.Status
TOPICS = reverse("admin:resources_topic_changelist")
ARTICLES = reverse("admin:resources_article_changelist")


class TopicAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")
        make_article(topics=["Coping"])
        cls.used = Tag.objects.get(name="Coping")
        cls.unused = Tag.objects.create(name="Spare", slug="spare")

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_topics_appear_as_topics_not_taggit_tags(self):
        home = self.client.get(reverse("admin:index")).content.decode()
        self.assertIn(f'href="{TOPICS}"', home)
        self.assertIn(">Topics<", home)
        self.assertNotIn("Taggit", home)
        listing = self.client.get(TOPICS).content.decode()
        self.assertIn("Select topic to change", listing)
        self.assertNotIn("Taggit", listing)

    def test_the_stock_delete_action_is_gone(self):
        listing = self.client.get(TOPICS).content.decode()
        self.assertNotIn('value="delete_selected"', listing)
        self.assertIn('value="delete_unused"', listing)
        response = self.client.post(
            TOPICS, {"action": "delete_selected", "_selected_action": [self.used.pk], "post": "yes"}
        )
        self.assertTrue(Tag.objects.filter(pk=self.used.pk).exists())
        self.assertIn(response.status_code, (200, 302))

    def test_a_topic_in_use_has_no_delete_page_but_an_unused_one_has(self):
        used_delete = reverse("admin:resources_topic_delete", args=[self.used.pk])
        self.assertEqual(self.client.post(used_delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(Tag.objects.filter(pk=self.used.pk).exists())
        change = self.client.get(reverse("admin:resources_topic_change", args=[self.used.pk]))
        self.assertNotContains(change, 'class="deletelink"')
        unused_delete = reverse("admin:resources_topic_delete", args=[self.unused.pk])
        self.assertEqual(self.client.post(unused_delete, {"post": "yes"}).status_code, 302)
        self.assertFalse(Tag.objects.filter(pk=self.unused.pk).exists())

    def test_deleting_a_used_topic_is_refused_below_the_admin_too(self):
        # (Each attempt in its own savepoint: Django's delete runs in one without its own.)
        with self.assertRaisesMessage(TopicInUse, "is used by 1 page(s)"), transaction.atomic():
            Tag.objects.get(pk=self.used.pk).delete()
        with self.assertRaises(TopicInUse), transaction.atomic():
            Tag.objects.filter(pk=self.used.pk).delete()
        self.assertTrue(Tag.objects.filter(pk=self.used.pk).exists())
        Tag.objects.get(pk=self.unused.pk).delete()  # nothing uses it: fine
        self.assertFalse(Tag.objects.filter(pk=self.unused.pk).exists())

    def test_a_topic_rename_is_a_revision_in_its_history(self):
        url = reverse("admin:resources_topic_change", args=[self.used.pk])
        self.client.post(url, {"name": "Coping day to day", "slug": "coping"})
        history = self.client.get(reverse("admin:resources_topic_history", args=[self.used.pk]))
        self.assertContains(history, "Coping day to day")
        self.assertEqual(Version.objects.get_for_object(self.used).count(), 1)

    def test_merging_still_works_with_the_guard(self):
        self.client.post(
            TOPICS, {"action": "merge_topics", "_selected_action": [self.used.pk, self.unused.pk]}
        )
        self.assertFalse(Tag.objects.filter(pk=self.unused.pk).exists())
        self.assertTrue(Tag.objects.filter(pk=self.used.pk).exists())

    def test_merging_a_used_topic_away_moves_its_pages_first(self):
        article = make_article(topics=["Spare"])
        self.client.post(
            TOPICS, {"action": "merge_topics", "_selected_action": [self.used.pk, self.unused.pk]}
        )
        self.assertEqual(list(article.topics.names()), ["Coping"])
        self.assertFalse(Tag.objects.filter(name="Spare").exists())


class AdminNameTests(TestCase):
    def test_the_admin_names_the_site_in_header_and_title(self):
        self.client.force_login(make_staff("mod", "Moderators"))
        html = self.client.get(reverse("admin:index")).content.decode()
        self.assertIn("<title>Moderation | D-MER Knowledge Base: moderation</title>", html)
        self.assertIn('<a href="/admin/">D-MER Knowledge Base: moderation</a>', html)
        self.assertNotIn("Django administration", html)
        login = self.client.get(reverse("admin:logout"))  # any admin page: the same header
        self.assertNotIn("Django administration", login.content.decode())


class PreviewBannerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")

    def banner(self, article):
        self.client.force_login(self.editor)
        html = self.client.get(f"/preview/article/{article.pk}/").content.decode()
        start = html.index('class="preview-banner"')
        return html[start : html.index("</p>", start)]

    def test_a_published_page_is_not_called_unpublished(self):
        banner = self.banner(make_article(status=Status.PUBLISHED))
        self.assertIn("Preview: published.", banner)
        self.assertIn("This page is live", banner)
        self.assertNotIn("not published", banner)

    def test_a_draft_still_says_it_is_not_published(self):
        banner = self.banner(make_article(status=Status.DRAFT))
        self.assertIn("Preview: draft, not published.", banner)
        self.assertIn("once it is published", banner)

    def test_an_archived_page_says_it_is_retired(self):
        banner = self.banner(make_article(status=Status.ARCHIVED))
        self.assertIn("Preview: archived.", banner)
        self.assertNotIn("This page is live", banner)


class OfflineConfirmationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")

    def setUp(self):
        self.client.force_login(self.moderator)
        self.live = make_article(title="Live page <b>", status=Status.PUBLISHED)

    def ask(self, action, **extra):
        data = {"action": action, "_selected_action": [self.live.pk], **extra}
        return self.client.post(ARTICLES, data)

    def test_archiving_asks_first_and_changes_nothing_until_confirmed(self):
        page = self.ask("archive")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Archive these pages?")
        self.assertContains(page, "Live page &lt;b&gt;")  # escaped
        self.assertContains(page, 'value="Yes, archive"')
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.PUBLISHED)
        self.assertEqual(self.client.get(self.live.get_absolute_url()).status_code, 200)
        done = self.ask("archive", confirm="archive")
        self.assertEqual(done.status_code, 302)
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.ARCHIVED)

    def test_taking_a_page_offline_asks_first_and_says_what_readers_will_see(self):
        page = self.ask("return_to_draft")
        self.assertContains(page, "Take these pages offline?")
        self.assertContains(page, "This page is being revised")
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.PUBLISHED)
        # A confirmation meant for another step does not take it offline.
        self.ask("return_to_draft", confirm="archive")
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.PUBLISHED)
        self.ask("return_to_draft", confirm="return_to_draft")
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.DRAFT)
        self.assertEqual(self.client.get(self.live.get_absolute_url()).status_code, 404)

    def test_an_editor_is_never_offered_the_confirmation(self):
        self.client.force_login(make_staff("ed", "Editors"))
        self.ask("archive", confirm="archive")
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.PUBLISHED)


class HistoryForEverythingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_a_crisis_line_edit_is_reviewed_then_a_revision_with_a_history(self):
        line = make_crisis_line()
        url = reverse("admin:resources_crisisline_change", args=[line.pk])
        data = {
            "region": "USA", "name": line.name, "kind": "crisis", "contact": "Call 988 now",
            "dial": "988", "notes": "", "confidence": "confirmed", "position": 0,
        }  # fmt: skip
        self.assertEqual(self.client.post(url, data).status_code, 302)
        # A wrong number is the worst error: the change waits for a second person.
        self.assertEqual(CrisisLine.objects.get(pk=line.pk).contact, "Call or text 988")
        self.client.force_login(make_staff("mod2", "Moderators"))
        changelist = reverse("admin:resources_crisisline_changelist")
        self.client.post(changelist, {"action": "approve", "_selected_action": [line.pk]})
        self.assertEqual(CrisisLine.objects.get(pk=line.pk).contact, "Call 988 now")
        version = Version.objects.get_for_object(line).first()
        self.assertEqual(version.field_dict["contact"], "Call 988 now")
        history = reverse("admin:resources_crisisline_history", args=[line.pk])
        self.assertContains(self.client.get(history), "approved")

    def test_synonym_groups_have_a_history_too(self):
        url = reverse("admin:resources_synonymgroup_add")
        token = re.search(
            r'name="form_token" value="([^"]+)"', self.client.get(url).content.decode()
        )
        self.client.post(url, {"terms": "D-MER\nDMER", "note": "", "form_token": token.group(1)})
        group = SynonymGroup.objects.get(terms="D-MER\nDMER")
        self.assertEqual(Version.objects.get_for_object(group).count(), 1)
        history = reverse("admin:resources_synonymgroup_history", args=[group.pk])
        self.assertEqual(self.client.get(history).status_code, 200)

    def test_an_editor_cannot_change_a_crisis_line(self):
        line = make_crisis_line()
        self.client.force_login(make_staff("ed", "Editors"))
        url = reverse("admin:resources_crisisline_change", args=[line.pk])
        self.client.post(url, {"region": "USA", "name": "X", "kind": "crisis", "contact": "1"})
        self.assertEqual(CrisisLine.objects.get(pk=line.pk).contact, "Call or text 988")

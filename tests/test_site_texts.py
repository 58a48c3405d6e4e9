"""The site's own texts are content: moderators edit them, with history; pages read them
and fall back to the shipped text when a row is missing."""

from django.test import TestCase
from django.urls import reverse
from reversion.models import Version

from resources.models.site_content import SiteText
from resources.pages.site_texts import DEFAULTS

from .factories import ensure_roles, make_staff


class SiteTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_roles()
        cls.moderator = make_staff("mod", "Moderators")
        cls.editor = make_staff("ed", "Editors")

    def edit(self, user, which, **changes):
        text = SiteText.objects.get(key=which)
        self.client.force_login(user)
        data = {"title": text.title, "body": text.body, **changes}
        return self.client.post(reverse("admin:resources_sitetext_change", args=[text.pk]), data)

    def test_the_migration_seeded_every_text(self):
        self.assertEqual(
            set(SiteText.objects.values_list("key", flat=True)), {key for key, _, _ in DEFAULTS}
        )

    def test_about_and_for_forums_show_the_texts_as_before(self):
        about = self.client.get("/about/").content.decode()
        self.assertIn('<h2 id="editorial-h">Editorial policy</h2>', about)
        self.assertIn("<strong>Nothing goes live unreviewed.</strong>", about)
        self.assertIn('<a href="#privacy">Privacy</a>', about)
        self.assertIn('<a href="/suggest/">tell us with the suggestion form</a>', about)
        self.assertLess(about.index('id="purpose"'), about.index('id="crisis"'))
        forums = self.client.get("/for-forums/").content.decode()
        self.assertIn("<dt>Is it postpartum depression?</dt>", forums)
        self.assertIn('<a href="/articles/what-d-mer-is-not/">Read the page</a>', forums)
        self.assertIn('<a href="/help-now/">Crisis and support lines</a>', forums)

    def test_a_moderators_correction_shows_at_once_and_is_a_revision(self):
        self.client.get("/about/")  # cached for readers...
        response = self.edit(self.moderator, "about-funding", body="We take **no** money.")
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        about = self.client.get("/about/").content.decode()  # ...and the cache let go
        self.assertIn("We take <strong>no</strong> money.", about)
        self.assertNotIn("sponsorship", about)
        text = SiteText.objects.get(key="about-funding")
        (version,) = Version.objects.get_for_object(text)
        self.assertEqual(version.revision.user, self.moderator)
        self.client.force_login(self.moderator)
        history = reverse("admin:resources_sitetext_history", args=[text.pk])
        self.assertContains(self.client.get(history), "Changed Body")

    def test_an_editor_may_read_but_not_change_them(self):
        response = self.edit(self.editor, "about-funding", body="Changed by an editor.")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Changed by", SiteText.objects.get(key="about-funding").body)
        listing = self.client.get(reverse("admin:resources_sitetext_changelist"))
        self.assertEqual(listing.status_code, 200)

    def test_the_key_cannot_be_changed_so_a_page_never_loses_its_text(self):
        self.edit(self.moderator, "about-funding", key="elsewhere")
        self.assertTrue(SiteText.objects.filter(key="about-funding").exists())

    def test_markup_in_a_text_is_sanitised(self):
        self.edit(self.moderator, "forums-answer-01", body="<script>alert(1)</script>Hello")
        forums = self.client.get("/for-forums/").content.decode()
        self.assertNotIn("<script>alert", forums)
        self.assertIn("Hello", forums)

    def test_a_missing_row_falls_back_to_the_shipped_text(self):
        SiteText.objects.filter(key__in=["about-disclaimer", "forums-answer-02"]).delete()
        about = self.client.get("/about/").content.decode()
        self.assertIn("not medical advice for any one person", about)
        forums = self.client.get("/for-forums/").content.decode()
        self.assertIn("Is it postpartum depression?", forums)

    def test_a_new_ready_answer_appears_in_order(self):
        SiteText.objects.create(key="forums-answer-07", title="Is it my fault?", body="No.")
        forums = self.client.get("/for-forums/").content.decode()
        self.assertLess(forums.index("thoughts of suicide"), forums.index("Is it my fault?"))

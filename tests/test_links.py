"""Links that never break: renamed pages answer 301 from every address they ever had."""

from django.contrib.auth.models import User
from django.test import TestCase

from resources.models import Resource

from .factories import (
    admin_url,
    article_admin_form,
    assert_plain_not_found,
    make_article,
    make_reference,
)

Status = Resource.Status


class SlugRedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")

    def rename(self, article, slug):
        self.client.force_login(self.moderator)
        article.refresh_from_db()
        response = self.client.post(
            admin_url("resources_article_change", article.pk),
            article_admin_form(article, slug=slug),
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()

    def test_every_old_address_redirects_to_the_current_one(self):
        article = make_article(slug="first-name")
        self.rename(article, "second-name")
        self.rename(article, "third-name")
        for old in ("first-name", "second-name"):
            with self.subTest(old=old):
                response = self.client.get(f"/articles/{old}/")
                self.assertRedirects(response, "/articles/third-name/", status_code=301)
        self.assertEqual(self.client.get("/articles/third-name/").status_code, 200)
        self.assertRedirects(
            self.client.get(article.get_short_url()), "/articles/third-name/", status_code=301
        )

    def test_renaming_back_keeps_every_address_alive(self):
        article = make_article(slug="a-name")
        self.rename(article, "b-name")
        self.rename(article, "a-name")
        self.assertEqual(self.client.get("/articles/a-name/").status_code, 200)
        self.assertRedirects(
            self.client.get("/articles/b-name/"), "/articles/a-name/", status_code=301
        )

    def test_an_old_address_of_an_unpublished_page_is_not_found(self):
        article = make_article(slug="old-one")
        self.rename(article, "new-one")
        article.refresh_from_db()
        article.status = Status.DRAFT
        article.save()
        assert_plain_not_found(self, self.client.get("/articles/old-one/"))

    def test_a_new_page_may_take_a_freed_address(self):
        article = make_article(slug="shared-name")
        self.rename(article, "moved-away")
        newcomer = make_article(slug="shared-name", title="Newcomer")
        response = self.client.get("/articles/shared-name/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Newcomer", response.content.decode())
        self.assertNotEqual(newcomer.pk, article.pk)

    def test_redirects_belong_to_one_kind(self):
        article = make_article(slug="kind-a")
        self.rename(article, "kind-b")
        make_reference(slug="other")
        assert_plain_not_found(self, self.client.get("/references/kind-a/"))

    def test_moderators_see_where_old_addresses_lead_and_cannot_point_them_nowhere(self):
        from django.contrib.contenttypes.models import ContentType

        article = make_article(slug="now-here", title="Now here")
        self.rename(article, "moved-on")
        self.client.force_login(self.moderator)
        listing = self.client.get(admin_url("resources_slugredirect_changelist"))
        self.assertContains(listing, '<a href="/articles/moved-on/">Now here</a>')
        content_type = ContentType.objects.get_for_model(article)
        refused = self.client.post(
            admin_url("resources_slugredirect_add"),
            {
                "content_type": content_type.pk,
                "old_slug": "somewhere",
                "object_id": 99999,
                "form_token": "one",
            },
        )
        self.assertContains(refused, "There is no article with id 99999.")
        added = self.client.post(
            admin_url("resources_slugredirect_add"),
            {
                "content_type": content_type.pk,
                "old_slug": "typo-in-a-forum",
                "object_id": article.pk,
                "form_token": "one",  # the same form, corrected: its token is still unused
            },
        )
        self.assertEqual(added.status_code, 302)
        self.client.logout()
        self.assertRedirects(
            self.client.get("/articles/typo-in-a-forum/"), "/articles/moved-on/", 301
        )

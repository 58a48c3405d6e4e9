"""Previews: staff see a draft as the public will; an outside reviewer gets an expiring link."""

import re

from django.contrib.auth.models import User
from django.test import TestCase, override_settings

from resources.models import Resource
from resources.pages import previews

from .factories import (
    admin_url,
    assert_plain_not_found,
    make_article,
    make_crisis_line,
    make_editor,
)

Status = Resource.Status


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        make_crisis_line()
        cls.draft = make_article(
            title="Unpublished draft", status=Status.DRAFT, body="Draft words.", crisis_help=True
        )

    def test_staff_preview_looks_like_the_public_page_with_a_banner(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/preview/article/{self.draft.pk}/")
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Preview: draft, not published.", html)
        self.assertIn("Draft words.", html)
        self.assertIn('class="crisis-box"', html)
        self.assertEqual(len(re.findall(r"<h1[\s>]", html)), 1)
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertNotIn("Share this page", html)
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")

    def test_readers_cannot_use_the_staff_preview(self):
        response = self.client.get(f"/preview/article/{self.draft.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertIn(admin_url("login"), response["Location"])
        assert_plain_not_found(self, self.client.get(self.draft.get_absolute_url()))

    def test_signed_link_works_without_an_account(self):
        url = previews.signed_url(self.draft)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Draft words.", response.content.decode())
        self.assertIn("This link works for 7 days", response.content.decode())

    def test_tampered_link_is_refused(self):
        url = previews.signed_url(self.draft)
        self.assertEqual(self.client.get(url[:-3] + "xyz/").status_code, 404)
        self.assertEqual(self.client.get("/preview/s/article:1/").status_code, 404)

    @override_settings(PREVIEW_LINK_DAYS=-1)
    def test_expired_link_says_so(self):
        response = self.client.get(previews.signed_url(self.draft))
        self.assertEqual(response.status_code, 410)
        self.assertIn("This preview link has expired", response.content.decode())

    def test_admin_shows_both_links(self):
        moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")
        self.client.force_login(moderator)
        html = self.client.get(admin_url("resources_article_change", self.draft.pk))
        html = html.content.decode()
        self.assertIn(f"/preview/article/{self.draft.pk}/", html)
        self.assertIn("/preview/s/", html)

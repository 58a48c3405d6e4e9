"""Readers' suggestions land in a moderation queue, never on the site; spam is kept out."""

import secrets

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import TestCase

from resources.models import Article, Suggestion

from .factories import (
    admin_url,
    assert_plain_not_found,
    make_editor,
    make_moderator,
    post_admin_action,
)

SUGGEST = "/suggest/"


def message(**overrides):
    """A new form's POST: each carries its own one-time token, as a freshly loaded form does."""
    data = {"kind": "error", "page": "/articles/what-is-d-mer/",
            "message": "The Moriyama figure should be 23.3%.", "source_url": "", "email": "",
            "website": "", "form_token": secrets.token_urlsafe(16)}  # fmt: skip
    data.update(overrides)
    return data


class SuggestionFormTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_a_suggestion_lands_in_the_queue_not_on_the_site(self):
        response = self.client.post(SUGGEST, message())
        self.assertRedirects(response, "/suggest/thanks/")
        (suggestion,) = Suggestion.objects.all()
        self.assertEqual(suggestion.state, Suggestion.State.NEW)
        self.assertNotIn("Moriyama figure", self.client.get("/articles/").content.decode())

    def test_every_resource_page_links_to_the_form_with_its_address(self):
        from .factories import make_article

        article = make_article(slug="linked")
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertIn("/suggest/?page=/articles/linked/", html)
        form = self.client.get("/suggest/?page=/articles/linked/").content.decode()
        self.assertIn('value="/articles/linked/"', form)

    def test_honeypot_catches_bots_silently(self):
        response = self.client.post(SUGGEST, message(website="http://spam.example"))
        self.assertRedirects(response, "/suggest/thanks/")
        self.assertEqual(Suggestion.objects.count(), 0)

    def test_too_many_from_one_address_are_refused_and_the_text_kept(self):
        for _ in range(5):
            self.client.post(SUGGEST, message(), REMOTE_ADDR="198.51.100.9")
        response = self.client.post(
            SUGGEST, message(message="Sixth message."), REMOTE_ADDR="198.51.100.9"
        )
        self.assertEqual(response.status_code, 429)
        html = response.content.decode()
        self.assertIn("Too many messages", html)
        self.assertIn("Sixth message.", html)
        self.assertEqual(Suggestion.objects.count(), 5)
        other = self.client.post(SUGGEST, message(), REMOTE_ADDR="198.51.100.10")
        self.assertEqual(other.status_code, 302)

    def test_size_limits_and_bad_input_get_clear_errors(self):
        response = self.client.post(
            SUGGEST, message(message="x" * 5001, source_url="javascript:alert(1)")
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("at most 5000 characters", html)
        self.assertIn("Enter a valid URL", html)
        self.assertEqual(Suggestion.objects.count(), 0)

    def test_empty_message_is_refused(self):
        response = self.client.post(SUGGEST, message(message=""))
        self.assertIn("This field is required", response.content.decode())


class SuggestionQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        cls.editor = make_editor()

    def test_moderator_turns_a_suggestion_into_a_draft_in_one_action(self):
        suggestion = Suggestion.objects.create(
            message="Add the 2025 scoping review.\nIt covers BAR too.",
            source_url="https://doi.org/10.1186/s13006-024-00692-3",
        )
        self.client.force_login(self.moderator)
        post_admin_action(self.client, Suggestion, "make_draft", [suggestion], follow=False)
        draft = Article.objects.get(title="Add the 2025 scoping review")
        self.assertEqual(draft.status, Article.Status.DRAFT)
        self.assertIn("It covers BAR too.", draft.body)
        self.assertIn("10.1186/s13006-024-00692-3", draft.body)
        suggestion.refresh_from_db()
        self.assertEqual(suggestion.state, Suggestion.State.DRAFTED)
        assert_plain_not_found(self, self.client.get(draft.get_absolute_url()))

    def test_editors_do_not_see_the_queue(self):
        self.client.force_login(self.editor)
        self.assertEqual(
            self.client.get(admin_url("resources_suggestion_changelist")).status_code, 403
        )


class ReferenceAdminFormTests(TestCase):
    def test_reference_admin_form_opens_without_warnings(self):
        self.client.force_login(User.objects.create_superuser("root", "r@example.org", "pw-1"))
        self.assertEqual(self.client.get(admin_url("resources_reference_add")).status_code, 200)

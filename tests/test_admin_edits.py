"""Moderators editing at the same time: no 'database is locked', no silent overwrite."""

import re
import threading

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase
from reversion.models import Version

from resources.models import Article

from .factories import admin_url, article_admin_form, make_article


def change_url(article):
    return admin_url("resources_article_change", article.pk)


class ConflictingEditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = User.objects.create_superuser("alice", "a@example.org", "pw-alice-123")
        cls.bob = User.objects.create_superuser("bob", "b@example.org", "pw-bob-123")

    def test_the_form_carries_the_version_it_was_opened_at(self):
        article = make_article()
        self.client.force_login(self.alice)
        html = self.client.get(change_url(article)).content.decode()
        self.assertRegex(html, r'name="loaded_version" value="1"')

    def test_a_save_bumps_the_version(self):
        article = make_article()
        self.client.force_login(self.alice)
        response = self.client.post(change_url(article), article_admin_form(article, title="New"))
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.title, "New")
        self.assertNotEqual(article.version, 1)

    def test_saving_over_a_newer_change_is_refused_with_a_clear_message(self):
        article = make_article(title="Original")
        opened_by_alice = article_admin_form(article, title="Alice's title")
        bob = Client()
        bob.force_login(self.bob)
        self.assertEqual(
            bob.post(
                change_url(article), article_admin_form(article, title="Bob's title")
            ).status_code,
            302,
        )
        self.client.force_login(self.alice)
        response = self.client.post(change_url(article), opened_by_alice)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Someone else saved this page after you opened it", response.content.decode())
        article.refresh_from_db()
        self.assertEqual(article.title, "Bob's title")


class ConcurrentSaveTests(TransactionTestCase):
    def test_simultaneous_admin_saves_all_succeed(self):
        User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")
        articles = [make_article(title=f"Concurrent {i}") for i in range(4)]
        failures, barrier = [], threading.Barrier(len(articles))

        def edit(article):
            client = Client()
            client.force_login(User.objects.get(username="mod"))
            barrier.wait()
            try:
                for round_ in range(5):
                    fresh = Article.objects.get(pk=article.pk)
                    response = client.post(
                        change_url(fresh), article_admin_form(fresh, body=f"Round {round_}.")
                    )
                    if response.status_code != 302:
                        failures.append((article.pk, response.status_code))
            except Exception as exc:  # collected and asserted below, with its message
                failures.append((article.pk, repr(exc)))
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=edit, args=(a,)) for a in articles]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(failures, [])
        for article in articles:
            article.refresh_from_db()
            self.assertEqual(article.body, "Round 4.")
            self.assertEqual(len(Version.objects.get_for_object(article)), 5)
        self.assertFalse(re.search("locked", str(failures)))

"""Safe defaults for a forum spike: headers, throttling, errors, health, caching, gzip."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

from django.test import TestCase, TransactionTestCase, override_settings

from resources.models import Article, Resource
from resources.serving import caching

from .factories import admin_url, make_article
from .search_helpers import backend, reset_index

Status = Resource.Status
ROOT = Path(__file__).resolve().parent.parent


class SecurityHeaderTests(TestCase):
    def test_strict_content_security_policy_without_inline_script(self):
        make_article(slug="csp-page")
        for url in ("/", "/articles/csp-page/", "/search/?q=x", "/api/v1/"):
            with self.subTest(url=url):
                policy = self.client.get(url)["Content-Security-Policy"]
                directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
                self.assertEqual(directives["script-src"], "'self'")
                self.assertEqual(directives["default-src"], "'self'")
                self.assertEqual(directives["frame-ancestors"], "'none'")
                self.assertNotIn("unsafe-inline", policy)

    def test_pages_carry_no_inline_script(self):
        import re

        make_article(slug="no-inline", body="Text [x](https://example.org).")
        html = self.client.get("/articles/no-inline/").content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            self.assertTrue("src=" in tag or 'type="application/ld+json"' in tag, tag)
        self.assertNotRegex(html, r"\son[a-z]+=")

    def test_frame_content_type_and_referrer_policies(self):
        response = self.client.get("/")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
    def test_hsts_only_behind_tls(self):
        self.assertIn(
            "max-age=31536000", self.client.get("/", secure=True)["Strict-Transport-Security"]
        )
        self.assertNotIn("Strict-Transport-Security", self.client.get("/"))

    def test_embed_card_may_be_framed_but_nothing_else(self):
        article = make_article(slug="framed")
        card = self.client.get(f"/embed/article/{article.slug}/")
        self.assertIn("frame-ancestors *", card["Content-Security-Policy"])
        self.assertNotIn("X-Frame-Options", card)

    def test_cookies_are_secure_and_http_only_in_production(self):
        from django.conf import settings

        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertTrue(settings.CSRF_COOKIE_HTTPONLY)

    def test_check_deploy_is_clean_with_production_settings(self):
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "k9#Lq2@vX7!pZ4$wR8^tY1&uN6*sM3(oB5)eC0-fG=hJ+iK_dA;zQ",
            "ALLOWED_HOSTS": "dmer.example.org",
            "SECURE_SSL_REDIRECT": "1",
            "SECURE_COOKIES": "1",
            "STATIC_MANIFEST": "1",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_html_and_json_are_gzipped(self):
        make_article(slug="zipped", body="Words. " * 300)
        for url in ("/articles/zipped/", "/api/v1/articles/zipped/"):
            response = self.client.get(url, headers={"Accept-Encoding": "gzip"})
            self.assertEqual(response["Content-Encoding"], "gzip")
            self.assertIn(b"zipped", gzip.decompress(response.content))


class LoginThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth.models import User

        User.objects.create_superuser("moderator", "m@example.org", "correct horse battery")

    def login(self, password):
        return self.client.post(
            admin_url("login") + "?next=" + admin_url("index"),
            {"username": "moderator", "password": password},
            REMOTE_ADDR="203.0.113.7",
        )

    def test_correct_password_before_the_limit_logs_in(self):
        for _ in range(3):
            self.login("wrong")
        self.assertRedirects(
            self.login("correct horse battery"), admin_url("index"), fetch_redirect_response=False
        )

    def test_guessing_locks_the_account_out(self):
        for _ in range(4):
            self.assertEqual(self.login("wrong").status_code, 200)
        self.assertEqual(self.login("wrong").status_code, 429)  # the fifth failure locks
        locked = self.login("correct horse battery")
        self.assertEqual(locked.status_code, 429)
        self.assertIn("Too many failed logins", locked.content.decode())
        self.assertNotIn("_auth_user_id", self.client.session)


class ErrorPageTests(TestCase):
    def test_404_keeps_the_search_box_and_crisis_line(self):
        response = self.client.get("/no/such/page/")
        self.assertEqual(response.status_code, 404)
        html = response.content.decode()
        self.assertIn('role="search"', html)
        self.assertIn("/help-now/", html)
        self.assertIn("could not find", html)

    @override_settings(ROOT_URLCONF="tests.urls_failing", DEBUG=False)
    def test_500_is_friendly_logged_and_never_shows_a_trace(self):
        self.client.raise_request_exception = False
        with self.assertLogs("django.request", "ERROR") as logs:
            response = self.client.get("/broken/")
        self.assertEqual(response.status_code, 500)
        html = response.content.decode()
        self.assertIn("Something went wrong", html)
        self.assertIn('role="search"', html)
        self.assertIn("988", html)
        self.assertNotIn("Traceback", html)
        self.assertNotIn("simulated failure", html)
        self.assertIn("/broken/", logs.output[0])


class HealthTests(TestCase):
    def test_healthy(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            (data["status"], data["database"]["status"], data["search"]["status"]),
            ("ok", "ok", "ok"),
        )
        self.assertIn("documents", data["search"])
        self.assertEqual(response["Cache-Control"][:8], "max-age=")

    def test_broken_search_index_is_reported(self):
        engine = backend()
        original = engine.searcher

        def broken():
            raise OSError("index folder gone")

        engine.searcher = broken
        try:
            with self.assertLogs("resources.serving.health", "ERROR"):
                response = self.client.get("/healthz")
        finally:
            engine.searcher = original
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["search"], {"status": "error", "error": "OSError"})


@override_settings(PAGE_CACHE_SECONDS=600)
class PageCacheTests(TransactionTestCase):
    """A cached page never outlives a moderator's change."""

    def setUp(self):
        reset_index()
        from django.core.cache import cache

        cache.clear()
        self.article = make_article(title="Cached", slug="cached", body="First version.")

    def get(self, url):
        return self.client.get(url)

    def test_second_reader_gets_the_cached_page(self):
        self.assertEqual(self.get("/articles/cached/")["X-Cache"], "MISS")
        self.assertEqual(self.get("/articles/cached/")["X-Cache"], "HIT")

    def test_edit_is_visible_at_once(self):
        self.get("/articles/cached/")
        self.get("/articles/")
        self.article.body = "Corrected version."
        self.article.save()
        page = self.get("/articles/cached/")
        self.assertIn("Corrected version.", page.content.decode())
        self.assertEqual(page["X-Cache"], "MISS")

    def test_publish_and_archive_are_visible_at_once(self):
        draft = make_article(title="Soon public", slug="soon", status=Status.DRAFT)
        self.assertNotIn("Soon public", self.get("/articles/").content.decode())
        draft.status = Status.PUBLISHED
        draft.save()
        self.assertIn("Soon public", self.get("/articles/").content.decode())
        self.assertEqual(self.get("/articles/soon/").status_code, 200)
        draft.status = Status.ARCHIVED
        draft.save()
        self.assertNotIn("Soon public", self.get("/articles/").content.decode())
        self.assertIn("This page has been archived", self.get("/articles/soon/").content.decode())

    def test_topic_change_is_visible_at_once(self):
        self.get("/articles/cached/")
        self.article.topics.add("Freshly added")
        self.assertIn("Freshly added", self.get("/articles/cached/").content.decode())

    def test_logged_in_moderators_never_get_cached_pages(self):
        from django.contrib.auth.models import User

        self.get("/articles/cached/")
        self.client.force_login(User.objects.create_user("m", password="pw-for-tests-only"))
        self.assertNotIn("X-Cache", self.get("/articles/cached/"))

    def test_bulk_update_needs_an_explicit_bump(self):
        self.get("/articles/")
        Article.objects.filter(pk=self.article.pk).update(title="Bulk renamed")
        self.assertNotIn("Bulk renamed", self.get("/articles/").content.decode())
        caching.bump_content_version()
        self.assertIn("Bulk renamed", self.get("/articles/").content.decode())

"""The outside security test's findings (issue 14), each as the request that showed it.

The ones that need nginx in front of gunicorn live in test_serve_prod.py; the payload
matrix in test_payloads.py; the fuzz test in test_fuzz.py.
"""

import json
import logging
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import feedparser
import markdown
import redis
import rispy
from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib.auth.models import User
from django.test import (
    RequestFactory,
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    override_settings,
)
from taggit.models import Tag

from resources.links import sharing
from resources.models import CrisisLine, Reference, Resource, Suggestion, SynonymGroup
from resources.pages import previews
from resources.pages.suggestions import over_limit
from resources.serving.addresses import ClientAddressFilter, client_ip

from .factories import make_article, make_reference
from .test_serve_prod import database_url

ROOT = Path(__file__).resolve().parent.parent

XSS = "<img src=x onerror=alert('s1')>"


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


class NoServerErrorTests(TestCase):
    """Finding 5: requests that reached int() or urlsplit() unguarded."""

    def test_unicode_digit_in_short_link_is_a_404(self):
        make_article(title="Two")
        response = self.client.get("/r/a%C2%B2")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Search", status_code=404)

    def test_five_thousand_digits_in_short_link_is_a_404(self):
        self.assertEqual(self.client.get("/r/a" + "9" * 5000).status_code, 404)

    def test_short_link_still_works(self):
        article = make_article(slug="still-here")
        response = self.client.get(f"/r/a{article.pk}")
        self.assertEqual(
            (response.status_code, response["Location"]), (301, "/articles/still-here/")
        )

    def test_broken_ipv6_urls_in_oembed_are_a_json_404(self):
        for url in ("http%3A%2F%2F%5B", "http%3A%2F%2F%5B%3A%3A1", "%5B%3A%3A1%5D%3Ax%5B"):
            with self.subTest(url=url):
                response = self.client.get(f"/oembed/?url={url}")
                self.assertEqual(response.status_code, 404)
                self.assertIn("error", response.json())

    def test_an_empty_to_field_in_the_admin_is_ignored(self):
        # Found by the fuzz test: Django's admin looked up a field named "" and failed.
        moderator = User.objects.create_superuser("tofield", "t@example.org", "pw-123-abc")
        self.client.force_login(moderator)
        for page in ("change", "delete"):
            with self.subTest(page=page):
                url = f"/admin/auth/user/{moderator.pk}/{page}/?_to_field="
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "tofield")


class FeedTests(TestCase):
    """Finding 2: a summary is text, so no feed reader can see it as markup."""

    @classmethod
    def setUpTestData(cls):
        make_article(title="Feed", summary=XSS)

    def test_rss_and_atom_summaries_carry_no_markup(self):
        for path in ("/feed/rss/", "/feed/atom/"):
            with self.subTest(path=path):
                feed = feedparser.parse(self.client.get(path).content, sanitize_html=False)
                (entry,) = feed.entries
                # What a reader renders: the summary as HTML. It holds no element at all,
                # and reads as the summary's own characters.
                self.assertEqual(Tags(entry.summary).tags, [])
                self.assertIn("onerror=alert", entry.summary)


class ExportTests(TestCase):
    """Finding 3: a field or record cannot be added from inside a value."""

    @classmethod
    def setUpTestData(cls):
        cls.reference = make_reference(
            key="inj2026",
            title="First line\r\nER  - \r\nTY  - JOUR\r\nTI  - Injected",
            url="https://example.org/}},note={INJECTED",
            ref_type=Reference.Type.WEBSITE,
        )

    def test_bibtex_url_cannot_add_a_field(self):
        library = bibtexparser.parse_string(
            self.client.get("/references/" + self.reference.slug + ".bib").content.decode()
        )
        self.assertEqual(library.failed_blocks, [])
        (entry,) = library.entries
        self.assertNotIn("note", entry.fields_dict)
        self.assertIn("INJECTED", entry["url"])  # kept, encoded, inside the url

    def test_ris_title_with_line_breaks_is_one_record(self):
        response = self.client.get("/references/" + self.reference.slug + ".ris")
        records = rispy.loads(response.content.decode())
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]["title"], "First line ER - TY - JOUR TI - Injected")

    def test_download_file_name_is_quoted_and_plain(self):
        response = self.client.get("/references/" + self.reference.slug + ".bib")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="inj2026.bib"')


class ShareTextTests(TestCase):
    """Finding 4: a title cannot turn the forum link into a javascript: link."""

    def test_markdown_share_text_keeps_one_link_to_the_page(self):
        article = make_article(title="](javascript:alert(1))")
        texts = dict(sharing.share_texts(article, "https://kb.example/articles/x/"))
        rendered = markdown.markdown(texts["Markdown"])
        links = [attrs["href"] for tag, attrs in Tags(rendered).tags if tag == "a"]
        self.assertEqual(links, ["https://kb.example/articles/x/"])

    def test_bbcode_share_text_has_one_url_tag(self):
        article = make_article(title="[url=javascript:alert(1)]click[/url]")
        texts = dict(sharing.share_texts(article, "https://kb.example/articles/x/"))
        bbcode = texts["BBCode (phpBB and similar forums)"]
        self.assertEqual(bbcode.count("[url="), 1)
        self.assertEqual(bbcode.count("[/url]"), 1)
        self.assertTrue(bbcode.startswith("[url=https://kb.example/articles/x/]"))


class ApiMethodTests(TestCase):
    """Finding 10: writes to the read-only API get a JSON 405, not an HTML 403."""

    def test_post_put_delete_are_json_405(self):
        self.client.handler.enforce_csrf_checks = True
        for method in ("post", "put", "delete", "patch"):
            with self.subTest(method=method):
                response = getattr(self.client, method)("/api/v1/articles/")
                self.assertEqual(response.status_code, 405)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertEqual(
                    json.loads(response.content)["error"]["code"], "method_not_allowed"
                )
                self.assertEqual(response["Allow"], "GET, HEAD, OPTIONS")


class SendOnceTests(TestCase):
    """Finding 9: a form sent twice stores once, and says so."""

    @classmethod
    def setUpTestData(cls):
        cls.moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")

    def add_form(self, path):
        self.client.force_login(self.moderator)
        html = self.client.get(path).content.decode()
        return HiddenValues(html).values

    def test_crisis_line_add_form_sent_twice_creates_one(self):
        form = self.add_form("/admin/resources/crisisline/add/")
        self.assertIn("form_token", form)
        data = {**form, "region": "UK", "name": "Samaritans", "kind": "crisis",
                "contact": "Call 116 123", "dial": "116123", "position": 1,
                "confidence": "confirmed"}  # fmt: skip
        first = self.client.post("/admin/resources/crisisline/add/", data)
        second = self.client.post("/admin/resources/crisisline/add/", data, follow=True)
        self.assertEqual(first.status_code, 302)
        self.assertEqual(CrisisLine.objects.filter(name="Samaritans").count(), 1)
        self.assertContains(second, "This form had already been sent, and was saved once")

    def test_synonym_group_add_form_sent_twice_creates_one(self):
        form = self.add_form("/admin/resources/synonymgroup/add/")
        data = {**form, "terms": "nipple\nteat", "note": ""}
        for _ in range(2):
            self.client.post("/admin/resources/synonymgroup/add/", data)
        self.assertEqual(SynonymGroup.objects.filter(terms="nipple\nteat").count(), 1)

    def test_a_form_with_errors_keeps_its_token_for_the_corrected_send(self):
        form = self.add_form("/admin/resources/synonymgroup/add/")
        refused = self.client.post("/admin/resources/synonymgroup/add/", {**form, "terms": ""})
        self.assertEqual(refused.status_code, 200)
        sent = self.client.post("/admin/resources/synonymgroup/add/", {**form, "terms": "a\nb"})
        self.assertEqual(sent.status_code, 302)
        self.assertEqual(SynonymGroup.objects.count(), 1)

    def test_an_add_form_without_a_token_is_refused_with_a_fresh_one(self):
        self.client.force_login(self.moderator)
        response = self.client.post("/admin/resources/synonymgroup/add/", {"terms": "a\nb"})
        self.assertContains(response, "This form was incomplete or too old.")
        self.assertEqual(SynonymGroup.objects.count(), 0)
        self.assertTrue(HiddenValues(response.content.decode()).values["form_token"])

    def test_every_add_form_carries_a_token(self):
        for model in ("article", "reference", "treatmentstrategy", "crisisline",
                      "synonymgroup", "slugredirect", "sitetext", "crisisterm"):  # fmt: skip
            with self.subTest(model=model):
                form = self.add_form(f"/admin/resources/{model}/add/")
                self.assertEqual(len(form.get("form_token", "")), 32)
        self.assertIn("form_token", self.add_form("/admin/resources/topic/add/"))

    def test_a_readers_double_click_stores_one_suggestion(self):
        form = HiddenValues(self.client.get("/suggest/").content.decode()).values
        data = {**form, "kind": "error", "message": "A typo.", "website": ""}
        first = self.client.post("/suggest/", data)
        second = self.client.post("/suggest/", data, follow=True)
        self.assertRedirects(first, "/suggest/thanks/")
        self.assertEqual(Suggestion.objects.count(), 1)
        self.assertContains(second, "The same message arrived twice")


class HiddenValues(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.values = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


class PreviewRevocationTests(TestCase):
    """Finding 10: a moderator ends a signed preview link before it expires."""

    def test_ending_links_stops_old_ones_and_new_ones_work(self):
        moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")
        draft = make_article(title="Unreviewed", status=Resource.Status.DRAFT, body="Draft.")
        old = previews.signed_url(draft)
        self.assertContains(self.client.get(old), "Draft.")
        self.client.force_login(moderator)
        self.client.post("/admin/resources/article/", {
            "action": "end_preview_links", "_selected_action": [draft.pk],
        })  # fmt: skip
        self.client.logout()
        ended = self.client.get(old)
        self.assertContains(ended, "This preview link has been ended", status_code=410)
        self.assertNotIn("Draft.", ended.content.decode())
        self.assertContains(self.client.get(previews.signed_url(draft)), "Draft.")


class TopicActionMessageTests(TestCase):
    """Finding 10: "N in use kept" counts the topics kept, not every topic selected."""

    def test_delete_unused_counts_what_it_kept(self):
        moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")
        make_article(topics=["Kept one"])
        Tag.objects.create(name="Unused one")
        Tag.objects.create(name="Unused two")
        self.client.force_login(moderator)
        selected = list(Tag.objects.values_list("pk", flat=True))
        response = self.client.post(
            "/admin/resources/topic/",
            {"action": "delete_unused", "_selected_action": selected},
            follow=True,
        )
        self.assertContains(response, "Deleted 2 unused topic(s); 1 in use kept.")
        self.assertEqual(list(Tag.objects.values_list("name", flat=True)), ["Kept one"])


@override_settings(PAGE_CACHE_SECONDS=600, PAGE_CACHE_DIR="")
class CrossProcessCacheTests(TransactionTestCase):
    """Finding 10: without Redis, a change made by another process (a command, the shell)
    reaches the running server's page cache at once."""

    def test_a_change_from_another_process_is_seen_at_once(self):
        article = make_article(title="Before", slug="cross-process", body="Old words.")
        self.assertContains(self.client.get("/articles/cross-process/"), "Old words.")
        self.assertEqual(self.client.get("/articles/cross-process/")["X-Cache"], "HIT")
        code = (
            f"from resources.models import Article; a = Article.objects.get(pk={article.pk}); "
            "a.body = 'New words.'; a.save()"
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, check=True, env={**os.environ, "DATABASE_URL": database_url()},
        )  # fmt: skip
        response = self.client.get("/articles/cross-process/")
        self.assertContains(response, "New words.")
        self.assertEqual(response["X-Cache"], "MISS")


class ClientAddressTests(SimpleTestCase):
    """Finding 1: the address comes from X-Forwarded-For only through a trusted proxy."""

    def address(self, remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **meta))

    @override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
    def test_a_trusted_proxy_names_the_client(self):
        self.assertEqual(self.address("127.0.0.1", "203.0.113.7"), "203.0.113.7")
        self.assertEqual(self.address("10.2.3.4", "203.0.113.7"), "203.0.113.7")
        # What the client wrote before the proxy's own entry is never believed.
        self.assertEqual(self.address("127.0.0.1", "198.51.100.1, 203.0.113.7"), "203.0.113.7")
        self.assertEqual(self.address("127.0.0.1", "garbage"), "127.0.0.1")
        self.assertEqual(self.address("127.0.0.1"), "127.0.0.1")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_anyone_else_cannot_choose_an_address(self):
        self.assertEqual(self.address("198.51.100.9", "203.0.113.7"), "198.51.100.9")
        self.assertEqual(self.address("127.0.0.2", "203.0.113.7"), "127.0.0.2")

    @override_settings(TRUSTED_PROXIES=[])
    def test_no_trusted_proxy_by_default(self):
        self.assertEqual(self.address("127.0.0.1", "203.0.113.7"), "127.0.0.1")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_axes_and_the_logs_use_the_same_address(self):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
        self.assertEqual(axes_helpers.get_client_ip_address(request), "203.0.113.7")
        record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Not Found", (), None)
        record.request = request
        ClientAddressFilter().filter(record)
        line = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(record)
        self.assertIn("[203.0.113.7]: Not Found", line)


REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/2"}}  # fmt: skip


class SharedLimitTests(SimpleTestCase):
    """Finding 1: the suggestion limit is counted in the shared cache, atomically."""

    def count_to_limit(self):
        from django.core.cache import cache

        cache.clear()
        request = RequestFactory().post("/suggest/", REMOTE_ADDR="198.51.100.20")
        return [over_limit(request) for _ in range(7)]

    @override_settings(CACHES=REDIS)
    def test_five_an_hour_in_redis(self):
        try:
            self.assertEqual(self.count_to_limit(), [False] * 5 + [True] * 2)
        except redis.exceptions.ConnectionError:
            self.skipTest("no Redis at 127.0.0.1:6379")

"""The outside security test's findings (issue 14), each as the request that showed it.

The ones that need nginx in front of gunicorn live in test_serve_prod.py; the payload
matrix in test_payloads.py; the fuzz test in test_fuzz.py.
"""

import json
from html.parser import HTMLParser

import bibtexparser
import feedparser
import markdown
import rispy
from django.test import TestCase

from resources import sharing
from resources.models import Reference

from .factories import make_article, make_reference

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

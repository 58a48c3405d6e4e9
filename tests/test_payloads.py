"""Every output channel escapes for its own syntax: hostile text in, parsed output checked.

Each payload goes into titles, summaries, aliases, topic names, reference fields and a
reader's suggestion; each channel's output is then read back with a parser for its format
(html.parser, json, feedparser, bibtexparser, rispy, Markdown, a BBCode tokenizer) and
checked two ways: the payload comes back as the same text, and it added no structure (no
element, attribute, field, record or link that a plain title would not have made).
"""

import html
import json
import re
import secrets
import unicodedata
from html.parser import HTMLParser

import bibtexparser
import feedparser
import markdown
import rispy
from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase
from django.utils.http import urlencode

from resources.content.escaping import one_line
from resources.links import sharing
from resources.models import Article, Reference, Suggestion
from resources.pages import previews

from .factories import make_article, make_reference
from .search_helpers import reset_index

PAYLOADS = [
    # HTML: script, event handlers, breaking out of attributes and elements
    "<script>alert('t1')</script>",
    "<img src=x onerror=alert('s1')>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    "</title><script>alert(2)</script>",
    "</textarea><script>alert(3)</script>",
    "<a href='javascript:alert(4)'>click</a>",
    "<body onload=alert(5)>",
    '<div style="background:url(javascript:alert(6))">x</div>',
    "<!--<script>alert(7)//-->",
    "<math><mi xlink:href=javascript:alert(8)>x</mi></math>",
    "&lt;script&gt;alert(9)&lt;/script&gt;",
    "<scr<script>ipt>alert(10)</script>",
    "{{ 7|add:7 }} {% debug %}",
    # URLs
    "javascript:alert(11)",
    "JaVaScRiPt:alert(12)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxMyk8L3NjcmlwdD4=",
    "vbscript:msgbox(14)",
    # Markdown link breakers
    "](javascript:alert(1))",
    "[click](javascript:alert(15))",
    "![x](data:image/svg+xml,<svg onload=alert(16)>)",
    "<javascript:alert(17)>",
    "`code` **bold** _it_ # heading",
    "[a]: javascript:alert(18)",
    # BBCode breakers
    "[/url][url=javascript:alert(19)]click",
    "[img]javascript:alert(20)[/img]",
    "[url=http://evil.example]x[/url]",
    "[quote][b]x[/b][/quote]",
    # BibTeX brace and field breakers
    "}},note={INJECTED",
    "{unbalanced",
    "unbalanced}",
    "\\input{/etc/passwd}",
    "a and b and others",
    "% comment # _ & $ ~ ^",
    "@misc{injected, title={x}}",
    # CR/LF and other line breaks, NUL, controls
    "First\r\nER  - \r\nTY  - JOUR",
    "line\nbreak",
    "carriage\rreturn",
    "unicode\u2028line\u2029paragraph\x85next",
    "nul\x00byte",
    "bell\x07escape\x1b[31m",
    # Unicode bidi and zero-width characters
    "\u202etxt.exe\u202c",
    "abc\u2066\u2067\u2068\u2069def",
    "zero\u200bwidth\u200c\u200djoiner\ufeff",
    "\u061c\u200e\u200fmarks",
    # Very long strings and odd scripts
    "A" * 5000,
    "<" * 300,
    "🙂" * 100,
    "ﷺ𝕏Ω≈ç√",
    "' OR '1'='1'; --",
    "../../../../etc/passwd",
    "%00%0d%0a%3Cscript%3E",
]
BIDI_AND_ZERO_WIDTH = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
PAGE_URL = "https://kb.example/articles/page/"


def storable(text, limit=None):
    """What the database can hold: PostgreSQL refuses NUL in text (the forms refuse it too)."""
    text = text.replace("\x00", "") if connection.vendor == "postgresql" else text
    return text[:limit] if limit else text


class Page(HTMLParser):
    """A page's elements in order (with their attributes), and the text inside them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.texts, self.jsonld, self._open = [], {}, [], []
        self.feed(html)

    @property
    def tags(self):
        return [(tag, tuple(sorted(attrs))) for tag, attrs in self.elements]

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        if not self._open:
            return
        tag, attrs = self._open[-1]
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self.jsonld.append(data)
        self.texts.setdefault(tag, []).append(data)


def structure(html):
    return Page(html).tags


class PayloadTests(TestCase):
    maxDiff = 2000

    @classmethod
    def setUpTestData(cls):
        cls.moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")

    def setUp(self):
        reset_index()  # no "related pages" left by other tests: twins look alike

    def make_pair(self, payload, n):
        """A page about the payload and a twin with plain words, identical otherwise."""
        return [
            make_article(
                title=storable(text, 200),
                summary=storable(text, 250),
                slug=f"{tag}-article",
                aliases=storable(text),
                topics=[f"Topic {tag} " + storable(text, 40).replace(",", " ")],
            )
            for text, tag in ((payload, f"p{n}"), ("Plain words", f"b{n}"))
        ]

    # --- HTML ---

    def assert_no_active_content(self, html):
        page = Page(html)
        for tag, attrs in page.elements:
            for name, value in attrs.items():
                self.assertFalse(name.startswith("on"), f"<{tag} {name}=…>")
                if name in URL_ATTRIBUTES and value:
                    plain = re.sub(r"[\x00-\x20]", "", value).lower()
                    self.assertFalse(
                        plain.startswith(("javascript:", "data:", "vbscript:")),
                        f"<{tag} {name}={value}>",
                    )
            self.assertNotIn(tag, {"iframe", "object", "embed", "math", "base", "frame"})
            if tag == "script":  # ours only: JSON-LD, or a file from this site
                src = attrs.get("src", "")
                same_origin = src.startswith("/") and not src.startswith("//")
                self.assertTrue(attrs.get("type") == "application/ld+json" or same_origin, attrs)

    def assert_same_page(self, payload_path, plain_path):
        payload_html = self.client.get(payload_path).content.decode()
        plain_html = self.client.get(plain_path).content.decode()
        self.assert_no_active_content(payload_html)
        self.assertEqual(structure(payload_html), structure(plain_html), payload_path)
        return payload_html

    def test_html_pages_show_the_payload_as_text(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                hostile, plain = self.make_pair(payload, n)
                html = self.assert_same_page(hostile.get_absolute_url(), plain.get_absolute_url())
                page = Page(html)
                heading = "".join(page.texts["h1"]).strip()
                self.assertEqual(heading, storable(payload, 200).strip())
                self.assert_same_page(
                    f"/embed/article/{hostile.slug}/", f"/embed/article/{plain.slug}/"
                )
                topic = hostile.topics.get()
                twin = plain.topics.get()
                self.assert_same_page(f"/topics/{topic.slug}/", f"/topics/{twin.slug}/")
                purge(hostile, plain)

    def test_lists_and_admin_escape_every_payload(self):
        for n, payload in enumerate(PAYLOADS):
            make_article(
                title=storable(payload, 200), summary=storable(payload, 250), topics=[f"T{n}"]
            )
        for path in ("/articles/", "/topics/", "/feed/rss/", "/admin/resources/article/"):
            with self.subTest(path=path):
                self.client.force_login(self.moderator) if "admin" in path else self.client.logout()
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                if "feed" not in path:
                    self.assert_no_active_content(response.content.decode())

    # --- JSON-LD, the API, oEmbed ---

    def test_json_channels_return_the_payload_exactly(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                hostile, _ = self.make_pair(payload, n)
                title = storable(payload, 200)
                page = Page(self.client.get(hostile.get_absolute_url()).content.decode())
                (script,) = page.jsonld
                self.assertNotIn("</script", script.lower())
                graph = json.loads(script)["@graph"]
                self.assertEqual(graph[0]["name"], title)
                self.assertEqual(graph[0]["description"], storable(payload, 250))
                api = self.client.get(f"/api/v1/articles/{hostile.slug}/").json()
                self.assertEqual((api["title"], api["summary"]), (title, storable(payload, 250)))
                url = "http://testserver" + hostile.get_absolute_url()
                oembed = self.client.get("/oembed/?" + urlencode({"url": url})).json()
                self.assertEqual(oembed["title"], title)
                ((tag, iframe),) = Page(oembed["html"]).elements
                self.assertEqual((tag, iframe["title"]), ("iframe", title))
                self.assertEqual(iframe["src"], f"http://testserver/embed/article/{hostile.slug}/")
                hostile.topics.clear()
                purge(*Article.objects.filter(slug__endswith=f"{n}-article"))

    # --- Feeds ---

    def test_feeds_carry_titles_and_summaries_as_text(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                hostile, _ = self.make_pair(payload, n)
                topic = hostile.topics.get()
                for path in ("/feed/rss/", "/feed/atom/", f"/topics/{topic.slug}/feed/atom/"):
                    raw = self.client.get(path).content
                    feed = feedparser.parse(raw, sanitize_html=False)
                    self.assertFalse(feed.bozo, (path, feed.get("bozo_exception")))
                    entry = next(
                        e for e in feed.entries if e.link.endswith(hostile.get_absolute_url())
                    )
                    # The summary is HTML to a reader: it holds no element at all. The
                    # title is text (RSS and Atom alike), the page's title on one line;
                    # a reader that guesses it is HTML finds no element in it either.
                    self.assertEqual(entry.summary_detail.type, "text/html")
                    self.assertEqual(Page(entry.summary).tags, [], path)
                    title = one_line(f"{hostile.title} (article)")
                    if "atom" in path:  # type="text": the title exactly
                        self.assertEqual(entry.title_detail.type, "text/plain")
                        self.assertEqual(entry.title, title)
                    else:  # text to some readers, HTML to others: no element either way,
                        # and the same words (a title that is itself entities aside)
                        self.assertEqual(Page(entry.title).tags, [], path)
                        self.assertIn(html.unescape(entry.title), {title, html.unescape(title)})
                purge(*Article.objects.filter(slug__endswith=f"{n}-article"))

    # --- Exports: BibTeX, RIS, file names ---

    def make_reference(self, payload, n):
        text = storable(payload)
        return make_reference(
            key=f"key{n}", slug=f"ref-{n}", title=text[:200], ref_type=Reference.Type.WEBSITE,
            authors=f"{text[:80]}\nHeise AM", container_title=text[:200], publisher=text[:200],
            url="https://example.org/" + text[:150], volume=text[:20], pages=text[:30],
        )  # fmt: skip

    def test_bibtex_keeps_one_entry_with_its_own_fields(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                reference = self.make_reference(payload, n)
                response = self.client.get(f"/references/{reference.slug}.bib")
                library = bibtexparser.parse_string(response.content.decode())
                self.assertEqual(library.failed_blocks, [])
                (entry,) = library.entries
                self.assertEqual(entry.key, f"key{n}")
                self.assertLessEqual(
                    set(entry.fields_dict),
                    {
                        "author",
                        "title",
                        "howpublished",
                        "publisher",
                        "year",
                        "volume",
                        "pages",
                        "url",
                    },
                )
                for field in entry.fields:
                    self.assertEqual(field.value.count("{"), field.value.count("}"), field.key)
                    self.assertNotIn("\n", field.value)
                    self.assertIsNone(BIDI_AND_ZERO_WIDTH.search(field.value))
                self.assertEqual(
                    response["Content-Disposition"], f'attachment; filename="key{n}.bib"'
                )
                purge(reference)

    def test_ris_keeps_one_record_with_the_payload_on_one_line(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                reference = self.make_reference(payload, n)
                text = self.client.get(f"/references/{reference.slug}.ris").content.decode()
                (record,) = rispy.loads(text)
                expected = one_line(storable(payload, 200))
                self.assertEqual(record.get("title", ""), expected)
                self.assertEqual(record["publisher"], one_line(storable(payload, 200)))
                self.assertEqual(len(re.findall(r"^TY  - ", text, re.M)), 1)
                self.assertEqual(len(re.findall(r"^ER  -", text, re.M)), 1)
                purge(reference)

    def test_file_names_are_plain_whatever_the_key(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                reference = make_reference(key=f"k{n}", slug=f"r-{n}")
                Reference.objects.filter(pk=reference.pk).update(key=storable(payload, 60))
                response = self.client.get(f"/references/r-{n}.ris")
                disposition = response["Content-Disposition"]
                self.assertRegex(disposition, r'^attachment; filename="[A-Za-z0-9._-]+\.ris"$')
                purge(reference)

    # --- Share texts: Markdown and BBCode ---

    def test_share_texts_make_exactly_one_link_to_the_page(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                article = Article(title=storable(payload, 200), slug=f"s{n}")
                texts = dict(sharing.share_texts(article, PAGE_URL))
                rendered = markdown.markdown(texts["Markdown"])
                links = [attrs for tag, attrs in Page(rendered).elements if tag == "a"]
                self.assertEqual([a["href"] for a in links], [PAGE_URL])
                self.assertEqual(
                    [tag for tag, _ in Page(rendered).tags], ["p", "a"], texts["Markdown"][:80]
                )
                bbcode = texts["BBCode (phpBB and similar forums)"]
                self.assertEqual(re.findall(r"\[/?[a-z*]+[=\]]", bbcode), ["[url=", "[/url]"])
                self.assertTrue(bbcode.startswith(f"[url={PAGE_URL}]"))
                for text in texts.values():
                    self.assertNotIn("\n", text)
                    self.assertIsNone(BIDI_AND_ZERO_WIDTH.search(text))
                    self.assertFalse(any(unicodedata.category(ch) == "Cc" for ch in text))

    # --- A reader's suggestion, all the way to a draft ---

    def test_reader_suggestions_stay_text_for_moderators(self):
        for n, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload[:60]):
                form = {
                    "kind": "error", "page": payload[:300], "message": payload,
                    "source_url": "", "email": "", "website": "",
                    "form_token": secrets.token_urlsafe(16),
                }  # fmt: skip
                response = self.client.post("/suggest/", form, REMOTE_ADDR=f"10.1.{n}.1")
                if "\x00" in payload:  # refused with a clear message, the text kept
                    self.assertContains(response, "Null characters are not allowed")
                else:
                    self.assertEqual(response.status_code, 302)
        suggestions = list(Suggestion.objects.order_by("pk"))
        self.assertEqual(len(suggestions), len(PAYLOADS) - 1)
        self.client.force_login(self.moderator)
        self.assert_no_active_content(
            self.client.get("/admin/resources/suggestion/").content.decode()
        )
        self.client.post("/admin/resources/suggestion/", {
            "action": "make_draft", "_selected_action": [s.pk for s in suggestions],
        })  # fmt: skip
        drafts = Article.objects.filter(slug__startswith="suggestion-")
        self.assertEqual(drafts.count(), len(suggestions))
        self.assert_no_active_content(self.client.get("/admin/resources/article/").content.decode())
        for suggestion, draft in zip(suggestions, drafts.order_by("pk"), strict=True):
            with self.subTest(message=suggestion.message[:60]):
                path = f"/admin/resources/suggestion/{suggestion.pk}/change/"
                self.assert_no_active_content(self.client.get(path).content.decode())
                preview = self.client.get(previews.signed_url(draft))
                self.assertEqual(preview.status_code, 200)
                self.assert_no_active_content(preview.content.decode())


def purge(*objects):
    """Test clean-up between examples. A page that was public is never deleted (the model
    refuses); the examples' pages are wiped from the record first, with update()."""
    for obj in objects:
        rows = type(obj)._base_manager.filter(pk=obj.pk)
        rows.update(status="draft", first_published_at=None)
        rows.delete()

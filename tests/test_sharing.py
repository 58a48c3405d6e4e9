"""What a forum volunteer's link turns into: previews, short links, feeds, sitemap, JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from resources.models import Article, Reference, Resource

from .factories import make_article, make_reference

Status = Resource.Status


class Head(HTMLParser):
    """Collects <title>, <meta>, <link> and JSON-LD from a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.jsonld, self.title = {}, {}, [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links[(attrs.get("rel"), attrs.get("type"))] = attrs.get("href")
        elif tag in ("title", "script"):
            self._in = tag if tag == "title" or attrs.get("type") == "application/ld+json" else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.jsonld.append(json.loads(data))


def head_of(client, url):
    parser = Head()
    parser.feed(client.get(url).content.decode())
    return parser


class SeededTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)
        cls.article = Article.objects.get(slug="what-is-d-mer")
        cls.reference = Reference.objects.get(key="heise2011")


class PreviewTagTests(SeededTestCase):
    def test_every_resource_page_has_full_preview_tags(self):
        head = head_of(self.client, self.article.get_absolute_url())
        url = "http://testserver" + self.article.get_absolute_url()
        self.assertEqual(head.title.strip(), "What is D-MER? · D-MER Knowledge Base")
        self.assertEqual(head.meta["description"], self.article.summary)
        self.assertEqual(head.links[("canonical", None)], url)
        self.assertEqual(head.meta["og:title"], self.article.title)
        self.assertEqual(head.meta["og:description"], self.article.summary)
        self.assertEqual(head.meta["og:url"], url)
        self.assertEqual(head.meta["og:type"], "article")
        self.assertEqual(head.meta["og:site_name"], "D-MER Knowledge Base")
        self.assertEqual(head.meta["og:image"], "http://testserver/static/img/share.png")
        self.assertEqual(
            (head.meta["og:image:width"], head.meta["og:image:height"]), ("1200", "630")
        )
        self.assertEqual(head.meta["og:image:type"], "image/png")
        self.assertEqual(head.meta["twitter:card"], "summary_large_image")
        self.assertIn("/oembed/?url=", head.links[("alternate", "application/json+oembed")])
        self.assertEqual(head.links[("shortlink", None)], f"http://testserver/r/a{self.article.pk}")

    def test_other_pages_are_websites_with_their_own_canonical(self):
        for url in ("/", "/about/", "/for-forums/", "/topics/coping/"):
            with self.subTest(url=url):
                head = head_of(self.client, url)
                self.assertEqual(head.meta["og:type"], "website")
                self.assertEqual(head.links[("canonical", None)], "http://testserver" + url)
                self.assertTrue(head.meta["description"])

    def test_share_image_is_served(self):
        from django.contrib.staticfiles import finders

        path = finders.find("img/share.png")
        with open(path, "rb") as handle:
            header = handle.read(24)
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(int.from_bytes(header[16:20], "big"), 1200)
        self.assertEqual(int.from_bytes(header[20:24], "big"), 630)


class ShareBoxTests(SeededTestCase):
    def test_share_box_offers_markdown_bbcode_and_citation(self):
        html = self.client.get(self.reference.get_absolute_url()).content.decode()
        url = "http://testserver" + self.reference.get_absolute_url()
        title = self.reference.title
        self.assertIn(f'value="[{title}]({url})"', html)
        self.assertIn(f'value="[url={url}]{title}[/url]"', html)
        self.assertIn(f'value="{self.reference.citation()}"', html)

    def test_headings_have_stable_anchors_and_section_links(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn(
            '<h2 id="how-it-feels">How it feels<a class="headerlink" '
            'href="#how-it-feels" title="Link to this section">#</a></h2>',
            html,
        )


class ShortLinkTests(TestCase):
    def test_short_link_survives_a_rename(self):
        article = make_article(title="Old", slug="old-slug")
        short = article.get_short_url()
        self.assertRedirects(self.client.get(short), "/articles/old-slug/", status_code=301)
        article.title, article.slug = "New", "new-slug"
        article.save()
        self.assertRedirects(self.client.get(short), "/articles/new-slug/", status_code=301)

    def test_short_links_of_hidden_or_unknown_items_are_not_found(self):
        draft = make_article(status=Status.DRAFT)
        for url in (draft.get_short_url(), "/r/a999999", "/r/zz", "/r/a", "/r/x1"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_each_kind_has_its_own_prefix(self):
        reference = make_reference()
        self.assertRedirects(
            self.client.get(f"/r/r{reference.pk}"), reference.get_absolute_url(), status_code=301
        )


class OEmbedTests(SeededTestCase):
    def oembed(self, **params):
        return self.client.get(reverse("resources:oembed"), params)

    def test_rich_card_for_a_page(self):
        url = "http://testserver" + self.article.get_absolute_url()
        data = self.oembed(url=url, maxwidth=400).json()
        self.assertEqual(data["version"], "1.0")
        self.assertEqual(data["type"], "rich")
        self.assertEqual(data["title"], self.article.title)
        self.assertEqual(data["provider_name"], "D-MER Knowledge Base")
        self.assertEqual(data["width"], 400)
        self.assertIsInstance(data["height"], int)
        src = re.search(r'<iframe src="([^"]+)"', data["html"]).group(1)
        card = self.client.get(src.replace("http://testserver", ""))
        self.assertEqual(card.status_code, 200)
        self.assertNotIn("X-Frame-Options", card.headers)
        body = card.content.decode()
        self.assertIn(self.article.summary, body)
        self.assertIn("Read more", body)

    def test_link_type_on_request(self):
        url = "http://testserver" + self.article.get_absolute_url()
        data = self.oembed(url=url, type="link").json()
        self.assertEqual(data["type"], "link")
        self.assertNotIn("html", data)

    def test_errors_are_clear(self):
        def answer(**params):
            response = self.oembed(**params)
            return response.status_code, response.json()["error"]

        missing = (404, "No published page at that URL.")
        self.assertEqual(answer(), (400, "The url parameter is required."))
        self.assertEqual(answer(url="http://testserver/about/"), missing)
        self.assertEqual(answer(url="http://testserver/articles/nope/"), missing)
        url = "http://testserver" + self.article.get_absolute_url()
        self.assertEqual(answer(url=url, format="xml"), (501, "Only format=json is supported."))
        self.article.status = Status.DRAFT
        self.article.save()
        self.assertEqual(answer(url=url), missing)


class StructuredDataTests(SeededTestCase):
    def graph(self, url):
        (data,) = head_of(self.client, url).jsonld
        self.assertEqual(data["@context"], "https://schema.org")
        return {item["@type"]: item for item in data["@graph"]}

    def test_article_is_a_medical_web_page_with_breadcrumbs(self):
        graph = self.graph(self.article.get_absolute_url())
        page = graph["MedicalWebPage"]
        self.assertEqual(page["name"], self.article.title)
        self.assertEqual(page["url"], "http://testserver" + self.article.get_absolute_url())
        self.assertEqual(page["lastReviewed"], "2026-11-26")
        trail = graph["BreadcrumbList"]["itemListElement"]
        self.assertEqual([i["position"] for i in trail], [1, 2, 3])
        self.assertEqual(trail[-1]["name"], self.article.title)

    def test_reference_is_a_scholarly_article_and_a_book_is_a_book(self):
        graph = self.graph(self.reference.get_absolute_url())
        article = graph["ScholarlyArticle"]
        self.assertEqual(article["identifier"]["value"], "10.1186/1746-4358-6-6")
        self.assertEqual([a["name"] for a in article["author"]], ["Heise AM", "Wiessinger D"])
        book = Reference.objects.get(key="heise2017")
        self.assertEqual(self.graph(book.get_absolute_url())["Book"]["isbn"], "9781370081585")

    def test_json_ld_cannot_break_out_of_its_script(self):
        make_article(title="</script><script>alert(1)</script>", slug="evil")
        html = self.client.get("/articles/evil/").content.decode()
        self.assertNotIn("</script><script>alert(1)", html)
        graph = self.graph("/articles/evil/")
        self.assertEqual(graph["MedicalWebPage"]["name"], "</script><script>alert(1)</script>")


class FeedTests(SeededTestCase):
    def parse(self, url):
        response = self.client.get(url)
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        return feed

    def test_site_feeds_in_rss_and_atom(self):
        draft = make_article(title="Unpublished draft", status=Status.DRAFT)
        for url, version in (("/feed/rss/", "rss20"), ("/feed/atom/", "atom10")):
            with self.subTest(url=url):
                feed = self.parse(url)
                self.assertEqual(feed.version, version)
                titles = [entry.title for entry in feed.entries]
                self.assertEqual(len(titles), 30)
                self.assertNotIn(f"{draft.title} (article)", titles)
                entry = feed.entries[0]
                self.assertTrue(entry.link.startswith("http://testserver/"))
                self.assertTrue(entry.summary)

    def test_topic_feed_lists_only_that_topic(self):
        feed = self.parse("/topics/postcoital-dysphoria/feed/atom/")
        titles = {entry.title for entry in feed.entries}
        self.assertIn("Postcoital dysphoria: low feelings after sex (article)", titles)
        self.assertNotIn("What is D-MER? (article)", titles)
        self.assertEqual(self.client.get("/topics/no-such-topic/feed/rss/").status_code, 404)

    def test_head_advertises_the_feeds(self):
        head = head_of(self.client, "/")
        self.assertEqual(head.links[("alternate", "application/rss+xml")], "/feed/rss/")
        self.assertEqual(head.links[("alternate", "application/atom+xml")], "/feed/atom/")


class SitemapTests(SeededTestCase):
    def test_sitemap_lists_published_pages_with_review_dates(self):
        draft = make_article(title="Draft", slug="draft-in-sitemap", status=Status.DRAFT)
        response = self.client.get("/sitemap.xml")
        root = ET.fromstring(response.content)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        entries = {
            u.find("s:loc", ns).text: u.find("s:lastmod", ns) for u in root.findall("s:url", ns)
        }
        article_url = "http://testserver" + self.article.get_absolute_url()
        self.assertEqual(entries[article_url].text, "2026-11-26")
        self.assertIn("http://testserver/about/", entries)
        self.assertIn("http://testserver/topics/coping/", entries)
        self.assertNotIn("http://testserver" + draft.get_absolute_url(), entries)
        # Every published reference, and the reference list itself.
        published = Reference.objects.published().count()
        self.assertGreaterEqual(published, 44)
        self.assertEqual(len([u for u in entries if "/references/" in u]), published + 1)

    def test_robots_txt_points_to_the_sitemap(self):
        body = self.client.get("/robots.txt").content.decode()
        self.assertIn("Sitemap: http://testserver/sitemap.xml", body)
        self.assertIn("Disallow: /admin/", body)

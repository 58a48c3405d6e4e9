"""What a reader gets from the search page, against a real index on every engine."""

import json
import re

from django.test import TestCase
from django.urls import reverse

from resources.models import Reference, Resource, SynonymGroup, TreatmentStrategy

from .factories import make_article, make_crisis_line, make_reference, make_strategy
from .search_helpers import EngineMixin, on_every_engine, reset_index, sync

Status = Resource.Status
SEARCH = reverse("search:search")


def titles(response):
    html = response.content.decode()
    return [
        re.sub(r"</?mark>", "", t)
        for t in re.findall(r'class="resource-title" href="[^"]*">(.*?)</a>', html)
    ]


class SearchTestCase(EngineMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_index()
        cls.make_content()
        sync()

    @classmethod
    def make_content(cls):
        raise NotImplementedError

    def search(self, **params):
        return self.client.get(SEARCH, {"exact": "0", **params})


@on_every_engine
class ReaderFeatureTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        cls.treatment = make_article(
            title="Treatment overview",
            body="Each treatment is described with its evidence.",
            topics=["Treatment"],
        )
        cls.portland = make_article(
            title="A conference",
            body="Held in Portland, where port wine was served.",
        )
        cls.naltrexone = make_strategy(
            title="Low-dose naltrexone",
            description="Naltrexone at a low dose.",
            evidence_level=TreatmentStrategy.Evidence.ANECDOTE,
            topics=["Pumping, work"],
        )
        cls.dopamine = make_article(
            title="The dopamine hypothesis",
            body="Dopamine may fall at letdown.",
            topics=["Causes"],
            aliases="dopamine theory",
        )
        cls.review = make_reference(
            title="Review of milk ejection",
            peer_reviewed=True,
            topics=["Causes"],
            supports="Milk ejection, mood and the dopamine hypothesis.",
        )
        cls.draft = make_article(title="Secret draft dopamine", status=Status.DRAFT)
        cls.escaped = make_article(title="Tom & Jerry <b>bold</b>", body="Cats & mice.")
        make_crisis_line()

    def test_stems_match(self):
        self.assertIn("Treatment overview", titles(self.search(q="treatments")))

    def test_highlights_whole_words_only(self):
        html = self.search(q="port").content.decode()
        self.assertIn("<mark>port</mark> wine", html)
        self.assertNotIn("<mark>Port</mark>land", html)
        self.assertNotIn("<mark>port</mark>land", html.lower())

    def test_title_and_text_are_highlighted(self):
        html = self.search(q="dopamine").content.decode()
        self.assertIn("The <mark>dopamine</mark> hypothesis", html)
        self.assertIn("<mark>Dopamine</mark> may fall", html)

    def test_highlighted_text_is_escaped(self):
        html = self.search(q="jerry").content.decode()
        self.assertIn("Tom &amp; <mark>Jerry</mark> &lt;b&gt;bold&lt;/b&gt;", html)
        self.assertNotIn("<b>bold</b>", html)

    def test_drafts_are_never_found(self):
        self.assertNotIn("Secret draft dopamine", titles(self.search(q="secret draft")))
        self.assertNotIn("Secret draft dopamine", titles(self.search(q="dopamine")))

    def test_kind_filter_and_counts(self):
        html = self.search(q="milk OR dopamine OR naltrexone").content.decode()
        self.assertRegex(html, r"Articles <span class=\"count\">\(\d+\)</span>")
        response = self.search(q="dopamine", kind="treatmentstrategy")
        self.assertEqual(titles(response), [])
        response = self.search(q="dopamine", kind="reference")
        self.assertEqual(titles(response), ["Review of milk ejection"])
        response = self.search(q="naltrexone", kind="treatmentstrategy")
        self.assertEqual(titles(response), ["Low-dose naltrexone"])

    def test_topic_facet_keeps_commas_and_capitals(self):
        html = self.search(q="naltrexone").content.decode()
        self.assertIn('Pumping, work <span class="count">(1)</span>', html)
        response = self.search(q="naltrexone", topic="pumping-work")
        self.assertEqual(titles(response), ["Low-dose naltrexone"])
        self.assertEqual(titles(self.search(q="dopamine", topic="pumping-work")), [])

    def test_topic_filter_alone_lists_its_resources(self):
        found = titles(self.search(topic="causes"))
        self.assertCountEqual(found, ["The dopamine hypothesis", "Review of milk ejection"])

    def test_evidence_and_peer_review_filters(self):
        self.assertEqual(
            titles(self.search(q="naltrexone", evidence="anecdote")), ["Low-dose naltrexone"]
        )
        self.assertEqual(titles(self.search(q="naltrexone", evidence="trials")), [])
        self.assertEqual(
            titles(self.search(q="milk ejection", peer_review="yes")), ["Review of milk ejection"]
        )

    def test_did_you_mean_on_zero_hits(self):
        # As typed (the corrected results are tested in test_search_readers.py).
        response = self.search(q="dopamne", as_typed="1")
        html = response.content.decode()
        self.assertIn("Did you mean", html)
        self.assertIn("?q=dopamine", html)

    def test_zero_result_page_offers_topics_and_crisis_line(self):
        html = self.search(q="zzzqqq").content.decode()
        self.assertIn("Nothing was found", html)
        self.assertIn("Popular topics", html)
        self.assertIn('href="tel:988"', html)

    def test_no_suggestion_for_words_the_index_knows(self):
        self.assertNotIn("Did you mean", self.search(q="dopamine").content.decode())
        self.assertNotIn("Did you mean", self.search(q="treatments").content.decode())

    def test_exact_title_or_alias_goes_straight_to_the_page(self):
        for text in ("The dopamine hypothesis", "the DOPAMINE hypothesis", "dopamine theory"):
            response = self.client.get(SEARCH, {"q": text})
            self.assertRedirects(response, self.dopamine.get_absolute_url())
        response = self.client.get(SEARCH, {"q": "Secret draft dopamine"})
        self.assertEqual(response.status_code, 200)

    def test_autocomplete_suggests_titles_and_topics(self):
        data = self.client.get(reverse("search:suggest"), {"q": "dopa"}).json()
        self.assertEqual([t["title"] for t in data["titles"]], ["The dopamine hypothesis"])
        data = self.client.get(reverse("search:suggest"), {"q": "caus"}).json()
        self.assertEqual(data["topics"][0]["name"], "Causes")
        data = self.client.get(reverse("search:suggest"), {"q": "secret"}).json()
        self.assertEqual(data["titles"], [])

    def test_opensearch_description(self):
        response = self.client.get(reverse("search:opensearch"))
        self.assertEqual(response["Content-Type"], "application/opensearchdescription+xml")
        self.assertIn(
            'template="http://testserver/search/?q={searchTerms}"', response.content.decode()
        )
        head = self.client.get("/").content.decode()
        self.assertIn('rel="search" type="application/opensearchdescription+xml"', head)
        completions = self.client.get(
            reverse("search:suggest"), {"q": "dopa", "format": "opensearch"}
        ).json()
        self.assertEqual(completions, ["dopa", ["The dopamine hypothesis"]])

    def test_resource_page_lists_related_pages(self):
        html = self.client.get(self.review.get_absolute_url()).content.decode()
        self.assertIn("Related pages", html)
        self.assertIn("The dopamine hypothesis", html)


@on_every_engine
class SynonymTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        make_strategy(title="Naltrexone at low doses", description="Low-dose naltrexone.")
        make_article(title="Postpartum depression", body="Postpartum depression differs.")
        make_article(title="Letdown", body="The milk ejection reflex.")
        SynonymGroup.objects.create(terms="LDN\nlow-dose naltrexone")
        SynonymGroup.objects.create(terms="PPD\npostpartum depression")

    def test_abbreviations_find_what_experts_write(self):
        self.assertEqual(titles(self.search(q="LDN")), ["Naltrexone at low doses"])
        self.assertEqual(titles(self.search(q="ppd")), ["Postpartum depression"])

    def test_moderator_adds_a_group_without_a_deploy(self):
        self.assertEqual(titles(self.search(q="let-down")), [])
        SynonymGroup.objects.create(terms="let-down\nmilk ejection")
        self.assertEqual(titles(self.search(q="let-down")), ["Letdown"])


@on_every_engine
class RankingTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        text = "Mothers describe dysphoria at letdown in this paper."
        make_article(title="Something else", body="A passing mention of naltrexone here, " * 3)
        make_strategy(title="Naltrexone", description="About it.")
        make_reference(
            title="Old case", supports=text, year=2011, design=Reference.Design.CASE_REPORT
        )
        make_reference(title="New review", supports=text, year=2024, design=Reference.Design.REVIEW)

    def test_title_match_beats_a_passing_mention(self):
        self.assertEqual(titles(self.search(q="naltrexone"))[0], "Naltrexone")

    def test_recent_review_beats_old_case_report_when_both_match_equally(self):
        self.assertEqual(titles(self.search(q="dysphoria letdown")), ["New review", "Old case"])


@on_every_engine
class BadInputTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        make_article(title="Dopamine", body="Dopamine text.", topics=["Causes"])

    BAD_QUERIES = [
        '"unbalanced',
        "'",
        "(",
        ")",
        "-",
        "AND OR",
        "AND",
        "NOT",
        "*",
        "?",
        "title:",
        "text:foo",
        "content:(a OR",
        "a~2",
        "foo^3",
        "[a TO b]",
        "{a TO}",
        "\\",
        "/",
        "x" * 10_000,
        "dopamine\x00nul",
        "\x01\x02\x1b[31m",
        "💜🤱 dopamine",
        "الإرضاع الطبيعي",
        "\u202edopamine",
        "<script>alert(1)</script>",
        "%00",
        "' OR 1=1 --",
        "*:*",
        "django_ct:resources.article",
        "   ",
    ]

    def test_any_query_string_gets_a_normal_page(self):
        for q in self.BAD_QUERIES:
            with self.subTest(q=q[:40]):
                response = self.search(q=q)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertNotIn("<script>alert", html)
                self.assertNotIn("Traceback", html)
                self.assertEqual(len(re.findall(r"<h1[\s>]", html)), 1)

    def test_any_page_number_or_filter_value(self):
        for params in [
            {"q": "dopamine", "page": "-1"},
            {"q": "dopamine", "page": "99999"},
            {"q": "dopamine", "page": "abc"},
            {"q": "dopamine", "page": "1e9"},
            {"q": "dopamine", "topic": "<script>"},
            {"q": "dopamine", "kind": "<script>"},
            {"q": "dopamine", "evidence": "x" * 5000},
            {"topic": "causes", "page": "0"},
            {"q": "dopamine", "peer_review": "\x00"},
            {"topic": "UPPER"},
        ]:
            with self.subTest(params=params):
                response = self.search(**params)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("<script>", response.content.decode().split("</header>")[1])

    def test_unknown_filters_are_ignored_with_a_notice(self):
        html = self.search(q="dopamine", kind="<script>").content.decode()
        self.assertIn("not recognised", html)
        self.assertIn("Dopamine", titles(self.search(q="dopamine", kind="<script>")))

    def test_query_is_echoed_escaped(self):
        html = self.search(q='<img src=x onerror="alert(1)">').content.decode()
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;img src=x", html)

    def test_autocomplete_survives_bad_input(self):
        for q in ["", "(", "*", "\x00", "x" * 5000, "AND"]:
            with self.subTest(q=q[:20]):
                response = self.client.get(reverse("search:suggest"), {"q": q})
                self.assertEqual(response.status_code, 200)
                json.loads(response.content)

"""Public pages: the publish rule everywhere, the crisis box, query counts, one h1."""

import re

from django.test import TestCase
from django.urls import reverse

from resources.models import Resource

from .factories import (
    assert_plain_not_found,
    make_article,
    make_crisis_line,
    make_reference,
    make_strategy,
)

Status = Resource.Status
HIDDEN = (Status.DRAFT, Status.REVIEW, Status.ARCHIVED)


def h1_count(html):
    return len(re.findall(r"<h1[\s>]", html))


class PublishRuleOnEveryPageTests(TestCase):
    """A draft, in-review or archived item never shows on any public page."""

    @classmethod
    def setUpTestData(cls):
        cls.visible = {
            "article": make_article(title="Visible article", topics=["Coping"], start_here=1),
            "strategy": make_strategy(title="Visible strategy", topics=["Coping"]),
            "reference": make_reference(title="Visible reference", topics=["Coping"]),
        }
        cls.hidden = []
        for status in HIDDEN:
            label = f"Hidden {status}"
            cls.hidden += [
                make_article(
                    title=f"{label} article",
                    topics=["Coping", "Secret"],
                    start_here=2,
                    status=status,
                ),
                make_strategy(
                    title=f"{label} strategy", topics=["Coping", "Secret"], status=status
                ),
                make_reference(
                    title=f"{label} reference", topics=["Coping", "Secret"], status=status
                ),
            ]

    def assert_listing_shows_only_published(self, url):
        html = self.client.get(url).content.decode()
        for item in self.hidden:
            self.assertNotIn(item.title, html, f"{item.title} leaked on {url}")
        return html

    def test_list_pages(self):
        for name, kind in [
            ("resources:article_list", "article"),
            ("resources:strategy_list", "strategy"),
            ("resources:reference_list", "reference"),
        ]:
            html = self.assert_listing_shows_only_published(reverse(name))
            self.assertIn(self.visible[kind].title, html)

    def test_home_page(self):
        html = self.assert_listing_shows_only_published(reverse("resources:home"))
        self.assertIn(self.visible["article"].title, html)
        self.assertIn(self.visible["strategy"].title, html)

    def test_topic_page_and_topic_list(self):
        html = self.assert_listing_shows_only_published(
            reverse("resources:topic_detail", args=["coping"])
        )
        for item in self.visible.values():
            self.assertIn(item.title, html)
        topics = self.client.get(reverse("resources:topic_list")).content.decode()
        self.assertIn("Coping", topics)
        self.assertNotIn("Secret", topics)

    def test_topic_of_drafts_only_is_not_found(self):
        make_article(topics=["Unreleased"], status=Status.DRAFT)
        make_article(topics=["Unreleased"], status=Status.REVIEW)
        response = self.client.get(reverse("resources:topic_detail", args=["unreleased"]))
        assert_plain_not_found(self, response)
        self.assertNotContains(response, "Unreleased", status_code=404)

    def test_topic_whose_pages_were_all_archived_keeps_its_address(self):
        response = self.client.get(reverse("resources:topic_detail", args=["secret"]))
        self.assertContains(response, "No current page has this topic any more")
        self.assertContains(response, '<meta name="robots" content="noindex">')
        for item in self.hidden:
            self.assertNotContains(response, item.title)

    def test_detail_pages_of_drafts_and_items_in_review_are_not_found(self):
        for item in self.hidden:
            if item.status == Status.ARCHIVED:
                continue
            with self.subTest(item=item.title):
                response = self.client.get(item.get_absolute_url())
                assert_plain_not_found(self, response)
                self.assertNotContains(response, item.title, status_code=404)
        for item in self.visible.values():
            self.assertEqual(self.client.get(item.get_absolute_url()).status_code, 200)

    def test_archived_items_keep_their_page_with_a_notice_and_out_of_search_engines(self):
        archived = [item for item in self.hidden if item.status == Status.ARCHIVED]
        self.assertEqual(len(archived), 3)
        for item in archived:
            with self.subTest(item=item.title):
                response = self.client.get(item.get_absolute_url())
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertIn("This page has been archived", html)
                self.assertIn('<meta name="robots" content="noindex">', html)
                self.assertIn(f"<title>Archived: {item.title}", html)
                self.assertIn("search the knowledge base", html)  # no replacement named
                self.assertNotIn('class="share"', html)
        live = self.client.get(self.visible["article"].get_absolute_url()).content.decode()
        self.assertNotIn("This page has been archived", live)
        self.assertNotIn('content="noindex"', live)

    def test_reference_page_lists_only_published_citers(self):
        ref = make_reference(key="cited2020", title="Cited source")
        make_article(title="Public citer", body="Claim [@cited2020].")
        make_article(title="Draft citer", body="Claim [@cited2020].", status=Status.DRAFT)
        make_strategy(title="Strategy citer", evidence="Also [@cited2020].")
        make_article(title="Prefix only", body="Claim [@cited2020b].")
        html = self.client.get(ref.get_absolute_url()).content.decode()
        self.assertIn("Public citer", html)
        self.assertIn("Strategy citer", html)
        self.assertNotIn("Draft citer", html)
        self.assertNotIn("Prefix only", html)


class ResourcePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ref = make_reference(
            key="heise2011", title="Heise case report", doi="10.1186/1746-4358-6-6"
        )
        make_crisis_line(name="988 Suicide & Crisis Lifeline", kind="crisis")
        make_crisis_line(
            name="National Maternal Mental Health Hotline",
            kind="support",
            contact="Call 1-833-852-6262",
            dial="+18338526262",
        )
        make_crisis_line(
            name="Emergency services", kind="emergency", contact="Call 911", dial="911"
        )

    def test_article_shows_sources_dates_and_disclaimer(self):
        article = make_article(body="D-MER is brief [@heise2011].", reviewed_by="Jo Bloggs, IBCLC")
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertIn('id="ref-1"', html)
        self.assertIn("Heise case report", html)
        self.assertIn("https://doi.org/10.1186/1746-4358-6-6", html)
        self.assertIn('Page last reviewed: <time datetime="2026-01-01">1 January 2026</time>', html)
        self.assertIn("by Jo Bloggs, IBCLC", html)
        self.assertIn('Next review due: <time datetime="2029-01-01">', html)
        self.assertIn("does not replace", html)
        self.assertLess(html.index("Sources"), html.index("Page last reviewed"))

    def test_crisis_box_follows_the_data(self):
        flagged = make_article(title="Severe", crisis_help=True)
        plain = make_article(title="Mild")
        html = self.client.get(flagged.get_absolute_url()).content.decode()
        self.assertIn('class="crisis-box"', html)
        self.assertIn('href="tel:988"', html)
        # Near the top: before the article body starts.
        self.assertLess(html.index("crisis-box"), html.index('class="prose"'))
        # Emergency and crisis lines are told apart from support lines.
        self.assertIn("Support line (not for emergencies)", html)
        self.assertLess(html.index("Emergency services"), html.index("Maternal Mental Health"))
        self.assertNotIn("crisis-box", self.client.get(plain.get_absolute_url()).content.decode())

    def test_crisis_box_on_a_flagged_strategy_too(self):
        strategy = make_strategy(crisis_help=True)
        html = self.client.get(strategy.get_absolute_url()).content.decode()
        self.assertIn('class="crisis-box"', html)

    def test_strategy_without_trials_says_so(self):
        untested = make_strategy(evidence_level="case_reports")
        tested = make_strategy(evidence_level="trials")
        html = self.client.get(untested.get_absolute_url()).content.decode()
        self.assertIn("No clinical trial has tested this for D-MER", html)
        self.assertIn("Evidence level:</strong> Case reports", html)
        html = self.client.get(tested.get_absolute_url()).content.decode()
        self.assertNotIn("No clinical trial has tested this", html)

    def test_reference_page_shows_citation_and_downloads(self):
        html = self.client.get(self.ref.get_absolute_url()).content.decode()
        self.assertIn(self.ref.citation().replace("&", "&amp;"), html)
        self.assertIn(reverse("resources:reference_bibtex", args=[self.ref.slug]), html)
        self.assertIn(reverse("resources:reference_ris", args=[self.ref.slug]), html)

    def test_help_now_page_lists_lines_and_crisis_articles(self):
        make_article(title="Severe page", crisis_help=True)
        make_article(title="Hidden severe page", crisis_help=True, status=Status.DRAFT)
        html = self.client.get(reverse("resources:help_now")).content.decode()
        self.assertIn('href="tel:911"', html)
        self.assertIn("Severe page", html)
        self.assertNotIn("Hidden severe page", html)

    def test_unknown_urls_get_a_404_not_a_500(self):
        for url in [
            "/articles/no-such-thing/",
            "/topics/%00/",
            "/references/x.bib",
            "/articles/?page=abc",
            "/articles/?page=-1",
            "/articles/?page=99999",
            "/strategies/<script>/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)


class QueryCountTests(TestCase):
    """List pages cost the same number of queries whatever the number of rows."""

    def page_queries(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx)

    def test_list_pages_have_constant_query_counts(self):
        def add(n):
            for i in range(n):
                make_article(topics=["Coping", f"T{i}"], start_here=i)
                make_strategy(topics=["Coping", f"T{i}"])
                make_reference(topics=["Coping", f"T{i}"])

        urls = [
            reverse(n)
            for n in (
                "resources:home",
                "resources:article_list",
                "resources:strategy_list",
                "resources:reference_list",
                "resources:topic_list",
            )
        ]
        urls.append(reverse("resources:topic_detail", args=["coping"]))
        add(2)
        before = {url: self.page_queries(url) for url in urls}
        add(8)
        after = {url: self.page_queries(url) for url in urls}
        self.assertEqual(before, after)
        for url, count in after.items():
            self.assertLessEqual(count, 8, url)


class QuestionsThisPageAnswersTests(TestCase):
    """A page's lay questions are listed near the top; a page without any shows nothing."""

    QUESTIONS = "Will it stop if I wean?\n\n  Is it my fault?  \n<b>Can I pump?</b>"

    def questions_block(self, html):
        match = re.search(r'<aside class="questions[^"]*".*?</aside>', html, re.S)
        return match.group(0) if match else ""

    def test_an_article_lists_its_questions_before_the_text(self):
        article = make_article(body="The text.", questions=self.QUESTIONS)
        html = self.client.get(article.get_absolute_url()).content.decode()
        block = self.questions_block(html)
        self.assertIn("Questions this page answers", block)
        items = re.findall(r"<li>(.*?)</li>", block)
        # One item per non-blank line, trimmed, and escaped like any other text.
        self.assertEqual(
            items,
            ["Will it stop if I wean?", "Is it my fault?", "&lt;b&gt;Can I pump?&lt;/b&gt;"],
        )
        self.assertLess(html.index("Questions this page answers"), html.index('class="prose"'))

    def test_a_strategy_lists_its_questions_too(self):
        strategy = make_strategy(questions="Does rest help D-MER?")
        html = self.client.get(strategy.get_absolute_url()).content.decode()
        self.assertIn("<li>Does rest help D-MER?</li>", self.questions_block(html))

    def test_a_page_without_questions_has_no_empty_heading(self):
        for page in (make_article(), make_strategy(), make_article(questions=" \n \n")):
            with self.subTest(page=page.slug):
                html = self.client.get(page.get_absolute_url()).content.decode()
                self.assertNotIn("Questions this page answers", html)
                self.assertEqual(self.questions_block(html), "")
                self.assertEqual(h1_count(html), 1)

    def test_a_clinicians_page_says_so_and_a_public_page_does_not(self):
        clinical = make_article(audience=Resource.Audience.CLINICIANS)
        public = make_article()
        html = self.client.get(clinical.get_absolute_url()).content.decode()
        self.assertIn("For clinicians.", html)
        self.assertIn("This page uses clinical terms.", html)
        html = self.client.get(public.get_absolute_url()).content.decode()
        self.assertNotIn("For clinicians.", html)

"""The Markdown editor's preview and citation picker views: who may call them, what they
render (the site's own renderer) and that nothing posted comes back unescaped."""

from django.contrib.auth.models import User
from django.test import Client, TestCase
from django.urls import reverse

from resources.models import CrisisTerm, Resource

from .factories import make_article, make_crisis_line, make_reference, make_staff

Status = Resource.Status
PREVIEW = reverse("admin:resources_article_markdown_preview")
CITATIONS = reverse("admin:resources_article_citation_search")
STRATEGY_PREVIEW = reverse("admin:resources_treatmentstrategy_markdown_preview")


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        make_reference(key="heise2011", title="A case report of D-MER")
        make_reference(key="uvnas2015", title="Oxytocin and letdown")
        make_crisis_line()
        CrisisTerm.objects.get_or_create(phrase="suicidal thoughts")

    def setUp(self):
        self.client.force_login(self.editor)

    def preview(self, url=PREVIEW, **fields):
        response = self.client.post(url, fields)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()["fields"]

    def test_citations_are_numbered_as_on_the_page(self):
        html = self.preview(body="One [@uvnas2015]. Two [@heise2011; @uvnas2015].")["body"]
        self.assertIn('<sup class="cite">[<a href="#ref-1">1</a>]</sup>', html)
        self.assertIn('[<a href="#ref-2">2</a>, <a href="#ref-1">1</a>]', html)
        self.assertIn("Oxytocin and letdown", html)
        self.assertLess(html.index("Oxytocin"), html.index("A case report"))

    def test_an_unknown_key_shows_as_a_question_mark_with_a_message(self):
        html = self.preview(body="Claim [@nobody1999].")["body"]
        self.assertIn('<abbr title="This source is not available">?</abbr>', html)
        self.assertIn("<code>@nobody1999</code>", html)

    def test_the_crisis_box_appears_when_the_text_calls_for_it(self):
        self.assertNotIn("crisis-box", self.preview(body="Letdown and sadness.")["body"])
        html = self.preview(body="Some mothers have suicidal thoughts.")["body"]
        self.assertIn('class="crisis-box"', html)
        self.assertIn("988 Suicide &amp; Crisis Lifeline", html)
        self.assertIn("crisis-box", self.preview(body="Calm text.", crisis_help="on")["body"])

    def test_numbers_run_across_every_field_of_the_page(self):
        fields = self.preview(
            STRATEGY_PREVIEW, description="See [@heise2011].", evidence="And [@uvnas2015]."
        )
        self.assertIn('href="#ref-1">1<', fields["description"])
        self.assertIn('href="#ref-2">2<', fields["evidence"])

    def test_markup_and_script_are_escaped_or_dropped(self):
        html = self.preview(
            body="<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) "
            "[@<iframe>x</iframe>] Fine & dandy"
        )["body"]
        self.assertNotIn("<script", html)
        self.assertNotIn("onerror", html)
        self.assertNotIn("javascript:", html)
        self.assertNotIn("<iframe", html)
        self.assertIn("Fine &amp; dandy", html)

    def test_only_a_post_renders(self):
        self.assertEqual(self.client.get(PREVIEW).status_code, 405)

    def test_the_preview_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.editor)
        self.assertEqual(client.post(PREVIEW, {"body": "x"}).status_code, 403)

    def test_readers_and_staff_without_a_role_are_turned_away(self):
        self.client.logout()
        response = self.client.post(PREVIEW, {"body": "x"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        self.client.force_login(User.objects.create_user("nobody", is_staff=True))
        self.assertEqual(self.client.post(PREVIEW, {"body": "x"}).status_code, 403)
        self.assertEqual(self.client.get(CITATIONS, {"q": "heise"}).status_code, 403)


class CitationSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        make_reference(key="heise2011", title="A case report", authors="Heise AM\nWiessinger D")
        make_reference(key="uvnas2015", title="Oxytocin <and> letdown", authors="Uvnäs-Moberg K")
        make_reference(
            key="draft2024", title="Unreviewed draft", authors="Someone X", status=Status.DRAFT
        )
        make_reference(key="gone2001", title="Retired source", status=Status.ARCHIVED)

    def setUp(self):
        self.client.force_login(self.editor)

    def keys(self, typed):
        response = self.client.get(CITATIONS, {"q": typed})
        self.assertEqual(response.status_code, 200)
        return [result["key"] for result in response.json()["results"]]

    def test_finds_by_key_title_or_author_ignoring_capitals(self):
        self.assertEqual(self.keys("HEISE2011"), ["heise2011"])
        self.assertEqual(self.keys("oxytocin"), ["uvnas2015"])
        self.assertEqual(self.keys("wiessinger"), ["heise2011"])
        self.assertEqual(self.keys("no such thing"), [])
        self.assertEqual(self.keys("   "), [])

    def test_published_sources_come_first_and_archived_ones_never(self):
        self.assertEqual(self.keys("20")[-1], "draft2024")
        self.assertNotIn("gone2001", self.keys("retired"))
        result = self.client.get(CITATIONS, {"q": "draft"}).json()["results"][0]
        self.assertEqual(result["status"], "Draft")

    def test_results_are_json_data_never_markup(self):
        # The picker puts them in the page as text (textContent), never as HTML.
        response = self.client.get(CITATIONS, {"q": "<and>"})
        self.assertEqual(response.json()["results"][0]["title"], "Oxytocin <and> letdown")
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")


class EditorOnTheFormTests(TestCase):
    def test_the_body_field_carries_the_editor_and_its_script(self):
        moderator = make_staff("mod", "Moderators")
        self.client.force_login(moderator)
        article = make_article()
        html = self.client.get(
            reverse("admin:resources_article_change", args=[article.pk])
        ).content.decode()
        self.assertIn(f'data-preview-url="{PREVIEW}"', html)
        self.assertIn(f'data-citations-url="{CITATIONS}"', html)
        self.assertIn('aria-live="polite"', html)
        self.assertIn("js/markdown-editor.js", html)
        self.assertIn('data-markdown-field="body"', html)
        self.assertNotIn("<script>", html.split("</head>")[1])  # no inline script (CSP)

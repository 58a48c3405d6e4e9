"""The pages readers looked for and could not find (issue 12), as the seed delivers them."""

import re

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from resources.content import claims, readability, safety
from resources.models import Article, CrisisLine, CrisisTerm, Reference, Resource

from .factories import make_staff
from .search_helpers import reset_index

NEXT_BABY = "d-mer-with-your-next-baby"
WEANING = "stopping-breastfeeding-because-of-d-mer"
PARTNERS = "d-mer-for-partners-family-and-friends"
MORE_THAN = "when-it-might-be-more-than-d-mer"
WORSE_EASIER = "what-makes-d-mer-worse-or-easier"
CLINICIANS = "d-mer-for-clinicians"
NEW_PAGES = [NEXT_BABY, WEANING, PARTNERS, MORE_THAN, WORSE_EASIER, CLINICIANS]
# The addendum's references (R44-R65) these pages use.
ADDENDUM_REFERENCES = range(101, 115)
# Plain-language ceiling for pages meant for everyone (NHS reading age 9 to 11).
PUBLIC_GRADE_CEILING = 8.0
MAX_SENTENCE_WORDS = 20


def titles(html):
    found = re.findall(r'class="resource-title" href="[^"]*">(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", title) for title in found]


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


class NewPagesInTheSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)
        cls.pages = {slug: Article.objects.get(slug=slug) for slug in NEW_PAGES}

    def get(self, slug):
        return self.client.get(self.pages[slug].get_absolute_url()).content.decode()

    def test_each_page_is_published_cited_dated_and_reviewed(self):
        for slug, page in self.pages.items():
            with self.subTest(slug):
                self.assertTrue(page.is_published())
                self.assertGreaterEqual(len(page.cited_keys()), 3)
                self.assertIsNotNone(page.last_reviewed_on)
                self.assertGreater(page.next_review_due_on, page.last_reviewed_on)
                self.assertTrue(page.reviewed_by)
                questions = [q for q in page.questions.splitlines() if q.strip()]
                self.assertTrue(2 <= len(questions) <= 4, questions)

    def test_each_page_is_in_where_to_start_on_the_home_page(self):
        home = self.client.get(reverse("resources:home")).content.decode()
        start = section(home, "start-heading")
        for slug, page in self.pages.items():
            with self.subTest(slug):
                self.assertIn(f'href="{page.get_absolute_url()}"', start)

    def test_the_crisis_box_is_on_every_page_that_speaks_of_suicide_or_self_harm(self):
        terms = list(CrisisTerm.objects.values_list("phrase", flat=True))
        for slug, page in self.pages.items():
            with self.subTest(slug):
                text = " ".join([page.title, page.summary, page.body, page.questions])
                if safety.matching_terms(text, terms):
                    self.assertTrue(page.crisis_help)
                html = self.get(slug)
                if page.crisis_help:
                    self.assertIn('class="crisis-box"', html)
                    self.assertIn('href="tel:988"', html)
                else:
                    self.assertNotIn('class="crisis-box"', html)
        # The page on warning signs always shows it; the page on later babies has no need.
        self.assertIn('class="crisis-box"', self.get(MORE_THAN))
        self.assertNotIn('class="crisis-box"', self.get(NEXT_BABY))

    def test_the_clinicians_page_is_marked_for_clinicians_and_no_other(self):
        self.assertEqual(self.pages[CLINICIANS].audience, Resource.Audience.CLINICIANS)
        self.assertIn("For clinicians.", self.get(CLINICIANS))
        for slug in NEW_PAGES[:-1]:
            with self.subTest(slug):
                self.assertEqual(self.pages[slug].audience, Resource.Audience.PUBLIC)
                self.assertNotIn("This page uses clinical terms", self.get(slug))

    def test_a_reader_sees_the_questions_each_page_answers(self):
        for slug, page in self.pages.items():
            with self.subTest(slug):
                html = self.get(slug)
                self.assertIn("Questions this page answers", html)
                first = page.questions.splitlines()[0]
                self.assertIn(f"<li>{first}</li>", html.replace("&#x27;", "'"))

    def test_public_pages_are_plain_language(self):
        for slug in NEW_PAGES[:-1]:
            page = self.pages[slug]
            for name, text in (("body", page.body), ("summary", page.summary)):
                with self.subTest(slug, field=name):
                    self.assertLessEqual(readability.grade(text), PUBLIC_GRADE_CEILING)
                    # A list item or table cell is a sentence of its own, as the grade counts it.
                    sentences = re.split(r"(?<=[.!?:;])\s+", readability.sentences(text))
                    long = [s for s in sentences if len(s.split()) > MAX_SENTENCE_WORDS]
                    self.assertEqual(long, [])

    def test_every_figure_carries_a_citation(self):
        for slug, page in self.pages.items():
            with self.subTest(slug):
                self.assertEqual(claims.uncited_figures(page.body), [])
                self.assertEqual(claims.uncited_figures(page.summary), [])

    def test_what_the_sources_disagree_on_is_said(self):
        self.assertIn("nobody knows", self.pages[NEXT_BABY].body)
        self.assertIn("the site's view, not a research finding", self.pages[NEXT_BABY].body)
        self.assertIn("up to you and your baby", self.pages[WEANING].body)
        self.assertIn("That is the site's opinion", self.pages[WEANING].body)
        self.assertIn("Where the sources disagree", self.pages[WORSE_EASIER].body)
        clinical = self.pages[CLINICIANS].body
        self.assertIn("not classified in the DSM or the ICD", clinical)
        self.assertIn("not reproduced or reconstructed here", clinical)


class AddendumReferenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)

    def test_each_record_is_valid_published_and_says_how_far_it_is_confirmed(self):
        for pk in ADDENDUM_REFERENCES:
            reference = Reference.objects.get(pk=pk)
            with self.subTest(reference.key):
                reference.full_clean()
                self.assertTrue(reference.is_published())
                html = self.client.get(reference.get_absolute_url()).content.decode()
                self.assertIn(reference.evidence_label(), html)

    def test_a_secondary_source_shows_what_is_not_confirmed(self):
        reference = Reference.objects.get(key="zychlinsky-ajog2024")
        self.assertEqual(reference.evidence_label(), "Peer review not confirmed")
        html = self.client.get(reference.get_absolute_url()).content.decode()
        self.assertIn("seen only in a medtalks.in summary", html)
        unseen = Reference.objects.get(key="zychlinsky2025")
        self.assertIn("[authors not confirmed]", unseen.citation().lower())


class CrisisLineConfidenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)

    def test_new_lines_reach_readers_in_the_crisis_box(self):
        html = self.client.get(reverse("resources:help_now")).content.decode()
        self.assertIn('href="tel:112"', html)  # Ireland's emergency services
        self.assertIn('href="tel:131114"', html)  # Lifeline Australia
        self.assertEqual(CrisisLine.objects.get(dial="131114").confidence, "partial")

    def test_moderators_see_and_filter_by_confidence(self):
        self.client.force_login(make_staff("mod", "Moderators"))
        url = reverse("admin:resources_crisisline_changelist")
        html = self.client.get(url).content.decode()
        self.assertIn("Partially confirmed", html)
        partial = self.client.get(url, {"confidence__exact": "partial"}).content.decode()
        self.assertIn("Lifeline", partial)
        self.assertNotIn("988 Suicide &amp; Crisis Lifeline", partial)


class NewPagesFoundByTheirQuestionsTests(TestCase):
    """A reader typing one of a page's questions finds it in the top 5 (a real index)."""

    QUESTIONS = {
        NEXT_BABY: "Will I get D-MER again with my next baby?",
        WEANING: "Will D-MER stop if I stop breastfeeding?",
        PARTNERS: "How can a partner help with D-MER?",
        MORE_THAN: "Is it D-MER or postnatal depression?",
        WORSE_EASIER: "What makes D-MER worse?",
        CLINICIANS: "Are there diagnostic criteria for D-MER?",
    }

    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)
        reset_index()
        call_command("rebuild_index", interactive=False, verbosity=0)

    def test_each_page_is_in_the_top_five_for_one_of_its_questions(self):
        for slug, question in self.QUESTIONS.items():
            page = Article.objects.get(slug=slug)
            with self.subTest(slug, question=question):
                self.assertIn(question, page.questions.splitlines())
                response = self.client.get(reverse("search:search"), {"q": question, "exact": "0"})
                self.assertIn(page.title, titles(response.content.decode())[:5])

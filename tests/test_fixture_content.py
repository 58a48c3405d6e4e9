"""The seed content, read straight from fixtures/*.yaml, keeps the site's writing promises.

No database: each page is checked as it is written, with the same code the publishing gate
uses (resources.content). Whatever pages the fixtures hold are checked, so a page added
later is held to the same rules:

- plain language: the Flesch-Kincaid grade of every page for everyone, and of its summary,
  is at most 8, and the median over those pages is at most 6 (NHS: reading age 9 to 11);
  pages for clinicians are exempt;
- every paragraph that gives a figure cites its source;
- every page that speaks of suicidal thoughts, self-harm or severe D-MER shows crisis lines;
- every DOI in the fixtures is one the fact sheet lists.
"""

import importlib
import re
import statistics
from functools import cache
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase

from resources.content import claims, readability, safety
from resources.models import Reference, Resource

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
WORST_GRADE = 8.0
MEDIAN_GRADE = 6.0
DOI = re.compile(r"10\.\d{4,9}/[^\s\]\)\"'<>,;]+")
TERMS_MIGRATION = "resources.migrations.0011_foundation_fields"


class Page:
    """One article or strategy record as the fixture holds it."""

    def __init__(self, model, fields):
        self.model = model
        self.fields = fields
        self.slug = fields.get("slug", "?")

    @property
    def public(self):
        return self.fields.get("audience", Resource.Audience.PUBLIC) != Resource.Audience.CLINICIANS

    def markdown_parts(self):
        return [self.fields.get(name) or "" for name in self.model.markdown_fields]

    def text(self):
        """The page's own words, in reading order (every Markdown field)."""
        return "\n\n".join(part for part in self.markdown_parts() if part.strip())

    def shown_text(self):
        """Everything a reader sees of the page: title, summary, text and its questions."""
        shown = (self.fields.get("title", ""), self.fields.get("summary", ""), self.text())
        return "\n".join((*shown, self.fields.get("questions") or ""))


def records():
    for path in sorted(FIXTURES.glob("*.yaml")):
        yield from yaml.safe_load(path.read_text(encoding="utf-8")) or []


def pages_in(entries):
    """The articles, strategies and any other page kind that must cite its sources."""
    for entry in entries:
        model = apps.get_model(entry["model"])
        if issubclass(model, Resource) and not issubclass(model, Reference):
            yield Page(model, entry["fields"])


@cache
def crisis_terms():
    """The phrases migration 0011 seeds as CrisisTerm, pages-only ones included."""
    migration = importlib.import_module(TERMS_MIGRATION)
    return tuple(migration.SEED_TERMS + migration.PAGES_ONLY)


def fact_sheets():
    """FACTS.md and its addendum from shared/content beside the repository (or higher up)."""
    for folder in Path(settings.BASE_DIR).resolve().parents:
        facts = folder / "shared" / "content" / "FACTS.md"
        if facts.exists():
            addendum = facts.with_name("FACTS-ADDENDUM.md")
            return facts.read_text(encoding="utf-8") + addendum.read_text(encoding="utf-8")
    raise AssertionError("shared/content/FACTS.md was not found beside the repository")


def grade_problems(pages):
    """Pages for everyone above the plain-language bounds, as readable messages."""
    public = [page for page in pages if page.public]
    problems = []
    for label, grade_of in (
        ("text", lambda page: readability.grade(page.text())),
        ("summary", lambda page: readability.grade(page.fields.get("summary", ""))),
    ):
        grades = {page.slug: grade_of(page) for page in public}
        problems += [
            f"{slug}: {label} reads at grade {grade}, above {WORST_GRADE}"
            for slug, grade in grades.items()
            if grade > WORST_GRADE
        ]
        if grades and statistics.median(grades.values()) > MEDIAN_GRADE:
            median = statistics.median(grades.values())
            problems.append(f"median {label} grade {median} is above {MEDIAN_GRADE}")
    return problems


def uncited_problems(pages):
    return [
        f"{page.slug}: no citation in the paragraph of {sentence!r}"
        for page in pages
        if page.model.requires_citation
        for part in page.markdown_parts()
        for sentence in claims.uncited_figures(part)
    ]


def crisis_problems(pages):
    return [
        f"{page.slug} mentions {found} but has crisis_help false"
        for page in pages
        if (found := safety.matching_terms(page.shown_text(), crisis_terms()))
        and not page.fields.get("crisis_help")
    ]


def doi_problems(entries, facts):
    known = facts.casefold()
    found = set()
    for entry in entries:
        for value in entry["fields"].values():
            if isinstance(value, str):
                found.update(doi.rstrip(".") for doi in DOI.findall(value))
    return sorted(
        f"DOI {doi} is not in the fact sheet" for doi in found if doi.casefold() not in known
    )


class SeedContentRulesTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = list(records())
        cls.pages = list(pages_in(cls.entries))

    def test_the_fixtures_hold_the_pages_readers_use(self):
        slugs = {page.slug for page in self.pages}
        self.assertGreaterEqual(len(self.pages), 16)
        self.assertIn("what-is-d-mer", slugs)
        self.assertIn("low-dose-naltrexone", slugs)

    def test_pages_for_everyone_read_at_a_reading_age_of_9_to_11(self):
        self.assertEqual(grade_problems(self.pages), [])

    def test_every_figure_is_cited_in_its_paragraph(self):
        self.assertEqual(uncited_problems(self.pages), [])

    def test_every_page_about_suicidal_thoughts_or_severe_d_mer_shows_crisis_lines(self):
        flagged = [page.slug for page in self.pages if page.fields.get("crisis_help")]
        self.assertIn("severe-d-mer-and-suicidal-thoughts", flagged)
        self.assertEqual(crisis_problems(self.pages), [])

    def test_every_doi_comes_from_the_fact_sheet(self):
        dois = [e["fields"]["doi"] for e in self.entries if e["fields"].get("doi")]
        self.assertGreaterEqual(len(dois), 20)
        self.assertEqual(doi_problems(self.entries, fact_sheets()), [])

    def test_every_page_answers_the_questions_a_mother_would_type(self):
        for page in self.pages:
            with self.subTest(page=page.slug):
                questions = (page.fields.get("questions") or "").splitlines()
                self.assertGreaterEqual(len(questions), 2)
                self.assertTrue(all(q.strip().endswith("?") for q in questions), questions)

    def test_the_crisis_terms_come_from_the_seed_migration(self):
        self.assertIn("suicidal thoughts", crisis_terms())
        self.assertIn("severe d-mer", crisis_terms())


class ContentRuleCheckerTests(SimpleTestCase):
    """The checks above do catch a page that breaks each rule (and pass one that does not)."""

    def page(self, audience="public", crisis_help=False, body="You may feel sad. It passes."):
        fields = {
            "slug": "made-up",
            "title": "A page",
            "summary": "A short page.",
            "body": body,
            "audience": audience,
            "crisis_help": crisis_help,
        }
        return Page(apps.get_model("resources.article"), fields)

    def test_hard_text_is_caught_unless_the_page_is_for_clinicians(self):
        hard = (
            "Dysphoric milk ejection reflex constitutes a neuroendocrine phenomenon "
            "characterised by transient dysphoria immediately preceding lactational letdown."
        )
        self.assertEqual(grade_problems([self.page()]), [])
        problems = grade_problems([self.page(body=hard)])
        self.assertIn("made-up: text reads at grade", problems[0])
        self.assertIn("median text grade", problems[-1])
        self.assertEqual(grade_problems([self.page(audience="clinicians", body=hard)]), [])

    def test_an_uncited_figure_is_caught(self):
        self.assertEqual(
            uncited_problems([self.page(body="About 1 in 16 mothers (6%) have it.")]),
            ["made-up: no citation in the paragraph of 'About 1 in 16 mothers (6%) have it.'"],
        )
        cited = "About 1 in 16 mothers (6%) have it [@nguyen2024]."
        self.assertEqual(uncited_problems([self.page(body=cited)]), [])

    def test_a_page_about_suicide_without_the_crisis_box_is_caught(self):
        body = "Severe D-MER can bring passing thoughts of suicide."
        self.assertEqual(
            crisis_problems([self.page(body=body)]),
            ["made-up mentions ['suicide', 'severe d-mer'] but has crisis_help false"],
        )
        self.assertEqual(crisis_problems([self.page(body=body, crisis_help=True)]), [])

    def test_an_invented_doi_is_caught(self):
        entries = [{"fields": {"doi": "10.1186/1746-4358-6-6", "supports": "doi:10.9999/made.up."}}]
        facts = "R1 ... doi:10.1186/1746-4358-6-6 ..."
        self.assertEqual(
            doi_problems(entries, facts), ["DOI 10.9999/made.up is not in the fact sheet"]
        )


class ForumAnswerTests(SimpleTestCase):
    """The ready answers volunteers paste into forums travel alone: plain, hedged, complete."""

    def test_ready_answers_are_plain_and_keep_the_hedges(self):
        from resources.pages.views import FORUM_ANSWERS

        answers = {question: answer for question, answer, *_ in FORUM_ANSWERS}
        for question, answer in answers.items():
            with self.subTest(question=question):
                self.assertLessEqual(readability.grade(answer), WORST_GRADE)
        self.assertIn("appears to have a physical cause", answers[FORUM_ANSWERS[0][0]])
        self.assertNotIn("recognised condition", " ".join(answers.values()))
        # "It's only D-MER" must not be the lesson: the two can come together.
        self.assertIn("happen together", answers["Is it postpartum depression?"])

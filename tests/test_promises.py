"""The editorial policy's promises, each checked over every published page of the seed.

"How this site checks health information" promises: pages that speak of suicidal thoughts
start with support lines; every page says who reviewed it and whether a clinician has;
nothing is public that nobody approved; every figure has a source; pages for everyone are
written plainly. A new page, a fixture edit or a code change that breaks one fails here.
"""

from django.core.management import call_command
from django.test import TestCase
from haystack.query import SearchQuerySet
from reversion.models import Version

from resources.content import claims, readability
from resources.management.commands.seed import SEED_COMMENT
from resources.models import Article, CrisisLine, Reference, TreatmentStrategy, WorkflowEvent, gates

from .factories import make_article, make_staff
from .search_helpers import reset_index, sync

KINDS = (Article, TreatmentStrategy, Reference)


def published_pages():
    return [obj for model in KINDS for obj in model.objects.published()]


class SeedPromiseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)

    def test_every_page_that_mentions_suicidal_thoughts_shows_the_crisis_lines(self):
        flagged = [page for page in published_pages() if gates.crisis_terms_in(page)]
        self.assertGreaterEqual(len(flagged), 3)  # the seed speaks of it on several pages
        slugs = {page.slug for page in flagged}
        self.assertIn("severe-d-mer-and-suicidal-thoughts", slugs)
        self.assertIn("what-is-d-mer", slugs)  # its box was off before the rule
        for page in flagged:
            with self.subTest(page=page.slug):
                self.assertTrue(page.crisis_help)
                html = self.client.get(page.get_absolute_url()).content.decode()
                self.assertIn('class="crisis-box"', html)
                self.assertIn('href="tel:988"', html)
                self.assertIn("116 123", html)
        quiet = make_article(title="About pumping", body="Pumping at work.", slug="pumping")
        html = self.client.get(quiet.get_absolute_url()).content.decode()
        self.assertNotIn('class="crisis-box"', html)  # only where the text calls for it

    def test_every_public_page_shows_its_editorial_and_clinical_review(self):
        for page in published_pages():
            with self.subTest(page=page.slug):
                html = self.client.get(page.get_absolute_url()).content.decode()
                self.assertIn(f"Reviewed by {page.reviewed_by} ({page.reviewer_role}) on", html)
                self.assertIn("Not yet checked by a clinician.", html)  # true of the seed
        self.assertEqual(
            {page.reviewed_by for page in published_pages()}, {"D-MER Knowledge Base editors"}
        )

    def test_nothing_in_the_public_index_was_never_approved(self):
        reset_index()
        call_command("rebuild_index", interactive=False, verbosity=0)
        results = list(SearchQuerySet().all()[:1000])
        self.assertEqual(len(results), len(published_pages()))
        for result in results:
            with self.subTest(document=result.id):
                obj = result.object
                self.assertTrue(obj.is_published())
                approvals = obj.workflow_events().filter(to_status="published")
                self.assertTrue(approvals.exists(), f"{obj} is indexed but nobody approved it")
        page = Article.objects.published().first()
        page.status = "review"
        page.save()
        sync()
        self.assertNotIn(page.title, [r.title for r in SearchQuerySet().filter(content="d-mer")])

    def test_every_figure_is_cited(self):
        for page in published_pages():
            if page.requires_citation:
                with self.subTest(page=page.slug):
                    text = "\n\n".join(page.markdown_sources())
                    self.assertEqual(claims.uncited_figures(text), [])
                    self.assertEqual(page.unknown_citation_keys(), [])

    def test_readability_is_within_bounds_or_its_exception_is_recorded(self):
        for page in published_pages():
            with self.subTest(page=page.slug):
                self.assertEqual(page.readability_grade, gates.reading_grade(page))
                if gates.above_limit(page):
                    excepted = page.workflow_events().filter(readability_override=True)
                    self.assertTrue(excepted.exists(), f"{page.slug} reads above the limit")
                    self.assertIn("above the limit", excepted.first().comment)
                elif gates.reading_level_applies(page):
                    self.assertLessEqual(page.readability_grade, readability.PUBLIC_LIMIT)

    def test_the_seed_entered_through_the_workflow_and_can_be_restored(self):
        for page in [*published_pages(), *CrisisLine.objects.all()]:
            with self.subTest(page=str(page)):
                (version,) = Version.objects.get_for_object(page)
                self.assertEqual(version.revision.get_comment(), SEED_COMMENT)
                event = WorkflowEvent.objects.get(
                    object_id=page.pk, content_type__model=page._meta.model_name
                )
                self.assertEqual(event.action, WorkflowEvent.Action.SEEDED)
                self.assertIn("not checked by a clinician", event.comment)
        self.assertTrue(CrisisLine.objects.shown().exists())
        moderator = make_staff("mod", "Moderators")
        self.client.force_login(moderator)
        page = Article.objects.get(slug="what-is-d-mer")
        version = Version.objects.get_for_object(page).first()
        url = f"/admin/resources/article/{page.pk}/history/{version.pk}/"
        self.assertContains(self.client.get(url), "D-MER")

"""The seed content loads with one command and keeps the site's medical promises."""

import re

from django.core.management import call_command
from django.test import TestCase
from django.urls import URLPattern, get_resolver, reverse

from resources.models import Article, CrisisLine, Reference, TreatmentStrategy


class SeedContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)

    def test_seed_loads_every_kind(self):
        self.assertGreaterEqual(Reference.objects.published().count(), 43)
        self.assertGreaterEqual(Article.objects.published().count(), 10)
        self.assertGreaterEqual(TreatmentStrategy.objects.published().count(), 4)
        self.assertTrue(CrisisLine.objects.filter(kind="emergency").exists())
        self.assertTrue(CrisisLine.objects.filter(kind="support").exists())

    def test_every_published_article_and_strategy_cites_a_reference(self):
        for model in (Article, TreatmentStrategy):
            for item in model.objects.published():
                with self.subTest(item=item.slug):
                    self.assertTrue(item.cited_references(), f"{item.slug} cites nothing")
                    self.assertEqual(item.unknown_citation_keys(), [])
                    item.full_clean()

    def test_every_reference_is_valid(self):
        for reference in Reference.objects.all():
            with self.subTest(reference=reference.key):
                reference.full_clean()

    def test_seed_if_empty_never_overwrites_edits(self):
        article = Article.objects.get(slug="what-is-d-mer")
        article.title = "Edited by a moderator"
        article.save()
        call_command("seed", if_empty=True, verbosity=0)
        article.refresh_from_db()
        self.assertEqual(article.title, "Edited by a moderator")

    def test_severe_page_shows_the_crisis_box(self):
        response = self.client.get(
            reverse("resources:article_detail", args=["severe-d-mer-and-suicidal-thoughts"])
        )
        html = response.content.decode()
        self.assertIn('class="crisis-box"', html)
        self.assertIn('href="tel:988"', html)
        self.assertIn("116 123", html)

    def test_ldn_is_labelled_as_one_clinicians_proposal_with_lactmed_wording(self):
        html = self.client.get(
            reverse("resources:strategy_detail", args=["low-dose-naltrexone"])
        ).content.decode()
        self.assertIn("This is one clinician's proposal", html)
        self.assertIn("no published evidence that LDN helps D-MER", html)
        self.assertIn("No clinical trial has tested this for D-MER", html)
        self.assertIn("minimal excretion into breastmilk", html)
        self.assertIn("not a reason to stop breastfeeding", html)
        self.assertIn("could not be confirmed", html)
        self.assertNotIn("is safe", html)

    def test_dopamine_mechanism_is_presented_as_a_hypothesis(self):
        article = Article.objects.get(slug="what-causes-d-mer-dopamine-hypothesis")
        self.assertIn("not known", article.body)
        self.assertIn("has not been proven", article.body)

    def test_preprint_is_labelled_not_peer_reviewed(self):
        html = self.client.get(
            reverse("resources:reference_detail", args=["zychlinsky-scharff-2024-preprint"])
        ).content.decode()
        self.assertIn("Preprint, not peer-reviewed", html)


class WholeSiteTests(TestCase):
    """Every public URL answers and has exactly one h1."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed", verbosity=0)

    def public_urls(self):
        samples = {
            "article_detail": Article.objects.published().first(),
            "strategy_detail": TreatmentStrategy.objects.published().first(),
            "reference_detail": Reference.objects.published().first(),
        }
        urls = []
        not_html = ("feed", "oembed", "bibtex", "ris", "embed_card", "short_link")
        for pattern in get_resolver("resources.pages.urls").url_patterns:
            assert isinstance(pattern, URLPattern)
            if "<" not in str(pattern.pattern) and not pattern.name.startswith(not_html):
                urls.append(reverse(f"resources:{pattern.name}"))
        for name, obj in samples.items():
            urls.append(reverse(f"resources:{name}", args=[obj.slug]))
        urls.append(reverse("resources:topic_detail", args=["coping"]))
        urls.append(reverse("search:search") + "?q=dopamine")
        # Every published resource page, too.
        for model in (Article, TreatmentStrategy, Reference):
            urls += [item.get_absolute_url() for item in model.objects.published()]
        return urls

    def test_every_page_answers_with_exactly_one_h1(self):
        urls = self.public_urls()
        self.assertGreater(len(urls), 60)
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertEqual(len(re.findall(r"<h1[\s>]", html)), 1)
                self.assertIn('<main id="main"', html)
                self.assertIn('role="search"', html)

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase

from resources.models import Reference, Resource, TreatmentStrategy

from .factories import make_article, make_reference, make_strategy

Status = Resource.Status


class PublishedRuleTests(TestCase):
    """published() and is_published() answer the same question, for every kind."""

    def test_only_published_status_is_visible(self):
        for make in (make_article, make_reference, make_strategy):
            items = {status: make(status=status) for status in Status.values}
            model = type(items[Status.PUBLISHED])
            visible = set(model.objects.published())
            for status, item in items.items():
                with self.subTest(model=model.__name__, status=status):
                    self.assertEqual(item in visible, status == Status.PUBLISHED)
                    self.assertEqual(item.is_published(), status == Status.PUBLISHED)


class CitationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.heise = make_reference(key="heise2011", title="Case report")
        cls.ureno = make_reference(key="ureno2019", title="Descriptive study")

    def test_citations_are_numbered_in_order_of_first_use(self):
        article = make_article(body="First [@ureno2019]. Then [@heise2011; @ureno2019].")
        rendered = article.rendered()
        self.assertEqual(rendered.references, [self.ureno, self.heise])
        html = rendered.fields["body"]
        self.assertIn('<a href="#ref-1">1</a>', html)
        self.assertIn('<a href="#ref-2">2</a>, <a href="#ref-1">1</a>', html)
        self.assertNotIn("[@", html)

    def test_citations_span_all_fields_of_a_strategy(self):
        strategy = make_strategy(
            description="See [@heise2011].", breastfeeding_safety="And [@ureno2019]."
        )
        rendered = strategy.rendered()
        self.assertEqual(rendered.references, [self.heise, self.ureno])
        self.assertIn('href="#ref-2"', rendered.fields["breastfeeding_safety"])

    def test_unknown_key_is_an_error_the_moderator_sees(self):
        article = make_article(body="Claim [@heise2011; @nobody1999].")
        with self.assertRaises(ValidationError) as caught:
            article.full_clean()
        self.assertIn("@nobody1999", str(caught.exception.message_dict["body"]))
        self.assertNotIn("@heise2011", str(caught.exception.message_dict["body"]))

    def test_known_keys_pass_validation(self):
        make_article(body="Claim [@heise2011].").full_clean()

    def test_unknown_key_in_a_strategy_field_is_reported(self):
        strategy = make_strategy(evidence="Claim [@ghost].")
        with self.assertRaises(ValidationError) as caught:
            strategy.full_clean()
        self.assertIn("@ghost", str(caught.exception))

    def test_unpublished_reference_is_not_listed_publicly(self):
        draft = make_reference(key="draft2020", status=Status.DRAFT)
        article = make_article(body="Claim [@draft2020] and [@heise2011].")
        rendered = article.rendered()
        self.assertNotIn(draft, rendered.references)
        self.assertIn("not available", rendered.fields["body"])
        self.assertIn('<a href="#ref-1">1</a>', rendered.fields["body"])


class IdentifierValidationTests(TestCase):
    def test_valid_doi_is_normalised_from_what_people_paste(self):
        for pasted in ("doi:10.1186/1746-4358-6-6", "https://doi.org/10.1186/1746-4358-6-6"):
            with self.subTest(pasted=pasted):
                ref = make_reference(doi=pasted)
                ref.refresh_from_db()
                self.assertEqual(ref.doi, "10.1186/1746-4358-6-6")
                self.assertEqual(ref.doi_url(), "https://doi.org/10.1186/1746-4358-6-6")

    def test_invalid_doi_is_refused_on_save(self):
        for bad in ("10.1/x", "11.1186/abc", "not a doi", "10.1186/", "10.1186/has space"):
            with self.subTest(doi=bad), self.assertRaises(ValidationError):
                make_reference(doi=bad)
        self.assertFalse(Reference.objects.filter(doi__contains="1186/").exists())

    def test_invalid_pmid_is_refused_on_save(self):
        for bad in ("abc", "0123", "1234567890", "12 34"):
            with self.subTest(pmid=bad), self.assertRaises(ValidationError):
                make_reference(pmid=bad)

    def test_valid_pmid_is_kept(self):
        ref = make_reference(pmid="21645333")
        self.assertEqual(ref.pubmed_url(), "https://pubmed.ncbi.nlm.nih.gov/21645333/")

    def test_form_validation_names_the_problem(self):
        ref = make_reference()
        ref.doi, ref.pmid = "nonsense", "x1"
        with self.assertRaises(ValidationError) as caught:
            ref.full_clean()
        self.assertIn("doi", caught.exception.message_dict)
        self.assertIn("pmid", caught.exception.message_dict)


class ReviewDateTests(TestCase):
    def test_next_review_must_follow_last_review(self):
        article = make_article(
            last_reviewed_on=datetime.date(2026, 5, 1), next_review_due_on=datetime.date(2026, 4, 1)
        )
        with self.assertRaises(ValidationError) as caught:
            article.full_clean()
        self.assertIn("next_review_due_on", caught.exception.message_dict)

    def test_review_dates_are_never_set_automatically(self):
        article = make_article(last_reviewed_on=None, next_review_due_on=None)
        article.title = "Edited"
        article.save()
        article.refresh_from_db()
        self.assertIsNone(article.last_reviewed_on)
        self.assertIsNone(article.next_review_due_on)


class EvidenceTests(TestCase):
    def test_only_trials_count_as_trial_evidence(self):
        for level in TreatmentStrategy.Evidence.values:
            with self.subTest(level=level):
                strategy = make_strategy(evidence_level=level)
                self.assertEqual(strategy.has_trial_evidence(), level == "trials")


class SummaryTests(TestCase):
    def test_summary_longer_than_250_characters_is_refused(self):
        for make in (make_article, make_reference, make_strategy):
            item = make()
            item.summary = "x" * 251
            with self.subTest(kind=item.kind), self.assertRaises(ValidationError) as caught:
                item.full_clean()
            self.assertIn("summary", caught.exception.message_dict)
            item.summary = "x" * 250
            item.full_clean()

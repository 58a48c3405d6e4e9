"""The text rules shared by the publishing gate, search and the content tests."""

import socket

from django.test import SimpleTestCase, TestCase

from resources.content import claims, readability, safety
from resources.models import CrisisTerm


class ReadabilityTests(SimpleTestCase):
    def test_plain_words_score_lower_than_clinical_ones(self):
        plain = readability.grade("You may feel sad for a short time. Then it goes away.")
        clinical = readability.grade(
            "Dysphoric milk ejection reflex is a neuroendocrine phenomenon characterised "
            "by transient dysphoria preceding lactational letdown."
        )
        self.assertLess(plain, 3)
        self.assertGreater(clinical, 12)

    def test_a_table_row_and_a_heading_are_sentences_of_their_own(self):
        table = "## Mild\n\n| Level | Feeling |\n|---|---|\n| Mild | Sad |\n| Severe | Scared |"
        self.assertEqual(
            readability.sentences(table), "Mild. Level. Feeling. Mild. Sad. Severe. Scared."
        )

    def test_citations_and_links_are_not_counted_as_words(self):
        self.assertEqual(
            readability.sentences("It is brief [@heise2011; @x]. See [the page](/a/)"),
            "It is brief. See the page.",
        )

    def test_no_text_scores_zero(self):
        self.assertEqual(readability.grade(""), 0.0)

    def test_scoring_needs_no_network(self):
        def refuse(*args, **kwargs):
            raise OSError("network is off in this test")

        original = socket.socket.connect
        socket.socket.connect = refuse
        try:
            self.assertGreater(readability.grade("Breastfeeding mothers sometimes feel dread."), 0)
        finally:
            socket.socket.connect = original


class CrisisTermMatchingTests(TestCase):
    def test_the_seeded_terms_catch_how_pages_and_readers_say_it(self):
        terms = list(CrisisTerm.objects.values_list("phrase", flat=True))
        self.assertEqual(
            safety.matching_terms("Some mothers have passing thoughts of SUICIDE.", terms),
            ["suicide"],
        )
        said = safety.matching_terms("I dont want to be here", terms)
        self.assertIn("don't want to be here", said)
        self.assertIn("self-harm", safety.matching_terms("Self harm, or self-Harm", terms))

    def test_words_inside_other_words_do_not_match(self):
        self.assertEqual(safety.matching_terms("a suicidedog and harmyself", ["suicide"]), [])

    def test_pages_only_terms_are_marked(self):
        self.assertTrue(CrisisTerm.objects.get(phrase="severe d-mer").pages_only)
        self.assertFalse(CrisisTerm.objects.get(phrase="want to die").pages_only)


class UncitedFigureTests(SimpleTestCase):
    def test_each_kind_of_figure_needs_a_citation_in_its_paragraph(self):
        for sentence in (
            "About 6% of mothers have it.",
            "The dose was 50 mg a day.",
            "The survey had n = 12 mothers.",
            "About 1 in 16 mothers feel it.",
            "In all, 1,469 mothers answered.",
            "Twelve percent said so.",
        ):
            with self.subTest(sentence):
                self.assertEqual(claims.uncited_figures(sentence), [sentence])
                cited = f"{sentence} It was a survey [@nguyen2024]."
                self.assertEqual(claims.uncited_figures(cited), [])

    def test_a_citation_in_another_paragraph_does_not_count(self):
        text = "About 6% of mothers have it.\n\nA survey found this [@nguyen2024]."
        self.assertEqual(claims.uncited_figures(text), ["About 6% of mothers have it."])

    def test_sentences_without_figures_and_headings_pass(self):
        text = "## 3 things to try\n\nIt lasts a few minutes. Then it goes away."
        self.assertEqual(claims.uncited_figures(text), [])

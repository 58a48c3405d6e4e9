"""Search as frightened and puzzled readers use it, against a real Whoosh index."""

import re

from django.urls import reverse

from resources.models import CrisisTerm, Resource, SynonymGroup
from resources.search.crisis import crisis_terms_in

from .factories import make_article, make_crisis_line, make_reference, make_strategy
from .test_search import SearchTestCase, titles

API = "/api/v1/search/"


def crisis_box_before_first_result(html):
    box = html.find('id="search-crisis"')
    first = html.find('class="resource-title"')
    return box != -1 and (first == -1 or box < first)


class CrisisMatchingTests(SearchTestCase):
    """Phrasings that are not in the seed list, matched against the seeded phrases."""

    @classmethod
    def make_content(cls):
        pass

    READERS_IN_CRISIS = [
        "I Want 2 Die when breastfeeding",
        "kill my self",
        "Sucidal",
        "sucide after birth",
        "dont wanna be here anymore",
        "DON\u2019T WANT TO BE HERE ANYMORE",
        "thinking about ending my life",
        "selfharm while nursing",
        "i wish i were dead",
        "keep hurting my self",
    ]
    NOT_IN_CRISIS = [
        "want to diet while breastfeeding",
        "self care",
        "severe d-mer",  # pages only: describes pages, not a reader
        "killing time while pumping",
        "hurt my breast",
        "decide on weaning",
    ]

    def test_loose_phrasings_express_crisis(self):
        for text in self.READERS_IN_CRISIS:
            with self.subTest(text=text):
                self.assertTrue(crisis_terms_in(text), text)

    def test_ordinary_questions_do_not(self):
        for text in self.NOT_IN_CRISIS:
            with self.subTest(text=text):
                self.assertEqual(crisis_terms_in(text), [])

    def test_moderators_extend_the_phrases(self):
        self.assertEqual(crisis_terms_in("i cant go on"), [])
        CrisisTerm.objects.create(phrase="can't go on")
        self.assertEqual(crisis_terms_in("i cant go on"), ["can't go on"])
        CrisisTerm.objects.filter(phrase="can't go on").update(pages_only=True)
        self.assertEqual(crisis_terms_in("i cant go on"), [])


class CrisisSearchTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        cls.severe = make_article(
            title="Severe D-MER and thoughts of suicide",
            body="Severe D-MER can bring passing thoughts of suicide. Help is available.",
            topics=["Suicidal thoughts", "Severe D-MER"],
            crisis_help=True,
        )
        cls.pumping = make_article(
            title="D-MER when pumping",
            body="Some mothers say they want to die for a moment when breastfeeding or "
            "pumping; the feeling passes when the milk flows.",
            topics=["Pumping"],
        )
        make_article(title="Unrelated page", body="Sleep and naps.", crisis_help=True)
        make_crisis_line()

    def test_crisis_box_first_and_the_severe_page_first(self):
        for text in ("i want to die when breastfeeding", "Want 2 die", "suicide", "sucidal"):
            with self.subTest(text=text):
                response = self.search(q=text)
                html = response.content.decode()
                self.assertTrue(crisis_box_before_first_result(html), text)
                self.assertIn('href="tel:988"', html.split('id="search-crisis"')[1][:3000])
                self.assertEqual(titles(response)[0], self.severe.title)
                self.assertEqual(titles(response).count(self.severe.title), 1)

    def test_whatever_the_hit_count(self):
        response = self.search(q="kill my self zzqqx")  # no page holds these words
        html = response.content.decode()
        self.assertTrue(crisis_box_before_first_result(html))
        self.assertEqual(titles(response), [self.severe.title])

    def test_ordinary_search_shows_no_crisis_box(self):
        html = self.search(q="pumping").content.decode()
        self.assertNotIn('id="search-crisis"', html)
        self.assertEqual(titles(self.search(q="pumping"))[0], "D-MER when pumping")

    def test_api_carries_the_signal(self):
        data = self.client.get(API, {"q": "I don't wanna be here anymore"}).json()
        self.assertTrue(data["crisis"]["detected"])
        self.assertEqual(data["crisis"]["lines"][0]["dial"], "988")
        self.assertTrue(data["crisis"]["help_url"].endswith("/help-now/"))
        self.assertEqual(data["results"][0]["title"], self.severe.title)
        self.assertEqual(data["results"][0]["promoted"], "crisis")
        calm = self.client.get(API, {"q": "pumping"}).json()
        self.assertEqual(calm["crisis"], {"detected": False, "lines": [], "help_url": None})


class LayQuestionTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        cls.common = make_article(
            title="How common is D-MER?",
            body="About one in ten who answered a survey reported it.",
            questions="How many mothers get D-MER?\nIs it rare?",
        )
        make_article(
            title="Mothers' stories",
            body="Many mothers get help from forums; how they cope differs. D-MER varies.",
        )
        cls.head = make_article(
            title="What D-MER is not",
            body="It is not a mental illness and not a sign of bad mothering.",
            questions="Is it all in my head?",
        )
        make_article(title="Headaches when nursing", body="A headache may have many causes.")
        cls.medicines = make_article(
            title="Medicines for mothers",
            body="Some mothers are prescribed a medicine; talk to a clinician.",
            questions="Can I take antidepressants while breastfeeding?",
        )
        make_reference(
            title="Antidepressant use in lactation",
            supports="Antidepressants while breastfeeding: a review of the data.",
        )
        SynonymGroup.objects.create(terms="D-MER\nDMER")

    def test_the_page_answering_the_question_comes_first(self):
        cases = {
            "how many mothers get dmer": self.common,
            "is it all in my head": self.head,
            "can i take antidepressants while breastfeeding": self.medicines,
        }
        for text, page in cases.items():
            with self.subTest(text=text):
                self.assertEqual(titles(self.search(q=text))[0], page.title)

    def test_subject_words_still_find_pages_when_nothing_else_does(self):
        response = self.search(q="who discovered dmer")  # no page says "discovered"
        self.assertNotIn("Nothing was found", response.content.decode())
        self.assertIn(self.common.title, titles(response))

    def test_a_question_added_later_is_found_without_a_deploy(self):
        self.assertNotEqual(titles(self.search(q="will it pass"))[:1], [self.common.title])
        self.common.questions += "\nWill it pass?"
        self.common.save()
        from .search_helpers import sync

        sync()
        self.assertEqual(titles(self.search(q="will it pass"))[0], self.common.title)


class FoldingSnippetTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        cls.ureno = make_reference(
            title="A case series from Spain",
            authors="Ureño A\nGarcía B",
            supports="Describes three mothers with dysphoria at letdown.",
        )
        cls.zahler = make_reference(
            title="Dysphoric milk ejection reflex: a case series",
            authors="Zahler-Miller C",
            container_title="Breastfeeding Medicine",
            year=2024,
            doi="10.1089/bfm.2023.0241",
            supports="Shows that dysphoric milk ejection reflex can be severe, a sadness at "
            "letdown.",
        )
        cls.explainer = make_article(
            title="What is D-MER?",
            body="Dysphoric milk ejection reflex is a wave of sadness at letdown.",
        )
        make_article(title="Hormones", body="Estrogen and prolactin change after birth.")
        SynonymGroup.objects.create(terms="oestrogen\nestrogen")

    def test_accents_fold_both_ways(self):
        self.assertEqual(titles(self.search(q="Ureno")), [self.ureno.title])
        self.assertEqual(titles(self.search(q="ureño")), [self.ureno.title])
        self.assertEqual(titles(self.search(q="GARCIA")), [self.ureno.title])

    def test_british_spelling_through_synonyms(self):
        self.assertEqual(titles(self.search(q="oestrogen")), ["Hormones"])

    def test_explainer_before_reference_but_author_finds_the_reference(self):
        self.assertEqual(titles(self.search(q="sadness at letdown"))[0], "What is D-MER?")
        self.assertEqual(titles(self.search(q="ejection reflex case series"))[0], self.zahler.title)
        self.assertEqual(titles(self.search(q="zahler-miller"))[0], self.zahler.title)
        self.assertEqual(titles(self.search(q="breastfeeding medicine"))[0], self.zahler.title)

    def test_snippets_are_readable_and_say_what_a_reference_supports(self):
        html = self.search(q="dysphoric milk ejection").content.decode()
        items = re.findall(r"<li>\s*<p class=\"kind\">Reference</p>(.*?)</li>", html, re.S)
        snippet = re.sub(r"</?mark>", "", items[0])
        for dump in ("Zahler-Miller C", "Breastfeeding Medicine", "10.1089"):
            self.assertNotIn(dump, snippet)
        self.assertIn("can be severe", snippet)
        self.assertIn("<mark>Dysphoric</mark> <mark>milk</mark> <mark>ejection</mark>", html)


class CorrectionTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        make_article(title="Dysphoric milk ejection reflex", body="A wave of sadness.")
        make_reference(title="Milk supply review", supports="Milk volume over months.")

    def test_confident_correction_runs(self):
        response = self.search(q="dysforic milk")
        html = response.content.decode()
        self.assertIn("Showing results for <strong>dysphoric milk</strong>", html)
        self.assertEqual(titles(response), ["Dysphoric milk ejection reflex"])
        self.assertIn("as_typed=1", html)
        as_typed = self.search(q="dysforic milk", as_typed="1")
        self.assertIn("Did you mean", as_typed.content.decode())
        self.assertIn("Milk supply review", titles(as_typed))


class PinnedPageTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        from django.contrib.contenttypes.models import ContentType

        from resources.models import PinnedPage

        cls.back = make_strategy(title="Going back to work", description="Plans for pumping.")
        cls.draft = make_article(title="Draft work plan", status=Resource.Status.DRAFT)
        make_article(title="Work and pumping", body="Work work work, pumping at work.")
        for page in (cls.back, cls.draft):
            PinnedPage.objects.create(
                query="Work?", content_type=ContentType.objects.get_for_model(page),
                object_id=page.pk,
            )  # fmt: skip

    def test_pinned_page_comes_first_for_its_query_in_any_spelling(self):
        for text in ("work", "WORK!", "Work?"):
            with self.subTest(text=text):
                response = self.search(q=text)
                self.assertEqual(titles(response)[0], "Going back to work")
                self.assertIn("Editor\u2019s pick", response.content.decode())
        self.assertNotIn("Draft work plan", titles(self.search(q="work")))
        self.assertNotIn("Editor\u2019s pick", self.search(q="pumping").content.decode())


class BadPinTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        pass

    def test_pin_without_a_query_is_refused_below_the_admin(self):
        from django.contrib.contenttypes.models import ContentType
        from django.core.exceptions import ValidationError

        from resources.models import Article, PinnedPage

        kind = ContentType.objects.get_for_model(Article)
        with self.assertRaises(ValidationError):
            PinnedPage.objects.create(query=" ?! ", content_type=kind, object_id=1)
        self.assertEqual(PinnedPage.objects.count(), 0)

    def test_suggest_route_still_answers(self):
        self.assertEqual(self.client.get(reverse("search:suggest"), {"q": "wo"}).status_code, 200)

"""BibTeX and RIS exports parse back, with a real parser, to the same record."""

import bibtexparser
import rispy
from django.test import TestCase
from django.urls import reverse

from resources.models import Reference, Resource

from .factories import make_reference


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_reference(
            key="ureno2018",
            title="Dysphoric Milk Ejection Reflex: A Case Series",
            authors="Ureño TL\nBerry-Cabán CS",
            authors_incomplete=True,
            container_title="Breastfeeding Medicine",
            year=2018,
            volume="13",
            issue="1",
            pages="85-88",
            doi="10.1089/bfm.2017.0086",
            pmid="29115857",
        )
        cls.book = make_reference(
            key="heise2017",
            title="Before The Letdown: D-MER & the Breastfeeding Mother",
            ref_type=Reference.Type.BOOK,
            authors="Heise AM",
            year=2017,
            isbn="9781370081585",
            peer_reviewed=False,
        )
        cls.org = make_reference(
            key="lactmed",
            title="Naltrexone",
            ref_type=Reference.Type.DATABASE,
            authors="",
            container_title="Drugs and Lactation Database (LactMed)",
            url="https://www.drugs.com/breastfeeding/naltrexone.html",
            peer_reviewed=None,
        )

    def test_bibtex_round_trips(self):
        library = bibtexparser.parse_string(self.article.bibtex())
        self.assertEqual(library.failed_blocks, [])
        (entry,) = library.entries
        self.assertEqual(entry.entry_type, "article")
        self.assertEqual(entry.key, "ureno2018")
        self.assertEqual(entry["doi"], "10.1089/bfm.2017.0086")
        self.assertEqual(entry["journal"], "Breastfeeding Medicine")
        self.assertEqual(entry["pages"], "85--88")
        self.assertEqual(entry["author"], "Ureño, T. L. and Berry-Cabán, C. S. and others")
        self.assertIn("A Case Series", entry["title"])

    def test_bibtex_escapes_special_characters(self):
        library = bibtexparser.parse_string(self.book.bibtex())
        (entry,) = library.entries
        self.assertEqual(entry.entry_type, "book")
        self.assertIn(r"D-MER \& the", entry["title"])
        self.assertEqual(entry["isbn"], "9781370081585")

    def test_ris_round_trips(self):
        (record,) = rispy.loads(self.article.ris())
        self.assertEqual(record["type_of_reference"], "JOUR")
        self.assertEqual(record["authors"], ["Ureño, T.L.", "Berry-Cabán, C.S."])
        self.assertEqual(record["title"], self.article.title)
        self.assertEqual(record["start_page"], "85")
        self.assertEqual(record["end_page"], "88")
        self.assertEqual(record["doi"], "10.1089/bfm.2017.0086")
        self.assertEqual(record["year"], "2018")

    def test_ris_of_a_database_entry_without_authors(self):
        (record,) = rispy.loads(self.org.ris())
        self.assertEqual(record["type_of_reference"], "DBASE")
        self.assertNotIn("authors", record)
        self.assertEqual(record["urls"], [self.org.url])

    def test_formatted_citation(self):
        self.assertEqual(
            self.article.citation(),
            "Ureño TL, Berry-Cabán CS, et al. Dysphoric Milk Ejection Reflex: A Case Series. "
            "Breastfeeding Medicine. 2018;13(1):85-88. doi:10.1089/bfm.2017.0086. "
            "PMID: 29115857.",
        )

    def test_download_endpoints_serve_files(self):
        response = self.client.get(reverse("resources:reference_bibtex", args=[self.article.slug]))
        self.assertEqual(response["Content-Type"], "application/x-bibtex; charset=utf-8")
        self.assertIn('filename="ureno2018.bib"', response["Content-Disposition"])
        self.assertEqual(
            bibtexparser.parse_string(response.content.decode()).entries[0].key, "ureno2018"
        )
        response = self.client.get(reverse("resources:reference_ris", args=[self.article.slug]))
        self.assertEqual(rispy.loads(response.content.decode())[0]["doi"], self.article.doi)

    def test_unpublished_reference_cannot_be_downloaded(self):
        draft = make_reference(status=Resource.Status.DRAFT)
        for name in ("resources:reference_bibtex", "resources:reference_ris"):
            response = self.client.get(reverse(name, args=[draft.slug]))
            self.assertEqual(response.status_code, 404)


RIS_WITH_EDITORS = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}


def parse_ris(text):
    """RIS as a reference manager reads it, with ED (editor) read as a list of names."""
    return rispy.loads(text, mapping=RIS_WITH_EDITORS, list_tags=[*rispy.LIST_TYPE_TAGS, "ED"])


class EditorsAndUnknownAuthorsTests(TestCase):
    """An edited book names its editor as editor; unseen authors never look anonymous."""

    @classmethod
    def setUpTestData(cls):
        cls.edited = make_reference(
            key="ldnbook3",
            title="The LDN Book 3",
            ref_type=Reference.Type.BOOK,
            authors="",
            editors="Elsegood L",
            year=2022,
            url="https://www.everand.com/book/630786131/",
            peer_reviewed=False,
        )
        cls.unseen = make_reference(
            key="clinlact2018",
            title="The Mystery of D-MER: What Can Hormonal Research Tell Us About "
            "Dysphoric Milk-Ejection Reflex?",
            authors="",
            authors_incomplete=True,
            container_title="Clinical Lactation",
            publisher="Springer Publishing",
            year=2018,
            volume="9",
            issue="1",
        )
        cls.database = make_reference(
            key="lactmed-bupropion",
            title="Bupropion",
            ref_type=Reference.Type.DATABASE,
            authors="",
            container_title="Drugs and Lactation Database (LactMed®)",
            publisher="Bethesda (MD): National Institute of Child Health and Human Development",
            year=2006,
            url="https://www.ncbi.nlm.nih.gov/books/NBK501184/",
            peer_reviewed=None,
        )
        cls.slides = make_reference(
            key="shukhman-slides",
            title="Low-Dose Naltrexone for Treatment of Psychiatric Disorders",
            ref_type=Reference.Type.SLIDES,
            authors="Shukhman M",
            url="https://doczz.net/doc/2252764/",
            peer_reviewed=False,
        )

    def test_edited_book_citation_names_the_editor_not_an_author(self):
        self.assertEqual(
            self.edited.citation(),
            "Elsegood L, editor. The LDN Book 3. 2022. "
            "Available from: https://www.everand.com/book/630786131/",
        )

    def test_two_editors_are_editors(self):
        self.edited.editors = "Elsegood L\nDickson S"
        self.assertTrue(self.edited.citation().startswith("Elsegood L, Dickson S, editors. "))

    def test_edited_book_bibtex_has_an_editor_and_no_author(self):
        (entry,) = bibtexparser.parse_string(self.edited.bibtex()).entries
        self.assertEqual(entry.entry_type, "book")
        self.assertEqual(entry["editor"], "Elsegood, L.")
        self.assertNotIn("author", entry.fields_dict)

    def test_edited_book_ris_has_ed_and_no_au(self):
        (record,) = parse_ris(self.edited.ris())
        self.assertEqual(record["editors"], ["Elsegood, L."])
        self.assertNotIn("authors", record)
        self.assertIn("ED  - Elsegood, L.\r\n", self.edited.ris())

    def test_unseen_authors_are_marked_in_the_citation_and_both_exports(self):
        citation = self.unseen.citation()
        self.assertTrue(citation.startswith("[authors not confirmed]. The Mystery of D-MER"))
        (entry,) = bibtexparser.parse_string(self.unseen.bibtex()).entries
        self.assertEqual(entry["note"], "Authors not confirmed")
        self.assertNotIn("author", entry.fields_dict)
        (record,) = parse_ris(self.unseen.ris())
        self.assertEqual(record["notes"], ["Authors not confirmed"])

    def test_a_journal_article_with_no_authors_recorded_is_never_anonymous(self):
        self.unseen.authors_incomplete = False
        self.assertTrue(self.unseen.citation().startswith("[authors not confirmed]."))

    def test_a_title_ending_in_a_question_mark_gets_no_extra_full_stop(self):
        citation = self.unseen.citation()
        self.assertIn("Dysphoric Milk-Ejection Reflex? Clinical Lactation.", citation)
        self.assertNotIn("?.", citation)

    def test_publisher_without_a_date_leaves_no_dangling_semicolon(self):
        self.database.year = None
        citation = self.database.citation()
        self.assertIn("Child Health and Human Development. Available from:", citation)
        self.assertNotIn(";", citation.replace("(MD):", ""))

    def test_database_entry_in_full_vancouver_form(self):
        self.assertEqual(
            self.database.citation(),
            "Bupropion. In: Drugs and Lactation Database (LactMed®) [Internet]. "
            "Bethesda (MD): National Institute of Child Health and Human Development; 2006\u2013. "
            "Available from: https://www.ncbi.nlm.nih.gov/books/NBK501184/",
        )
        # A database is cited by its title: no author marker.
        self.assertNotIn("not confirmed", self.database.citation())

    def test_an_organisation_keeps_its_whole_name_and_a_lone_family_name_is_a_person(self):
        self.unseen.authors = "Health On the Net Foundation"
        self.unseen.authors_incomplete = False
        self.assertIn("author = {{Health On the Net Foundation}},", self.unseen.bibtex())
        self.unseen.authors_incomplete = True
        self.unseen.authors = "Cox"
        (entry,) = bibtexparser.parse_string(self.unseen.bibtex()).entries
        self.assertEqual(entry["author"], "Cox and others")

    def test_an_open_page_range_exports_its_start_page(self):
        self.unseen.pages = "16-"
        self.assertIn(":16-.", self.unseen.citation())
        (entry,) = bibtexparser.parse_string(self.unseen.bibtex()).entries
        self.assertEqual(entry["pages"], "16")
        (record,) = parse_ris(self.unseen.ris())
        self.assertEqual(record["start_page"], "16")
        self.assertNotIn("end_page", record)

    def test_undated_slide_deck_is_not_a_conference_talk(self):
        self.assertEqual(
            self.slides.citation(),
            "Shukhman M. Low-Dose Naltrexone for Treatment of Psychiatric Disorders "
            "[slide deck, undated]. Available from: https://doczz.net/doc/2252764/",
        )
        (entry,) = bibtexparser.parse_string(self.slides.bibtex()).entries
        self.assertEqual(entry.entry_type, "misc")
        self.assertEqual(entry["howpublished"], "Slide deck")
        self.assertEqual(entry["note"], "Undated slide deck")
        (record,) = parse_ris(self.slides.ris())
        self.assertEqual(record["type_of_reference"], "SLIDE")
        self.assertNotIn("booktitle", entry.fields_dict)

    def test_reference_page_lists_the_editor_and_unconfirmed_authors(self):
        html = self.client.get(self.edited.get_absolute_url()).content.decode()
        self.assertIn("<dt>Editor</dt><dd>Elsegood L</dd>", html)
        html = self.client.get(self.unseen.get_absolute_url()).content.decode()
        self.assertIn("<dt>Authors</dt><dd>Not confirmed</dd>", html)

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

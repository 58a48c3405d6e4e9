"""Search insights: anonymous counts per query and day, the report, and its one-click fixes."""

import datetime

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from resources.models import PinnedPage, SearchQueryDay

from .factories import ensure_roles, make_article, make_staff
from .test_search import SearchTestCase, titles

SEEN = reverse("search:seen")
OPEN = reverse("search:open")
REPORT = reverse("admin:resources_searchqueryday_changelist")
FIX = reverse("admin:resources_searchqueryday_fix")


def counts(query):
    row = SearchQueryDay.objects.get(query=query)
    return row.searches, row.zero_hits, row.opens


class CountingTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        cls.page = make_article(title="Pumping at work", body="Pumping at work, step by step.")

    def test_results_page_carries_the_beacon_and_counting_links(self):
        html = self.search(q="Pumping").content.decode()
        self.assertIn(f'<img src="{SEEN}?q=Pumping&amp;hits=1"', html)
        self.assertIn(f'href="{OPEN}?q=Pumping&amp;to=a{self.page.pk}"', html)
        self.assertEqual(SearchQueryDay.objects.count(), 0)  # rendering counts nothing

    def test_beacon_and_opening_count_per_folded_query(self):
        self.assertEqual(self.client.get(SEEN, {"q": "Pumping!", "hits": "1"}).status_code, 204)
        self.client.get(SEEN, {"q": "pumping", "hits": "1"})
        self.client.get(SEEN, {"q": "pumpnig", "hits": "0"})
        response = self.client.get(OPEN, {"q": "PUMPING", "to": f"a{self.page.pk}"})
        self.assertRedirects(response, self.page.get_absolute_url())
        self.assertEqual(counts("pumping"), (2, 0, 1))
        self.assertEqual(counts("pumpnig"), (1, 1, 0))
        self.assertIn("no-store", response["Cache-Control"])

    def test_nothing_personal_is_stored(self):
        names = {f.name for f in SearchQueryDay._meta.get_fields()}
        self.assertEqual(names, {"id", "query", "day", "searches", "zero_hits", "opens"})

    def test_bad_input_gets_a_clear_answer(self):
        for to in ("", "x1", "a", "a99999", "https://evil.example/", "a1/../../x"):
            with self.subTest(to=to):
                self.assertEqual(self.client.get(OPEN, {"q": "x", "to": to}).status_code, 404)
        for hits in ("", "-1", "abc", "9" * 50):
            self.assertEqual(self.client.get(SEEN, {"q": "x", "hits": hits}).status_code, 204)
        self.assertEqual(SearchQueryDay.objects.count(), 0)

    @override_settings(SEARCH_INSIGHTS_DAYS=30)
    def test_old_days_are_pruned_by_the_command(self):
        today = timezone.localdate()
        SearchQueryDay.objects.create(query="old", day=today - datetime.timedelta(days=31))
        SearchQueryDay.objects.create(query="recent", day=today - datetime.timedelta(days=29))
        call_command("prune_search_insights", verbosity=0)
        self.assertEqual(list(SearchQueryDay.objects.values_list("query", flat=True)), ["recent"])


class ReportTests(SearchTestCase):
    @classmethod
    def make_content(cls):
        ensure_roles()
        cls.moderator = make_staff("mod", "Moderators")
        cls.editor = make_staff("ed", "Editors")
        cls.page = make_article(title="Back to work", body="Pumping at work, and breaks.")
        today = timezone.localdate()
        SearchQueryDay.objects.create(query="fine", day=today, searches=50, opens=50)
        SearchQueryDay.objects.create(query="work breaks", day=today, searches=9, opens=0)
        SearchQueryDay.objects.create(query="zzz", day=today, searches=20, zero_hits=20)

    def test_worst_first_with_fixes(self):
        self.client.force_login(self.moderator)
        html = self.client.get(REPORT).content.decode()
        order = [html.find(f">{q}</a>") for q in ("zzz", "work breaks", "fine")]
        self.assertTrue(0 < order[0] < order[1] < order[2], order)
        self.assertIn("Add a synonym group", html)
        self.assertIn(f'value="a{self.page.pk}"', html)  # a page the query finds, to pin

    def test_one_click_pin_then_search_shows_it_first(self):
        make_article(title="Breaks at work, many of them", body="Work breaks work breaks.")
        from .search_helpers import sync

        sync()
        self.client.force_login(self.moderator)
        self.client.post(FIX, {"query": "work breaks", "to": f"a{self.page.pk}", "fix": "pin"})
        self.assertEqual(PinnedPage.objects.get().page, self.page)
        self.client.logout()
        self.assertEqual(titles(self.search(q="Work breaks"))[0], "Back to work")

    def test_one_click_question(self):
        self.client.force_login(self.moderator)
        self.client.post(FIX, {"query": "work breaks", "to": f"a{self.page.pk}", "fix": "question"})
        self.page.refresh_from_db()
        self.assertEqual(self.page.questions, "work breaks")
        self.client.post(FIX, {"query": "Work breaks", "to": f"a{self.page.pk}", "fix": "question"})
        self.page.refresh_from_db()
        self.assertEqual(self.page.questions, "work breaks")  # once only

    def test_synonym_fix_prefills_the_group(self):
        self.client.force_login(self.moderator)
        response = self.client.get(reverse("admin:resources_synonymgroup_add"), {"terms": "zzz"})
        self.assertContains(response, "\nzzz</textarea>")

    def test_editor_reads_but_cannot_pin(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(REPORT).status_code, 200)
        response = self.client.post(FIX, {"query": "zzz", "to": f"a{self.page.pk}", "fix": "pin"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(PinnedPage.objects.count(), 0)
        self.client.logout()
        self.assertEqual(self.client.get(REPORT).status_code, 302)  # to the login page

"""The admin home shows what needs attention, each count a link to the filtered list."""

import datetime
import re

from django.test import TestCase
from django.utils import timezone

from resources.models import Resource

from .factories import admin_url, make_article, make_moderator, make_reader

Status = Resource.Status


class DashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        today = timezone.localdate()
        cls.moderator = make_moderator()
        make_article(title="Waiting", status=Status.REVIEW)
        make_article(title="Overdue", next_review_due_on=today - datetime.timedelta(days=1))
        make_article(title="Soon", next_review_due_on=today + datetime.timedelta(days=10))
        make_article(title="Later", next_review_due_on=today + datetime.timedelta(days=300))
        make_article(
            title="Overdue draft",
            status=Status.DRAFT,
            next_review_due_on=today - datetime.timedelta(days=5),
        )

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_admin_home_counts_with_links(self):
        html = self.client.get(admin_url("index")).content.decode()
        self.assertIn("Needs attention", html)
        row = html[html.index('<th scope="row">Articles</th>') :].split("</tr>")[0]
        articles = admin_url("resources_article_changelist")
        self.assertIn(f'<a href="{articles}?status__exact=review">1</a>', row)
        self.assertIn(f'<a href="{articles}?review=overdue">1</a>', row)
        self.assertIn(f'<a href="{articles}?review=soon">1</a>', row)

    def test_filters_list_exactly_those_pages(self):
        def titles(query):
            html = self.client.get(
                admin_url("resources_article_changelist") + f"?{query}"
            ).content.decode()
            return set(re.findall(r'class="field-title"><a [^>]*>([^<]+)</a>', html))

        self.assertEqual(titles("review=overdue"), {"Overdue"})
        self.assertEqual(titles("review=soon"), {"Soon"})
        self.assertEqual(titles("status__exact=review"), {"Waiting"})

    def test_readers_never_see_the_dashboard(self):
        self.client.logout()
        response = self.client.get(admin_url("index"), follow=True)
        self.assertEqual(
            response.redirect_chain[0][0], admin_url("login") + "?next=" + admin_url("index")
        )
        self.assertContains(response, "Log in")
        self.assertNotContains(response, "Needs attention")
        self.client.force_login(make_reader())
        response = self.client.get(admin_url("index"), follow=True)
        self.assertNotContains(response, "Needs attention")
        self.assertNotContains(response, "In review")

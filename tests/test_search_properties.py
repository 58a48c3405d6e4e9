"""Property-based: whatever text and parameters arrive, the search page answers normally."""

import re

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from .factories import make_article
from .search_helpers import EngineMixin, on_every_engine, reset_index, sync

SLOW, ENGINES = HealthCheck.too_slow, HealthCheck.differing_executors
PARAMS = st.sampled_from(["q", "page", "kind", "topic", "evidence", "peer_review", "exact"])
TEXT = st.text(max_size=300) | st.sampled_from(
    ['"', "AND", "OR NOT", "*", "title:", "(", "a~", "[a TO", "\\", "-x", "^2", "<b>"]
)


@on_every_engine
class SearchNeverFailsTests(EngineMixin, TestCase):
    # One test body runs on every engine (a subclass per engine): that is the point, and an
    # example saved by one engine's failure is simply replayed on the other.
    @classmethod
    def setUpTestData(cls):
        reset_index()
        make_article(title="Dopamine", body="Dopamine falls at letdown.", topics=["Causes"])
        sync()

    @settings(max_examples=150, deadline=None, suppress_health_check=[SLOW, ENGINES])
    @given(st.dictionaries(PARAMS, TEXT, max_size=5))
    def test_search_page_answers_any_parameters(self, params):
        response = self.client.get(reverse("search:search"), params)
        self.assertIn(response.status_code, (200, 302))
        if response.status_code == 200:
            html = response.content.decode()
            self.assertEqual(len(re.findall(r"<h1[\s>]", html)), 1)
            body = html.split("</header>", 1)[1]
            self.assertNotIn("<b>", body)

    @settings(max_examples=60, deadline=None, suppress_health_check=[ENGINES])
    @given(TEXT)
    def test_suggestions_answer_any_text(self, text):
        response = self.client.get(reverse("search:suggest"), {"q": text})
        self.assertEqual(response.status_code, 200)
        self.assertIn("titles", response.json())

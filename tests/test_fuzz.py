"""No request gets a 500: every URL pattern, arbitrary path segments and query strings.

The patterns are read from the URL configuration itself, so a new page is fuzzed the day it
is added. Each pattern gets a few Hypothesis examples (a reader's, and a moderator's for
the admin); the test client re-raises any exception a view lets escape, so a failure
shows its traceback. Runs on SQLite and on PostgreSQL (`make test`).
"""

import re
from urllib.parse import quote, urlencode

from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from .factories import make_article, make_reference, make_strategy
from .search_helpers import reset_index, sync

CONVERTER = re.compile(r"<(?:(?P<type>[^>:]+):)?(?P<name>[^>]+)>")
NASTY = [
    "a²", "a" + "9" * 5000, "..", "%00", "\x00", "[", "http://[", "a%C2%B2", "é", "ω",
    "\u202e", "<script>", "'", '"', "-1", "0", "99999999999999999999", "1e9", " ", "a/b",
    "\\", "%", "%%", "~", ".bib", "a.ris", "what-is-d-mer", "causes",
]  # fmt: skip
SEGMENT = st.sampled_from(NASTY) | st.text(max_size=40)
PARAMS = st.sampled_from([
    "q", "page", "page_size", "kind", "topic", "evidence", "peer_review", "exact", "url",
    "format", "maxwidth", "maxheight", "type", "o", "p", "e", "a", "b", "_changelist_filters",
    "next", "status__exact", "all", "_popup", "_to_field", "term", "id__in",
]) | st.text(max_size=10)  # fmt: skip
VALUE = st.sampled_from(NASTY) | st.text(max_size=60)
QUERY = st.lists(st.tuples(PARAMS, VALUE), max_size=4)
RAW_QUERY = st.sampled_from(
    ["url=http%3A%2F%2F%5B", "url=http%3A%2F%2F%5B%3A%3A1", "q=%FF%FE", "page=%C2%B2", "a=%00"]
)


def routes(resolvers=None, prefix=""):
    """Every URL pattern as a route string ("articles/<slug:slug>/"), regexes included."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        text = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            yield prefix + text


def as_path(route, segments):
    """The route with each converter, and each regex group, replaced by a drawn segment."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)|\.\*", "<x>", route)
    values = iter(segments)
    return "/" + CONVERTER.sub(lambda m: quote(next(values), safe=""), route)


FUZZ = settings(
    max_examples=6, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)  # fmt: skip


class NoServerErrorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_index()
        reference = make_reference(key="heise2011", slug="heise-2011", topics=["Causes"])
        make_article(slug="what-is-d-mer", body="Cited [@heise2011].", topics=["Causes"])
        make_strategy(slug="low-dose-naltrexone", topics=["Treatment"])
        cls.reference = reference
        cls.moderator = User.objects.create_superuser("fuzz", "f@example.org", "pw-fuzz-123")
        sync()

    def check(self, path, query):
        response = self.client.get(path, QUERY_STRING=query)
        self.assertLess(response.status_code, 500, f"{path}?{query}")

    def test_every_url_pattern_is_fuzzed(self):
        public = [route for route in routes() if not route.startswith("admin/")]
        self.assertGreater(len(public), 30)
        self.assertIn("r/<str:code>", public)
        self.assertIn("oembed/", public)

    def test_reader_requests_never_fail(self):
        for route in sorted(set(routes())):
            with self.subTest(route=route):
                self.fuzz_route(route)

    def test_moderator_requests_never_fail(self):
        self.client.force_login(self.moderator)
        for route in sorted(r for r in set(routes()) if r.startswith("admin/")):
            with self.subTest(route=route):
                self.fuzz_route(route, examples=3)  # ninety admin routes: fewer each

    def fuzz_route(self, route, examples=6):
        @settings(FUZZ, max_examples=examples)
        @given(st.lists(SEGMENT, min_size=3, max_size=3), QUERY | RAW_QUERY)
        def run(segments, query):
            query = query if isinstance(query, str) else urlencode(query)
            self.check(as_path(route, segments), query)

        run()

    @settings(max_examples=40, deadline=None, database=None)
    @given(st.dictionaries(PARAMS | st.sampled_from(["message", "website", "form_token"]), VALUE))
    def test_suggestion_form_answers_any_post(self, data):
        response = self.client.post("/suggest/", data)
        self.assertIn(response.status_code, (200, 302, 429))

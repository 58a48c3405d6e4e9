"""The read-only JSON API: published content only, clear errors, caching, CORS, OpenAPI."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import TestCase
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from resources.api.openapi import schema
from resources.models import Article, Resource

from .factories import make_article
from .search_helpers import reset_index, sync

Status = Resource.Status


class ApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_index()
        call_command("seed", verbosity=0)
        cls.draft = make_article(title="Draft via API", slug="draft-api", status=Status.DRAFT)
        sync()

    def test_lists_are_paginated_and_published_only(self):
        published = Article.objects.published().count()
        self.assertGreater(published, 10)
        data = self.client.get("/api/v1/articles/", {"page_size": 5}).json()
        self.assertEqual(data["count"], published)
        self.assertEqual(len(data["results"]), 5)
        self.assertIsNone(data["previous"])
        self.assertIn("page=2", data["next"])
        every = self.client.get("/api/v1/articles/", {"page_size": 100}).json()["results"]
        self.assertNotIn("draft-api", [item["slug"] for item in every])
        pages = -(-published // 5)
        last = self.client.get("/api/v1/articles/", {"page_size": 5, "page": pages}).json()
        self.assertEqual(len(last["results"]), published - 5 * (pages - 1))
        self.assertIsNone(last["next"])

    def test_topic_filter(self):
        data = self.client.get("/api/v1/strategies/", {"topic": "low-dose-naltrexone"}).json()
        self.assertEqual([item["slug"] for item in data["results"]], ["low-dose-naltrexone"])

    def test_detail_has_html_sources_and_evidence(self):
        data = self.client.get("/api/v1/strategies/low-dose-naltrexone/").json()
        self.assertEqual(data["evidence_level"], "anecdote")
        self.assertFalse(data["tested_in_trials"])
        self.assertIn("no published evidence", data["html"]["description"])
        self.assertGreater(len(data["sources"]), 5)
        ref = self.client.get("/api/v1/references/heise-wiessinger-2011-case-report/").json()
        self.assertEqual(ref["doi"], "10.1186/1746-4358-6-6")
        self.assertEqual(ref["authors"], ["Heise AM", "Wiessinger D"])

    def test_hidden_and_unknown_resources_are_404_json(self):
        for url in (
            "/api/v1/articles/draft-api/",
            "/api/v1/articles/nope/",
            "/api/v1/widgets/",
            "/api/v1/widgets/x/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["error"]["code"], "not_found")

    def test_invalid_parameters_get_a_400_with_a_clear_error(self):
        cases = [
            ("/api/v1/articles/", {"page": "x"}, "page"),
            ("/api/v1/articles/", {"page": "0"}, "page"),
            ("/api/v1/articles/", {"page": "99"}, "page"),
            ("/api/v1/articles/", {"page_size": "1000"}, "page_size"),
            ("/api/v1/articles/", {"topic": "no-such-topic"}, "topic"),
            ("/api/v1/search/", {"q": "x", "kind": "<script>"}, "kind"),
            ("/api/v1/search/", {"q": "x" * 500}, "q"),
            ("/api/v1/search/", {"q": "x", "evidence": "proof"}, "evidence"),
        ]
        for url, params, param in cases:
            with self.subTest(params=params):
                response = self.client.get(url, params)
                self.assertEqual(response.status_code, 400)
                error = response.json()["error"]
                self.assertEqual((error["code"], error["param"]), ("invalid_parameter", param))
                self.assertTrue(error["message"])

    def test_search_has_the_same_filters_and_suggestions(self):
        data = self.client.get("/api/v1/search/", {"q": "naltrexone"}).json()
        self.assertGreater(data["count"], 3)
        kinds = {f["value"] for f in data["facets"]["kind"]}
        self.assertEqual(kinds, {"article", "treatmentstrategy", "reference"})
        narrowed = self.client.get(
            "/api/v1/search/", {"q": "naltrexone", "kind": "treatmentstrategy"}
        ).json()
        self.assertTrue(all(r["kind"] == "treatmentstrategy" for r in narrowed["results"]))
        typo = self.client.get("/api/v1/search/", {"q": "dopamne"}).json()
        self.assertEqual(typo["suggestion"], "dopamine")

    def test_conditional_get(self):
        url = "/api/v1/articles/what-is-d-mer/"
        first = self.client.get(url)
        self.assertTrue(first["ETag"])
        self.assertTrue(first["Last-Modified"])
        again = self.client.get(url, headers={"If-None-Match": first["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")

    def test_cors_and_read_only(self):
        response = self.client.get("/api/v1/topics/")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        preflight = self.client.options("/api/v1/articles/")
        self.assertEqual(preflight.status_code, 204)
        self.assertIn("GET", preflight["Access-Control-Allow-Methods"])
        post = self.client.post("/api/v1/articles/", {})
        self.assertEqual(post.status_code, 405)
        self.assertEqual(post.json()["error"]["code"], "method_not_allowed")

    def test_openapi_document_is_served_and_valid(self):
        served = self.client.get("/api/v1/openapi.json").json()
        validate(served)
        self.assertEqual(served["servers"], [{"url": "http://testserver/api/v1"}])


def test_openapi_document_validates():
    validate(schema("http://localhost/api/v1"))


DJANGO = get_wsgi_application()


def identity_encoding_app(environ, start_response):
    # Schemathesis's WSGI transport asks for gzip but does not decompress; gzip itself is
    # tested in test_production.py.
    environ.pop("HTTP_ACCEPT_ENCODING", None)
    return DJANGO(environ, start_response)


API = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", identity_encoding_app)


@pytest.fixture
def seeded(db):
    # As Django's test client does: keep the test transaction's connection open across the
    # WSGI requests schemathesis makes.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    reset_index()
    call_command("seed", verbosity=0)
    sync()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@API.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_errors_and_always_matches_its_schema(case, seeded):
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )

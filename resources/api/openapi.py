"""The API's OpenAPI 3.0 description, served at /api/v1/openapi.json."""

from ..models import RESOURCE_MODELS

KINDS = [model._meta.model_name for model in RESOURCE_MODELS]


def _param(name, description, schema, required=False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _json(ref):
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _error(description):
    return {"description": description, **_json("Error")}


PAGE = _param("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 100000})
PAGE_SIZE = _param(
    "page_size", "Items per page.", {"type": "integer", "minimum": 1, "maximum": 100}
)
TOPIC = _param("topic", "A topic slug from /topics/.", {"type": "string"})
NULLABLE_STRING = {"type": "string", "nullable": True}
COLLECTION = {
    "name": "collection",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": [model.collection for model in RESOURCE_MODELS]},
}


def schema(server):
    summary_props = {
        "kind": {"type": "string", "enum": KINDS},
        "title": {"type": "string"},
        "slug": {"type": "string"},
        "summary": {"type": "string", "maxLength": 250},
        "url": {"type": "string", "format": "uri"},
        "short_url": {"type": "string", "format": "uri"},
        "api_url": {"type": "string", "format": "uri"},
        "topics": {"type": "array", "items": {"type": "string"}},
        "updated_at": {"type": "string", "format": "date-time"},
        "last_reviewed_on": {"type": "string", "format": "date", "nullable": True},
        "next_review_due_on": {"type": "string", "format": "date", "nullable": True},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "D-MER Knowledge Base API",
            "version": "1.0.0",
            "description": "Read-only access to published articles, treatment strategies, "
            "references and topics, and to search. Responses carry an ETag; send "
            "If-None-Match to get 304 Not Modified. CORS is open for GET.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/": {
                "get": {
                    "summary": "Links to every collection",
                    "responses": {"200": {"description": "Links", **_json("Links")}},
                }
            },
            "/{collection}/": {
                "get": {
                    "summary": "A page of published resources of one kind",
                    "parameters": [
                        COLLECTION,
                        PAGE,
                        PAGE_SIZE,
                        TOPIC,
                    ],
                    "responses": {
                        "200": {"description": "A page", **_json("Page")},
                        "400": _error("Invalid parameter"),
                        "404": _error("Unknown collection"),
                    },
                }
            },
            "/{collection}/{slug}/": {
                "get": {
                    "summary": "One resource: published, or archived with a pointer to "
                    "its replacement. An old slug or a merged resource answers 301.",
                    "parameters": [
                        COLLECTION,
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {"description": "The resource", **_json("Resource")},
                        "301": {"description": "Moved: follow the Location header"},
                        "404": _error("Not found"),
                    },
                }
            },
            "/topics/": {
                "get": {
                    "summary": "Topics used by published resources",
                    "responses": {"200": {"description": "Topics", **_json("Topics")}},
                }
            },
            "/search/": {
                "get": {
                    "summary": "Search, with the same filters and suggestions as the site",
                    "parameters": [
                        _param("q", "Words to search for.", {"type": "string", "maxLength": 200}),
                        PAGE | {"schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                        _param("kind", "Kind of resource.", {"type": "string", "enum": KINDS}),
                        TOPIC,
                        _param(
                            "evidence",
                            "Evidence level of strategies.",
                            {
                                "type": "string",
                                "enum": ["anecdote", "case_reports", "observational", "trials"],
                            },
                        ),
                        _param(
                            "peer_review",
                            "Peer review of references.",
                            {"type": "string", "enum": ["yes", "no", "unconfirmed"]},
                        ),
                    ],
                    "responses": {
                        "200": {"description": "Results", **_json("SearchResults")},
                        "400": _error("Invalid parameter"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.0"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "param": {"type": "string"},
                            },
                        }
                    },
                },
                "Links": {"type": "object", "additionalProperties": {"type": "string"}},
                "Summary": {
                    "type": "object",
                    "required": list(summary_props),
                    "properties": summary_props,
                },
                "Page": {
                    "type": "object",
                    "required": ["count", "page", "page_size", "next", "previous", "results"],
                    "properties": {
                        "count": {"type": "integer"},
                        "page": {"type": "integer"},
                        "page_size": {"type": "integer"},
                        "next": NULLABLE_STRING,
                        "previous": NULLABLE_STRING,
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Summary"},
                        },
                    },
                },
                "Resource": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Summary"},
                        {
                            "type": "object",
                            "required": [
                                "created_at",
                                "html",
                                "sources",
                                "shows_crisis_help",
                                "archived",
                                "replaced_by",
                            ],
                            "properties": {
                                "archived": {
                                    "type": "boolean",
                                    "description": "Kept for old links; no longer reviewed.",
                                },
                                "replaced_by": {
                                    **NULLABLE_STRING,
                                    "description": "For an archived resource: the page "
                                    "that replaces it.",
                                },
                                "created_at": {"type": "string", "format": "date-time"},
                                "reviewed_by": NULLABLE_STRING,
                                "shows_crisis_help": {"type": "boolean"},
                                "html": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                                "sources": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["number", "key", "citation", "url"],
                                        "properties": {
                                            "number": {"type": "integer"},
                                            "key": {"type": "string"},
                                            "citation": {"type": "string"},
                                            "url": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                    ]
                },
                "Topics": {
                    "type": "object",
                    "required": ["results"],
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["slug", "name", "count", "url"],
                                "properties": {
                                    "slug": {"type": "string"},
                                    "name": {"type": "string"},
                                    "count": {"type": "integer"},
                                    "url": {"type": "string"},
                                },
                            },
                        }
                    },
                },
                "SearchResults": {
                    "type": "object",
                    "required": ["query", "count", "page", "suggestion", "results", "facets"],
                    "properties": {
                        "query": {"type": "string"},
                        "count": {"type": "integer"},
                        "page": {"type": "integer"},
                        "suggestion": NULLABLE_STRING,
                        "broadened": {"type": "boolean"},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["kind", "title", "summary", "url"],
                                "properties": {
                                    "kind": {"type": "string", "enum": KINDS},
                                    "title": {"type": "string"},
                                    "summary": {"type": "string"},
                                    "url": {"type": "string"},
                                },
                            },
                        },
                        "facets": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "value": {"type": "string"},
                                        "count": {"type": "integer"},
                                    },
                                },
                            },
                        },
                    },
                },
            }
        },
    }

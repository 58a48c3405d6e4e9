"""The one module that talks to the search engine (through Haystack)."""

import re
import unicodedata

from haystack.inputs import AutoQuery
from haystack.query import SearchQuerySet

MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """Control characters out, whitespace folded, length bounded."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUERY_LENGTH]


def run(query):
    return SearchQuerySet().filter(content=AutoQuery(query))[:10]

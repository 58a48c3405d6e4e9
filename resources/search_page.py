"""What the search page adds to an answer: crisis box, correction notice, counting links."""

from django.utils.http import urlencode

from . import search as engine
from .search_answer import SearchUnavailable, guarded, open_url, seen_url


def context(answer, text, filters, page_url):
    """Template context for the answer's extras; page_url(text, filters, page) builds links."""
    extra = {"crisis": bool(answer.crisis), "corrected_from": answer.corrected_from}
    if answer.corrected_from:
        extra["as_typed_url"] = page_url(text, filters, 1) + "&" + urlencode({"as_typed": 1})
        extra["corrected"] = answer.searched
    for result in answer.outcome.results:
        result.open_url = open_url(text, result.code) if text else result.url
    if text:
        extra["seen_url"] = seen_url(text, answer.outcome.hits)
    return extra


def autocomplete(text):
    """Titles for the search box; none (never an error) while the engine is down."""
    try:
        return guarded(engine.autocomplete, text)
    except SearchUnavailable:
        return []

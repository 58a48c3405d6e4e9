"""What the search page adds to an answer: crisis box, correction notice, counting links."""

from django.utils.http import urlencode

from . import query
from .answer import SearchUnavailable, guarded, open_url, seen_url


def context(answer, form):
    """Template context for the answer's extras (form: the page's SearchForm)."""
    text = form.text
    extra = {"crisis": bool(answer.crisis), "corrected_from": answer.corrected_from}
    if answer.corrected_from:
        extra["as_typed_url"] = form.url() + "&" + urlencode({"as_typed": 1})
        extra["corrected"] = answer.searched
    for result in answer.outcome.results:
        result.open_url = open_url(text, result.code) if text else result.url
    if text:
        extra["seen_url"] = seen_url(text, answer.outcome.hits)
    return extra


def autocomplete(text):
    """Titles for the search box; none (never an error) while the engine is down."""
    try:
        return guarded(query.autocomplete, text)
    except SearchUnavailable:
        return []

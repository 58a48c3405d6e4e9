"""What a search answers, above whichever engine runs it.

The engine (query.py and the backend behind it) finds pages for words. This layer
decides what the reader sees first, the same way for every backend and for both the
search page and the API:

1. a query expressing suicidal thoughts or self-harm (crisis.py) gets the crisis
   lines above everything and the crisis page as its first result, whatever the hits;
2. pages editors pinned for the query come next (models.search.PinnedPage);
3. a query with no hits whose correction has hits shows the corrected results, with a
   way back to the words as typed;
4. an engine that fails (index missing, locked or corrupt) raises SearchUnavailable, so
   the caller can answer 503 with a friendly page instead of a 500.
"""

import logging
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from ..models.search import pinned_pages
from . import query
from .crisis import crisis_pages, crisis_terms_in

log = logging.getLogger(__name__)
SHORT_PREFIX = {"article": "a", "treatmentstrategy": "s", "reference": "r"}


class SearchUnavailable(Exception):
    """The search engine cannot answer right now; the rest of the site can."""


@dataclass
class PageHit:
    """A promoted page shown like an engine result."""

    kind: str
    title: str
    url: str
    summary: str
    code: str
    promoted: str
    highlighted: dict = field(default_factory=dict)


@dataclass
class Answer:
    outcome: query.Outcome
    crisis: list = field(default_factory=list)
    corrected_from: str = ""
    searched: str = ""

    @property
    def results(self):
        return self.outcome.results


def guarded(call, *args, **kwargs):
    """Run an engine call; any failure of the engine becomes SearchUnavailable."""
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # Whoosh raises OSError, LockError, EmptyIndexError, struct.error…
        log.exception("Search engine failed")
        raise SearchUnavailable(str(exc)) from exc


def corrected_search(text, filters, page, as_typed=False):
    """(outcome, words searched): a confident correction runs when the words find nothing."""
    first = guarded(query.search, text, filters, page=page, broaden=False)
    if first.hits or not text:
        return first, text
    suggestion = first.suggestion
    if suggestion and not as_typed and query.normalise(suggestion) != query.normalise(text):
        fixed = guarded(query.search, suggestion, filters, page=page, broaden=False)
        if fixed.hits:
            fixed.suggestion = None
            return fixed, suggestion
    broad = guarded(query.search, text, filters, page=page)
    broad.suggestion = broad.suggestion or suggestion
    return broad, text


def as_hit(obj, promoted):
    kind = obj._meta.model_name
    return PageHit(kind, obj.title, obj.get_absolute_url(), obj.summary, code_of(obj), promoted)


def code_of(obj):
    return f"{SHORT_PREFIX[obj._meta.model_name]}{obj.pk}"


def promoted_pages(text, crisis):
    """Crisis pages (for a query in crisis), then editors' pins, each page once."""
    hits, seen = [], set()
    pages = [(page, "crisis") for page in crisis_pages()] if crisis else []
    pages += [(page, "pinned") for page in pinned_pages(text)]
    for page, reason in pages:
        if code_of(page) not in seen:
            seen.add(code_of(page))
            hits.append(as_hit(page, reason))
    return hits


def merge(promoted, outcome):
    """Promoted pages first; an engine result for the same page is dropped."""
    codes = {hit.code for hit in promoted}
    for result in outcome.results:
        result.code = f"{SHORT_PREFIX.get(result.model_name, '')}{result.pk}"
        result.promoted = ""
    rest = [result for result in outcome.results if result.code not in codes]
    added = len(promoted) - (len(outcome.results) - len(rest))
    outcome.results = promoted + rest
    outcome.hits += added


def answer(text, filters, page=1, as_typed=False):
    """The whole answer to a reader's search, whichever engine runs it."""
    crisis = crisis_terms_in(text) if text else []
    outcome, searched = corrected_search(text, filters, page, as_typed)
    if page == 1 and text and not filters.active():
        merge(promoted_pages(text, crisis), outcome)
    else:
        merge([], outcome)
    corrected_from = text if searched != text else ""
    return Answer(outcome, crisis, corrected_from, searched)


def open_url(text, code):
    """A result link that counts one opening for the query, then goes to the page."""
    return f"{reverse('search:open')}?{urlencode({'q': text, 'to': code})}"


def seen_url(text, hits):
    return f"{reverse('search:seen')}?{urlencode({'q': text, 'hits': hits})}"

"""Searching the knowledge base through Haystack's public API.

Nothing here knows which engine answers: the engines' specifics live in backends/.
"""

import logging
import re
from dataclasses import dataclass

from django.db.models import Q
from haystack.query import SearchQuerySet

from ..models import RESOURCE_MODELS, SynonymGroup
from ..models.topics import published_topics
from . import engine, words

log = logging.getLogger(__name__)
PER_PAGE = 10
MAX_ALTERNATIVES = 8


def normalise(text):
    """Lower case, hyphens and punctuation as spaces: 'Let-down?' -> 'let down'."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def alternatives(text, groups):
    """The query itself plus its rewrites through synonym groups."""
    base = normalise(text)
    found = [base]
    for group in groups:
        terms = [normalise(term) for term in group]
        for term in terms:
            pattern = rf"(?<!\w){re.escape(term)}(?!\w)"
            if term and re.search(pattern, base):
                for other in terms:
                    rewrite = re.sub(pattern, other, base)
                    if other != term and rewrite not in found:
                        found.append(rewrite)
    return found[:MAX_ALTERNATIVES]


def synonym_groups():
    return [group.term_list() for group in SynonymGroup.objects.all()]


def exact_match(text):
    """The published resource whose title or alias is exactly the query, if any."""
    wanted = normalise(text)
    if not wanted:
        return None
    for model in RESOURCE_MODELS:
        candidates = model.objects.published().filter(
            Q(title__iexact=text)
            | Q(title__iexact=text.rstrip("?") + "?")
            | Q(aliases__icontains=text)
        )
        for item in candidates:
            names = [item.title, *item.alias_list()]
            if any(normalise(name) == wanted for name in names):
                return item
    return None


@dataclass
class Outcome:
    results: list
    hits: int
    facets: dict
    suggestion: str | None
    broadened: bool = False


def _run(sqs, offset, spelling_query):
    query = sqs.query
    query.set_limits(offset, offset + PER_PAGE)
    query.run(spelling_query=spelling_query)
    return Outcome(
        results=list(query.get_results()),
        hits=query.get_count(),
        facets=(query.get_facet_counts() or {}).get("fields", {}),
        suggestion=query.get_spelling_suggestion(),
    )


def base_queryset(filters):
    """Every facet counted, the filters applied (``filters``: a search form's Filters)."""
    sqs = SearchQuerySet().highlight()
    for name in filters.facet_fields:
        sqs = sqs.facet(name)
    return filters.apply(sqs)


def search(text, filters, page=1, groups=None, broaden=True):
    """Run a reader's search: all words first, any word if that finds nothing."""
    groups = synonym_groups() if groups is None else groups
    offset = (page - 1) * PER_PAGE
    sqs = base_queryset(filters)
    if not normalise(text):  # nothing but punctuation or operators: not a query
        text = ""
    if not text:
        if not filters.active():
            return Outcome([], 0, {}, None)
        # The filters alone are the query: only their postings are read, never every doc.
        return _run(sqs, offset, None)

    # Titles and questions are in the document text too; matching them again lifts pages
    # whose title or questions hold the words (words.py drops the filler).
    wordings = alternatives(text, groups)
    outcome = _run(sqs.filter(words.every_word(wordings)), offset, text)
    if outcome.hits or page > 1 or not broaden:
        return outcome

    broad = _run(sqs.filter(words.any_word(wordings)), offset, None)
    if not broad.hits and words.drops_subject(wordings):  # "who discovered d-mer"
        broad = _run(sqs.filter(words.any_word(wordings, subject=True)), offset, None)
    broad.suggestion = outcome.suggestion
    broad.broadened = bool(broad.hits)
    return broad


_popular = {}


def popular_topics(limit=12):
    """The most used published topics, computed once per index generation.

    Topic counts only change when the index does (every publish, edit or retag is applied
    to it), so the index's generation is a free and exact cache key.
    """

    generation = engine.generation()
    if generation is None or generation not in _popular:
        topics = sorted(published_topics(), key=lambda t: (-t.resource_count, t.name))[:limit]
        if generation is None:
            return topics
        _popular.clear()
        _popular[generation] = topics
    return _popular[generation]


def autocomplete(text, limit=6):
    sqs = SearchQuerySet().autocomplete(title_auto=text)[:limit]
    return [{"title": r.title, "url": r.url, "kind": r.kind} for r in sqs]


def related(obj, limit=5):
    """Pages like this one; none while the engine is down (the page renders without them)."""
    try:
        return list(SearchQuerySet().more_like_this(obj)[:limit])
    except Exception:  # any engine failure: missing, locked or corrupt index
        log.exception("Related pages unavailable")
        return []

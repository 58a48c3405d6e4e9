"""The one seam to the search engine's optional capabilities, each with a fallback.

Our two backends (``backends/whoosh.py``, ``backends/postgres.py``) offer all of them. Any
other Haystack engine (Elasticsearch, Solr) still works without them: the fallback is
slower or coarser, never wrong. Nothing else in the project asks the backend what it can do.
"""

from contextlib import nullcontext

from haystack import connections
from haystack.query import SearchQuerySet


def backend(using="default"):
    return connections[using].get_backend()


def generation(using="default"):
    """A value that changes whenever the index is written, or None if the engine cannot say."""
    engine = backend(using)
    return engine.generation() if hasattr(engine, "generation") else None


def document_count(using="default"):
    engine = backend(using)
    if hasattr(engine, "document_count"):
        return engine.document_count()
    if hasattr(engine, "searcher"):
        return engine.searcher().doc_count()
    return SearchQuerySet(using=using).count()


def published_count(using="default"):
    """How many documents the index should hold: every resource its indexes publish."""
    unified = connections[using].get_unified_index()
    return sum(index.index_queryset(using=using).count() for index in unified.collect_indexes())


def stored_fingerprints(using="default"):
    """{document id: fingerprint} for every document in the index."""
    engine = backend(using)
    if hasattr(engine, "stored_documents"):
        return {key: doc.get("fingerprint") for key, doc in engine.stored_documents().items()}
    return {result.id: result.fingerprint for result in SearchQuerySet(using=using).all()}


def write_lock(using="default"):
    """Serialises index writers across processes where the engine can (a context manager)."""
    engine = backend(using)
    return engine.write_lock() if hasattr(engine, "write_lock") else nullcontext()


def remove_many(identifiers, using="default"):
    engine = backend(using)
    if hasattr(engine, "remove_many"):
        engine.remove_many(identifiers)
        return
    for identifier in identifiers:
        engine.remove(identifier)

"""Does the search index show exactly the published resources, as they are now?"""

from haystack import connections
from haystack.constants import ID

from ..models import PendingIndexUpdate
from . import engine


def expected_documents(using="default"):
    unified = connections[using].get_unified_index()
    expected = {}
    for index in unified.collect_indexes():
        for obj in index.index_queryset(using=using).iterator(chunk_size=500):
            doc = index.full_prepare(obj)
            expected[doc[ID]] = doc["fingerprint"]
    return expected


def indexed_documents(using="default"):
    return engine.stored_fingerprints(using)


def compare(using="default"):
    expected = expected_documents(using)
    indexed = indexed_documents(using)
    return {
        "checked": len(expected),
        "indexed": len(indexed),
        "missing": sorted(set(expected) - set(indexed)),
        "ghost": sorted(set(indexed) - set(expected)),
        "stale": sorted(k for k in set(expected) & set(indexed) if expected[k] != indexed[k]),
        "pending": PendingIndexUpdate.objects.count(),
    }

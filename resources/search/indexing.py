"""Keeps the search index in step with the database.

Stock Haystack indexes inside the request, before commit, and loses what it cannot write
(see DEVELOPERS.md). Here every change to a resource, its topics or a topic's name
writes a ``PendingIndexUpdate`` row in the same transaction as the change. After the
commit, the queue is applied under a cross-process write lock: each object is re-read
from the database and its document written or removed. A rolled-back change leaves no
row; a process that dies after commit leaves its rows for the next writer, for
``manage.py search_sync``, or for ``make run`` at start-up.
"""

import logging
import uuid
from collections import defaultdict

from django.apps import apps
from django.utils import timezone
from haystack import connections
from haystack.exceptions import NotHandled

from ..models import PendingIndexUpdate
from . import engine

log = logging.getLogger(__name__)
BATCH = 500


def indexed_models():
    return connections["default"].get_unified_index().get_indexed_models()


def label_of(model):
    return model._meta.label_lower


def enqueue(model, pks):
    """Record (inside the caller's transaction) that these objects need re-indexing.

    signals.py then registers ``apply_after_commit`` once for the transaction.
    """
    now = timezone.now()
    rows = [
        PendingIndexUpdate(
            model_label=label_of(model), object_pk=str(pk), token=uuid.uuid4(), queued_at=now
        )
        for pk in pks
    ]
    if not rows:
        return False
    PendingIndexUpdate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["model_label", "object_pk"],
        update_fields=["token", "queued_at"],
    )
    return True


def apply_after_commit():
    # The change is committed and its queue row with it: a failure here loses nothing,
    # so it is logged for the operator instead of turning a saved edit into an error page.
    try:
        apply_pending()
    except Exception:
        log.exception("Search index update failed; pending rows kept for search_sync")


def apply_pending(using="default"):
    """Apply every queued update; returns how many objects were processed."""
    backend = engine.backend(using)
    done = 0
    while True:
        with engine.write_lock(using):
            processed = _apply_batch(backend, using)
        done += processed
        if processed < BATCH:
            return done


def _apply_batch(backend, using):
    rows = list(PendingIndexUpdate.objects.order_by("queued_at", "pk")[:BATCH])
    by_model = defaultdict(list)
    for row in rows:
        by_model[row.model_label].append(row.object_pk)
    unified = connections[using].get_unified_index()
    removals = []
    for label, pks in by_model.items():
        model = apps.get_model(label)
        try:
            index = unified.get_index(model)
        except NotHandled:
            continue
        visible = list(index.index_queryset(using=using).filter(pk__in=pks))
        if visible:
            backend.update(index, visible)
        shown = {str(obj.pk) for obj in visible}
        removals += [f"{label}.{pk}" for pk in pks if pk not in shown]
    if removals:
        engine.remove_many(removals, using)
    # Dequeue only rows nobody re-queued while we worked: their token is unchanged.
    for row in rows:
        PendingIndexUpdate.objects.filter(pk=row.pk, token=row.token).delete()
    return len(rows)

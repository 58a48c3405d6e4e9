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
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor
from taggit.models import Tag, TaggedItem

from .models import PendingIndexUpdate

log = logging.getLogger(__name__)
BATCH = 500


def indexed_models():
    return connections["default"].get_unified_index().get_indexed_models()


def label_of(model):
    return model._meta.label_lower


def enqueue(model, pks):
    """Record (inside the caller's transaction) that these objects need re-indexing."""
    now = timezone.now()
    rows = [
        PendingIndexUpdate(
            model_label=label_of(model), object_pk=str(pk), token=uuid.uuid4(), queued_at=now
        )
        for pk in pks
    ]
    if not rows:
        return
    PendingIndexUpdate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["model_label", "object_pk"],
        update_fields=["token", "queued_at"],
    )
    transaction.on_commit(apply_after_commit)


def apply_after_commit():
    # The change is committed and its queue row with it: a failure here loses nothing,
    # so it is logged for the operator instead of turning a saved edit into an error page.
    try:
        apply_pending()
    except Exception:
        log.exception("Search index update failed; pending rows kept for search_sync")


def apply_pending(using="default"):
    """Apply every queued update; returns how many objects were processed."""
    backend = connections[using].get_backend()
    lock = getattr(backend, "write_lock", None)
    done = 0
    while True:
        if lock is None:
            processed = _apply_batch(backend, using)
        else:
            with lock():
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
        remove_many = getattr(backend, "remove_many", None)
        if remove_many:
            remove_many(removals)
        else:
            for identifier in removals:
                backend.remove(identifier)
    # Dequeue only rows nobody re-queued while we worked: their token is unchanged.
    for row in rows:
        PendingIndexUpdate.objects.filter(pk=row.pk, token=row.token).delete()
    return len(rows)


class QueuedSignalProcessor(BaseSignalProcessor):
    """Queues index updates for resources, their topic links and topic renames."""

    def receivers(self):
        pairs = [
            (signal, self.object_changed, model)
            for model in indexed_models()
            for signal in (post_save, post_delete)
        ]
        # A topic removed with its tag cascades to TaggedItem rows, queued one by one.
        pairs += [
            (post_save, self.tagging_changed, TaggedItem),
            (post_delete, self.tagging_changed, TaggedItem),
            (post_save, self.topic_changed, Tag),
        ]
        return pairs

    def setup(self):
        for signal, receiver, sender in self.receivers():
            signal.connect(receiver, sender=sender)

    def teardown(self):
        for signal, receiver, sender in self.receivers():
            signal.disconnect(receiver, sender=sender)

    def object_changed(self, sender, instance, raw=False, **kwargs):
        enqueue(sender, [instance.pk])

    def tagging_changed(self, sender, instance, raw=False, **kwargs):
        model = instance.content_type.model_class()
        if model in indexed_models():
            enqueue(model, [instance.object_id])

    def topic_changed(self, sender, instance, raw=False, **kwargs):
        links = TaggedItem.objects.filter(tag=instance).select_related("content_type")
        grouped = defaultdict(list)
        for link in links:
            grouped[link.content_type.model_class()].append(link.object_id)
        for model, pks in grouped.items():
            if model in indexed_models():
                enqueue(model, pks)

"""What happens when content changes: every receiver of the app, in one list.

The cascade when a resource, one of its topic links, a topic, a crisis line or a synonym
group is saved or deleted:

1. **Index queue** (resources and their topics): a ``PendingIndexUpdate`` row is written in
   the same transaction as the change (``search/indexing.py``); after the commit, the
   queue is applied under the index write lock.
2. **Page cache** (anything a public page shows): after the commit, a new cache generation
   starts (``serving/caching.py``), so no reader sees a page from before the change.
3. **Topic names** (a tag link added or removed, a topic renamed): the resources'
   ``topic_names`` text, which a revision records, is rewritten with ``update()``, which
   fires no signal of its own.

Each after-commit job is registered once per transaction: publishing ten pages in one
admin action takes the index lock once and starts one cache generation.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from taggit.models import Tag, TaggedItem

from .models import CrisisLine, Resource, SynonymGroup
from .models.kinds import RESOURCE_MODELS
from .models.resources import topic_names_of
from .search import indexing
from .serving import caching

CACHED_MODELS = (*RESOURCE_MODELS, CrisisLine, SynonymGroup, Tag, TaggedItem)


def on_commit_once(func, using=None):
    """``transaction.on_commit(func)``, unless ``func`` already waits for this transaction.

    "This transaction" is the outermost atomic block that is not a test case's. A job
    counts as waiting only while it is still in ``run_on_commit``: a rollback drops it.
    """
    connection = transaction.get_connection(using)
    outermost = next((b for b in connection.atomic_blocks if not b._from_testcase), None)
    waiting = connection.__dict__.setdefault("kb_jobs_waiting", {})
    block, job = waiting.get(func, (None, None))
    if outermost is not None and block is outermost and _registered(connection, job):
        return
    job = _job(func, waiting)
    waiting[func] = (outermost, job)
    transaction.on_commit(job, using=using)


def _registered(connection, job):
    return any(entry[1] is job for entry in connection.run_on_commit)


def _job(func, waiting):
    def job():
        waiting.pop(func, None)
        func()

    return job


# 1. Index queue ------------------------------------------------------------------------


def queue_index(model, pks):
    if indexing.enqueue(model, pks):
        # Looked up now, not at import: a test stands in for the job to simulate a crash.
        on_commit_once(indexing.apply_after_commit)


def resource_changed(sender, instance, raw=False, **kwargs):
    queue_index(sender, [instance.pk])


def tagging_changed(sender, instance, raw=False, **kwargs):
    model = instance.content_type.model_class()
    if model in indexing.indexed_models():
        queue_index(model, [instance.object_id])


def topic_changed(sender, instance, raw=False, **kwargs):
    links = TaggedItem.objects.filter(tag=instance).select_related("content_type")
    grouped = defaultdict(list)
    for link in links:
        grouped[link.content_type.model_class()].append(link.object_id)
    for model, pks in grouped.items():
        if model in indexing.indexed_models():
            queue_index(model, pks)


# 2. Page cache -------------------------------------------------------------------------


def content_changed(**kwargs):
    on_commit_once(caching.bump_content_version)


# 3. Topic names ------------------------------------------------------------------------


def refresh_topic_names(links):
    """Bring ``topic_names`` up to date for the resources these tag links belong to."""
    grouped = defaultdict(set)
    for content_type_id, object_id in links:
        grouped[content_type_id].add(object_id)
    for content_type_id, pks in grouped.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Resource):
            continue
        for pk in pks:
            model.objects.filter(pk=pk).update(topic_names=topic_names_of(model, pk))


def link_changed(sender, instance, **kwargs):
    refresh_topic_names([(instance.content_type_id, instance.object_id)])


def tag_renamed(sender, instance, created=False, **kwargs):
    if not created:
        links = TaggedItem.objects.filter(tag=instance).values_list("content_type", "object_id")
        refresh_topic_names(links)


# 4. The cache table ----------------------------------------------------------------------


def create_cache_table(using="default", **kwargs):
    """The database cache (the default without Redis) gets its table with every migrate:
    make run, serve-prod and the tests all have it."""
    call_command("createcachetable", database=using, verbosity=0)


# Every receiver, in the order they run --------------------------------------------------


def receivers():
    """(signal, receiver, sender) for every receiver, in the order they are connected."""
    # A topic removed with its tag cascades to TaggedItem rows, queued one by one.
    pairs = [(s, resource_changed, m) for m in indexing.indexed_models() for s in SIGNALS]
    pairs += [(s, tagging_changed, TaggedItem) for s in SIGNALS]
    pairs += [(post_save, topic_changed, Tag)]
    pairs += [(s, content_changed, m) for m in CACHED_MODELS for s in SIGNALS]
    pairs += [(s, link_changed, TaggedItem) for s in SIGNALS]
    pairs += [(post_save, tag_renamed, Tag)]
    return pairs


SIGNALS = (post_save, post_delete)


def connect():
    for signal, receiver, sender in receivers():
        uid = f"{receiver.__name__}:{signal is post_save}:{sender._meta.label}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    app = apps.get_app_config("resources")
    post_migrate.connect(create_cache_table, sender=app, dispatch_uid="create_cache_table")

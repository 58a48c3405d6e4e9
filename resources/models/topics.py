"""Topic reads: names for a revision, suggestions for the admin, counts for readers."""

from django.db.models import Count
from taggit.models import Tag

from .kinds import RESOURCE_MODELS

SUGGESTION_LIMIT = 10


def suggest(fragment, exclude=()):
    """Existing topics for what a moderator has started typing, most used first.

    Names starting with the fragment come before names merely containing it; capitals
    never matter, so "SLEEP" suggests "Sleep" rather than creating a duplicate.
    """
    fragment = fragment.strip()
    if not fragment:
        return []
    excluded = {name.casefold() for name in exclude}
    matches = (
        Tag.objects.filter(name__icontains=fragment)
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")
    )
    names = [tag.name for tag in matches[: SUGGESTION_LIMIT * 3]]
    names = [name for name in names if name.casefold() not in excluded]
    starts = [name for name in names if name.casefold().startswith(fragment.casefold())]
    return (starts + [name for name in names if name not in starts])[:SUGGESTION_LIMIT]


def published_topics():
    """Topics used by at least one published resource, with how many."""
    counts = {}
    for model in RESOURCE_MODELS:
        rows = (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type__model=model._meta.model_name,
                taggit_taggeditem_items__object_id__in=model.objects.published().values("pk"),
            )
            .annotate(n=Count("taggit_taggeditem_items"))
            .values_list("pk", "n")
        )
        for pk, n in rows:
            counts[pk] = counts.get(pk, 0) + n
    topics = list(Tag.objects.filter(pk__in=counts).order_by("name"))
    for topic in topics:
        topic.resource_count = counts[topic.pk]
    return topics

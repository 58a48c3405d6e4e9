"""How the admin's topic field reads and writes topic names.

taggit splits a string without commas on spaces, so a moderator typing the single topic
"Daily life" would get two topics. Here names are separated by commas only; a name with a
comma must be quoted (and is then refused by the form, with a message).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag, TaggedItem
from taggit.utils import _parse_tags

SUGGESTION_LIMIT = 10


def parse_topics(text):
    text = (text or "").strip()
    if "," not in text and '"' not in text:
        return [text] if text else []
    return _parse_tags(text)


def topics_to_string(tags):
    names = sorted(tag.name for tag in tags)
    return ", ".join(f'"{name}"' if "," in name or '"' in name else name for name in names)


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


# Topic names as text, for revisions ------------------------------------------------------


def topic_names_of(model, pk):
    """One topic per line, sorted: how a revision records a resource's topics."""
    names = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=pk
    ).values_list("tag__name", flat=True)
    return "\n".join(sorted(names, key=str.casefold))


def names_from_text(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def refresh_topic_names(links):
    """Bring ``topic_names`` up to date for the resources these tag links belong to."""
    from .models import Resource

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


def connect_signals():
    post_save.connect(link_changed, sender=TaggedItem, dispatch_uid="topic_names_save")
    post_delete.connect(link_changed, sender=TaggedItem, dispatch_uid="topic_names_delete")
    post_save.connect(tag_renamed, sender=Tag, dispatch_uid="topic_names_rename")

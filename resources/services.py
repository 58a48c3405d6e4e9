"""Writes that span several models, each in one transaction."""

from django.db import transaction
from taggit.models import TaggedItem

from .models import SlugRedirect


@transaction.atomic
def merge_topics(*, keep, retired):
    """Move every use of the retired topics to `keep`; their pages redirect to it."""
    for topic in retired:
        for link in TaggedItem.objects.filter(tag=topic).select_related("content_type"):
            obj = link.content_object
            if obj is not None:
                obj.topics.add(keep)
        SlugRedirect.record(topic, topic.slug)
        for old in SlugRedirect.objects.filter(
            content_type=SlugRedirect.content_type_of(topic), object_id=topic.pk
        ):
            old.object_id = keep.pk
            old.save()
        topic.delete()

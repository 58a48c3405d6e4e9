"""Writes that span several models, each in one transaction."""

from django.db import transaction
from django.utils.text import slugify
from taggit.models import TaggedItem

from .models import Article, SlugRedirect, Suggestion


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


@transaction.atomic
def draft_from_suggestion(suggestion):
    """A draft article holding a reader's suggestion, for an editor to write up."""
    first_line = suggestion.message.strip().splitlines()[0] if suggestion.message.strip() else ""
    title = (first_line[:80] or "Reader suggestion").rstrip(".")
    slug = f"suggestion-{suggestion.pk}-{slugify(title)[:60]}".rstrip("-")
    lines = [f"> {line}" for line in suggestion.message.splitlines()]
    if suggestion.page:
        lines.append(f"\nAbout the page: {suggestion.page}")
    if suggestion.source_url:
        lines.append(f"\nSource offered: {suggestion.source_url}")
    draft = Article.objects.create(
        title=title, slug=slug, summary=title[:250], status=Article.Status.DRAFT,
        body="A reader wrote:\n\n" + "\n".join(lines),
    )  # fmt: skip
    suggestion.state = Suggestion.State.DRAFTED
    suggestion.save(update_fields=["state"])
    return draft

"""Writes that span several models, each in one transaction."""

import reversion
from django.db import transaction
from django.utils.text import slugify
from taggit.models import TaggedItem

from ..models import Article, SlugRedirect, Suggestion, WorkflowError, new_version


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
def merge_resources(*, keep, retired, by):
    """Fold each retired resource into `keep`, which must be published.

    `keep` gains their topics, their titles and aliases (so a search for an old title finds
    it) and, if any of them had it, the crisis-help box. Each retired resource is archived
    with "send readers straight to the replacement": its address, old slugs and short link
    answer 301 to `keep`, and citations of a retired reference's key now cite `keep`. Text
    is not combined: move what is worth keeping into `keep` first. Undo: return a retired
    resource to draft and clear its replacement.
    """
    if any(type(obj) is not type(keep) for obj in retired):
        raise WorkflowError("Only resources of the same kind can be merged.")
    retired = [obj for obj in retired if obj.pk != keep.pk]
    if not keep.is_published():
        raise WorkflowError(f"“{keep}” is {keep.get_status_display().lower()}: merge into a "
                            "published page, so that old links land on a live one.")  # fmt: skip
    names = [keep.title, *keep.alias_list()]
    for obj in retired:
        for name in [obj.title, *obj.alias_list()]:
            if name.casefold() not in {known.casefold() for known in names}:
                names.append(name)
        keep.topics.add(*obj.topics.all())
        keep.crisis_help = keep.crisis_help or obj.crisis_help
        obj.merge_into(keep, by=by)
    keep.aliases = "\n".join(names[1:])
    keep.version = new_version()
    with reversion.create_revision():
        keep.save()
        reversion.set_user(by)
        reversion.set_comment("Merged in: " + ", ".join(f"“{obj}”" for obj in retired))
    return retired


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

"""What moderators curate besides pages: the site's own texts, and topics.

Site texts (the About page's sections, the ready answers for forums) are Markdown rows
with a history, so a moderator corrects them in the admin and can see and undo every
change. The page falls back to the text shipped in site_texts.DEFAULTS while a row is
missing, so a fresh or emptied database never shows a blank page.

Topics are taggit's tags; the proxy gives them their own name in the admin ("Topics",
not "Taggit > Tags") and the guard below refuses to delete one that pages still use, by
any path (admin, shell, command).
"""

import reversion
from django.db import models
from django.db.models.signals import pre_delete
from django.utils.functional import cached_property
from taggit.models import Tag

from ..content import markup
from .workflow import WorkflowError


@reversion.register()
class SiteText(models.Model):
    """One block of the site's own text, in Markdown, shown where its key is used."""

    key = models.SlugField(
        max_length=80, unique=True,
        help_text="Where the text is shown, e.g. about-purpose or forums-answer-01. "
        "Pages look their texts up by this key: do not change it.",
    )  # fmt: skip
    title = models.CharField(
        max_length=200, help_text="The section heading, or the question a ready answer answers."
    )
    body = models.TextField(help_text="Markdown. Citations are not numbered here.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "site text"

    def __str__(self):
        return f"{self.title} ({self.key})"

    @cached_property
    def html(self):
        return markup.render_markdown(self.body)


# Revisions of a topic are stored against taggit's Tag (django-reversion keys proxies by
# their concrete model), so Tag itself must be registered; the admin's history reads them.
if not reversion.is_registered(Tag):
    reversion.register(Tag)


class Topic(Tag):
    """taggit's tag under the name moderators know it by."""

    class Meta:
        proxy = True
        ordering = ["name"]
        verbose_name = "topic"


class TopicInUse(WorkflowError):
    """Deleting a topic pages still use would silently untag them."""


def refuse_deleting_used_topic(sender, instance, **kwargs):
    uses = instance.taggit_taggeditem_items.count()
    if uses:
        raise TopicInUse(
            f"The topic “{instance.name}” is used by {uses} page(s): remove it from them, "
            "or merge it into another topic, before deleting it."
        )


def connect_signals():
    for model in (Tag, Topic):
        pre_delete.connect(
            refuse_deleting_used_topic, sender=model, dispatch_uid=f"topic_in_use_{model.__name__}"
        )

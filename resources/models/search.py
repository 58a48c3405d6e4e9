"""What search keeps in the database: synonym groups, the index queue, pinned pages and
anonymous counts of what readers seek (search insights)."""

import datetime

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from ..content.safety import fold
from ..content.text import lines


@reversion.register()
class SynonymGroup(models.Model):
    """Words readers and experts use for the same thing, applied at search time."""

    terms = models.TextField(
        help_text="One term or phrase per line, for example: D-MER / DMER / "
        "dysphoric milk ejection reflex. A search for any of them finds the others."
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return " / ".join(self.term_list())

    def term_list(self):
        return lines(self.terms)


class PendingIndexUpdate(models.Model):
    """An object whose search document must be refreshed.

    Written in the same transaction as the change itself, so the database remembers what
    still has to be indexed even if the process dies before the index write.
    """

    model_label = models.CharField(max_length=60)
    object_pk = models.CharField(max_length=40)
    # Changes on every re-queue: a worker removes a row only if nobody re-queued it meanwhile.
    token = models.UUIDField()
    queued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_label", "object_pk"], name="unique_pending_index_update"
            )
        ]

    def __str__(self):
        return f"{self.model_label}:{self.object_pk}"


MAX_QUERY = 200
RESOURCE_MODELS = ("article", "treatmentstrategy", "reference")


def query_key(text):
    """One spelling per query: capitals, accents, apostrophes and punctuation ignored."""
    return fold(text)[:MAX_QUERY]


class PinnedPage(models.Model):
    """An editor's pick: this page is shown first for this query (like Wagtail's promotions).

    The query is stored folded, so "D-MER when pumping?" and "d mer when pumping" are one.
    """

    query = models.CharField(
        max_length=MAX_QUERY,
        help_text="The search, as a reader types it; capitals and punctuation do not matter.",
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to={"app_label": "resources", "model__in": RESOURCE_MODELS},
        verbose_name="kind of page",
    )
    object_id = models.PositiveBigIntegerField("page number (id)")
    page = GenericForeignKey("content_type", "object_id")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["query", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "content_type", "object_id"], name="unique_pinned_page"
            )
        ]

    def __str__(self):
        return f"{self.query} → {self.page}"

    def save(self, *args, **kwargs):
        # Folded below the admin too: a pin made in the shell matches like one made here.
        self.query = query_key(self.query)
        if not self.query:
            raise ValidationError({"query": "Type the search this page should answer."})
        super().save(*args, **kwargs)

    def clean(self):
        self.query = query_key(self.query)
        if not self.query:
            raise ValidationError({"query": "Type the search this page should answer."})
        if self.content_type_id and self.page is None:
            raise ValidationError({"object_id": "No page of that kind has this id."})


def pinned_pages(text):
    """Published pages pinned for this query, in their order."""
    key = query_key(text)
    if not key:
        return []
    pages = []
    for pin in PinnedPage.objects.filter(query=key).select_related("content_type"):
        page = pin.page
        if page is not None and page.is_published():
            pages.append(page)
    return pages


def keep_days():
    return settings.SEARCH_INSIGHTS_DAYS


class SearchQueryDay(models.Model):
    """How often one query was searched on one day, found nothing, or led to no page.

    Nothing about the reader is stored: no address, no cookie, no session, no time of day;
    only the folded query, the date and three counters.
    """

    query = models.CharField(max_length=MAX_QUERY)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    zero_hits = models.PositiveIntegerField("found nothing", default=0)
    opens = models.PositiveIntegerField("results opened", default=0)

    class Meta:
        ordering = ["-day", "-searches"]
        verbose_name = "search insight"
        verbose_name_plural = "search insights"
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="unique_search_query_day")
        ]

    def __str__(self):
        return f"{self.query} ({self.day})"


_pruned_on = {}


def bump(text, **counters):
    """Add to today's counters for this query, creating the row if need be."""
    key = query_key(text)
    if not key:
        return
    today = timezone.localdate()
    changes = {name: F(name) + amount for name, amount in counters.items()}
    if not SearchQueryDay.objects.filter(query=key, day=today).update(**changes):
        try:
            with transaction.atomic():
                SearchQueryDay.objects.create(query=key, day=today, **counters)
        except IntegrityError:  # another request created it a moment ago
            SearchQueryDay.objects.filter(query=key, day=today).update(**changes)
    if _pruned_on.get("day") != today:  # prune on write, once a day per process
        _pruned_on["day"] = today
        prune()


def prune(today=None):
    """Forget days older than SEARCH_INSIGHTS_DAYS; returns how many rows went."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=keep_days())
    deleted, _ = SearchQueryDay.objects.filter(day__lt=cutoff).delete()
    return deleted

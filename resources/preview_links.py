"""Ending an outside reviewer's preview links before they expire.

A signed preview link names its page and the page's *link generation*; ending a page's
links moves the generation on, so every link made before stops working at once and links
made afterwards work as usual (resources/previews.py).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone


class PreviewLinkGeneration(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    generation = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        app_label = "resources"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="unique_preview_generation"
            )
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id}: generation {self.generation}"


def _row(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return PreviewLinkGeneration.objects.filter(content_type=content_type, object_id=obj.pk)


def current_generation(obj):
    return _row(obj).values_list("generation", flat=True).first() or 0


def end_preview_links(obj, *, by=None):
    """Every preview link made so far for obj stops working now."""
    with transaction.atomic():
        row, _ = PreviewLinkGeneration.objects.select_for_update().get_or_create(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        row.generation += 1
        row.ended_at, row.ended_by = timezone.now(), by
        row.save()

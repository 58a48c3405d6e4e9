"""Safeguards kept in the database: one-time form tokens and preview-link generations.

**Forms that can be sent once.** Every add form and the readers' suggestion form carry a
one-time token, written here in the same transaction as the object it creates, under a
unique constraint: of two identical submissions, even simultaneous ones, one saves and the
other is told its form was already sent (``pages/once.py``, ``admin/once.py``).

**Ending preview links early.** A signed preview link names its page and the page's *link
generation*; ending a page's links moves the generation on, so every link made before
stops working at once and links made afterwards work as usual (``pages/previews.py``).
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

KEEP_TOKENS = datetime.timedelta(days=2)


class FormToken(models.Model):
    """A sent form's token; rows older than two days are removed as new ones arrive."""

    token = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.token

    @classmethod
    def claim(cls, token):
        """True the first time a token is seen, False after. Call inside the transaction
        that saves, so that a rolled-back save gives the token back."""
        if not token or len(token) > 64:
            return False
        try:
            with transaction.atomic():
                cls.objects.create(token=token)
        except IntegrityError:
            return False
        cls.objects.filter(used_at__lt=timezone.now() - KEEP_TOKENS).delete()
        return True


class PreviewLinkGeneration(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    generation = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="unique_preview_generation"
            )
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id}: generation {self.generation}"

    @classmethod
    def current(cls, obj):
        content_type = ContentType.objects.get_for_model(obj)
        rows = cls.objects.filter(content_type=content_type, object_id=obj.pk)
        return rows.values_list("generation", flat=True).first() or 0

    @classmethod
    def end_links(cls, obj, *, by=None):
        """Every preview link made so far for obj stops working now."""
        with transaction.atomic():
            row, _ = cls.objects.select_for_update().get_or_create(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            )
            row.generation += 1
            row.ended_at, row.ended_by = timezone.now(), by
            row.save()

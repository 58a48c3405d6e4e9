"""What search keeps in the database: synonym groups and the index queue."""

from django.db import models


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
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


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

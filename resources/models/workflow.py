"""The workflow: draft -> in review -> published -> archived, and back to draft.

Each step is one atomic write: the status, its revision and its WorkflowEvent commit
together, whoever calls it (the admin, publish_scheduled, the shell).
"""

import secrets

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction


def new_version():
    return secrets.randbelow(2**31 - 2) + 2


class WorkflowError(ValidationError):
    """A step the workflow does not allow, or a resource not ready for it."""


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Workflow:
    """The steps of a resource (mixed into Resource)."""

    # Draft -> in review -> published -> archived, and back to draft from any of them.
    TRANSITIONS = {
        "submit": ({"draft"}, "review"),
        "publish": ({"review"}, "published"),
        "archive": ({"published"}, "archived"),
        "return_to_draft": ({"review", "published", "archived"}, "draft"),
        # Merging retires a resource whatever its state; see curation/services.merge_resources.
        "merge": ({"draft", "review", "published", "archived"}, "archived"),
    }

    def submit_for_review(self, *, by):
        self._step("submit", by)

    def publish(self, *, by):
        missing = self.missing_for_publication()
        if missing:
            raise WorkflowError(f"“{self.title}” cannot be published yet: {'; '.join(missing)}.")
        self._step("publish", by)

    def archive(self, *, by):
        self._step("archive", by)

    def return_to_draft(self, *, by):
        self._step("return_to_draft", by)

    def missing_for_publication(self):
        missing = []
        if not self.summary.strip():
            missing.append("add a summary")
        if self.requires_citation and not self.cited_keys():
            missing.append("cite at least one reference")
        if self.cited_keys() and self.unknown_citation_keys():
            missing.append("fix unknown reference keys " + ", ".join(self.unknown_citation_keys()))
        if not self.last_reviewed_on:
            missing.append("set the last-reviewed date")
        if not self.reviewed_by.strip():
            missing.append("name who reviewed it")
        return missing

    def merge_into(self, survivor, *, by):
        """Retire this resource in favour of `survivor`: its links answer 301 there."""
        self.replaced_by = survivor
        self.redirect_to_replacement = True
        self._step("merge", by, comment=f"Merged into “{survivor}”")

    def change_topics(self, *, by, add=(), remove=()):
        """Add topic names and remove topics as one recorded change.

        The search index and the page cache follow through the tagging signals; the new
        version makes a moderator who had the page open reload before saving over it.
        """
        with reversion.create_revision():
            self.topics.add(*add)
            self.topics.remove(*remove)
            self.version = new_version()
            self.save(update_fields=["version", "updated_at"])
            reversion.set_user(by)
            added = f"added {', '.join(map(str, add))}" if add else ""
            removed = f"removed {', '.join(map(str, remove))}" if remove else ""
            reversion.set_comment("Topics " + "; ".join(filter(None, [added, removed])))

    def _step(self, step, by, comment=""):
        allowed_from, target = self.TRANSITIONS[step]
        if self.status not in allowed_from:
            raise WorkflowError(
                f"“{self.title}” is {self.get_status_display().lower()}: it cannot go to "
                f"{self.Status(target).label.lower()} from there."
            )
        previous = self.status
        self.status = target
        self.version = new_version()
        # Status, revision and workflow event commit together, whoever calls the step.
        with transaction.atomic():
            with reversion.create_revision():
                self.save()
                reversion.set_user(by)
                reversion.set_comment(
                    comment or f"{self.Status(previous).label} → {self.Status(target).label}"
                )
            WorkflowEvent.objects.create(
                content_object=self, from_status=previous, to_status=target, by=by
            )

    def workflow_events(self):
        return WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(self), object_id=self.pk
        ).select_related("by")


class WorkflowEvent(models.Model):
    """One step of a resource's workflow: who moved it from where to where, and when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=10, choices=Status.choices)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} by {self.by}"

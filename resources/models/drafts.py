"""Drafts on top of live content, and the editorial rules every path obeys.

The row of a published page (or an approved crisis line) is what readers see: the page,
the search index, feeds, the API, the sitemap, oEmbed and previews all read it and never
know drafts exist. A change to live content is kept here, as a ``Draft`` of field values,
until someone allowed to publish, who did not write it, approves it; approving applies it
to the row in one transaction with a revision and a ``WorkflowEvent``.

The rules (who may publish, four eyes, the publishing gates, scheduling as an approval)
live in this module so that the model methods, the admin, ``publish_scheduled`` and the
shell all ask the same questions. ``resources.curation.editorial`` is the service API.
"""

import datetime

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from . import gates
from .resources import Resource, topic_names_of
from .workflow import WorkflowError, WorkflowEvent, new_version

Status = Resource.Status
# Where an archived page sends its readers: set directly by someone who may publish (as a
# merge does), since it changes nothing a reader sees until the page is archived.
RETIREMENT = ("replaced_by", "redirect_to_replacement")
Action = WorkflowEvent.Action
# Workflow fields are set by workflow steps, never by a draft.
NOT_DRAFTED = {"status", "publish_at", "approved", *RETIREMENT}


class Draft(models.Model):
    """Proposed field values for one live object, waiting for a second person."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        CHANGES = "changes", "Changes requested"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    OPEN = (State.DRAFT, State.REVIEW, State.CHANGES)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    # {"fields": {name: value as JSON}, "topics": [names]}: the whole proposed content.
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Who last changed the draft. Neither they nor the author may approve it.",
    )  # fmt: skip
    comment = models.TextField(
        blank=True, help_text="The last request for changes, shown to the author."
    )
    restored_from = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The reversion Version this draft was restored from."
    )
    based_on_version = models.PositiveIntegerField(null=True, blank=True)
    # New at every change, like Resource.version: two people editing one draft are told.
    version = models.PositiveIntegerField(default=new_version, editable=False)
    publish_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state__in=["draft", "review", "changes"]),
                name="one_open_draft_per_object",
            )
        ]

    def __str__(self):
        return f"{self.get_state_display()} of “{self.target()}”"

    def is_open(self):
        return self.state in self.OPEN

    def target(self):
        """The live object, read from the database."""
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first()

    def writer_ids(self):
        return {pk for pk in (self.author_id, self.revised_by_id) if pk is not None}

    def topic_names(self):
        return list(self.data.get("topics", []))

    def applied(self, obj=None):
        """The live object with this draft's values, unsaved: what approving would publish."""
        obj = obj or self.target()
        apply_values(obj, self.data.get("fields", {}))
        if "topics" in self.data:
            obj.topic_names = "\n".join(sorted(self.topic_names(), key=str.casefold))
        obj.pending_draft = self
        return obj


# Field values ------------------------------------------------------------------------------


def draftable_fields(model):
    return [
        f for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in NOT_DRAFTED
    ]  # fmt: skip


def snapshot(obj):
    """The object's draftable content as JSON-ready data."""
    fields = {f.name: _jsonable(f.value_from_object(obj)) for f in draftable_fields(type(obj))}
    data = {"fields": fields}
    if isinstance(obj, Resource):
        data["topics"] = sorted(
            (tag.name for tag in obj.topics.all()) if obj.pk else [], key=str.casefold
        )
    return data


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def apply_values(obj, fields):
    for name, value in fields.items():
        field = type(obj)._meta.get_field(name)
        setattr(obj, field.attname, field.to_python(value))


def differs(obj, changes):
    """Do these changes differ from the object's current content?"""
    current = snapshot(obj)
    fields = {k: _jsonable(v) for k, v in changes.items() if k != "topics"}
    if any(current["fields"].get(k, v) != v for k, v in fields.items()):
        return True
    topics = sorted(map(str, changes.get("topics", current.get("topics", []))), key=str.casefold)
    return topics != current.get("topics", topics)


def set_retirement(obj, values, *, by):
    """Set where an archived page sends readers, as one revision; True if anything changed."""
    if not isinstance(obj, Resource) or not can_publish(by, obj):
        return False
    changed = {k: v for k, v in values.items() if k in RETIREMENT and getattr(obj, k) != v}
    if not changed:
        return False
    with transaction.atomic(), reversion.create_revision():
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.version = new_version()
        obj.save()
        reversion.set_user(by)
        reversion.set_comment("Retirement settings: " + ", ".join(changed))
    return True


def open_draft(obj):
    if obj is None or obj.pk is None:
        return None
    return Draft.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
        state__in=Draft.OPEN,
    ).first()  # fmt: skip


def edit_token(obj):
    """The version an edit form must have been opened at: the open draft's, for live content."""
    draft = open_draft(obj) if is_live_content(obj) else None
    return draft.version if draft is not None else getattr(obj, "version", None)


def is_live_content(obj):
    """Content someone approved: readers see it (or will, at a confirmed time).

    Changes to it become drafts; changes to a page not yet approved are written to it.
    """
    if isinstance(obj, Resource):
        scheduled = obj.status == Status.REVIEW and obj.scheduled_by_id is not None
        return obj.status in Resource.PUBLIC_PAGE_STATUSES or scheduled
    return bool(getattr(obj, "approved", False))


# Who may do what -----------------------------------------------------------------------------


def _perm(obj, action):
    opts = obj._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def can_publish(user, obj):
    """Moderators publish pages; crisis lines are approved by those who manage them."""
    if user is None or not user.is_active:
        return False
    action = "publish" if isinstance(obj, Resource) else "change"
    return user.has_perm(_perm(obj, action))


def can_propose(user, obj):
    return user is not None and user.is_active and user.has_perm(_perm(obj, "change"))


def require_publisher(user, obj):
    if user is None:
        raise WorkflowError("Publishing needs a named person who may publish: a moderator.")
    if not can_publish(user, obj):
        raise WorkflowError(
            f"{user} may not publish or approve {obj._meta.verbose_name_plural}: a moderator does."
        )


def four_eyes(user, writer_ids, what):
    """True if this approval is self-publishing (allowed by the setting); refuses otherwise."""
    if user.pk not in writer_ids:
        return False
    if gates.self_publish_allowed():
        return True
    raise WorkflowError(
        f"You wrote {what}: someone else must approve it before it goes live (four eyes)."
    )


# Recording ------------------------------------------------------------------------------------


def status_of(obj):
    if isinstance(obj, Resource):
        return obj.status
    return Status.PUBLISHED if getattr(obj, "approved", False) else Status.DRAFT


def record(obj, by, action, *, before=None, draft=None, comment="", **flags):
    return WorkflowEvent.objects.create(
        content_object=obj, from_status=before or status_of(obj), to_status=status_of(obj),
        by=by, action=action, draft=draft, comment=comment, **flags,
    )  # fmt: skip


def _approval_comment(base, *, self_published, override, obj, scheduled_by=None):
    parts = [base]
    if scheduled_by is not None:
        parts.append(f"published automatically at the time {scheduled_by} approved")
    if self_published:
        parts.append("self-published: no second person approved it (EDITORIAL_ALLOW_SELF_PUBLISH)")
    if override:
        parts.append(
            f"published above the reading-level limit (grade {gates.reading_grade(obj):g}) "
            "with a moderator's override"
        )
    return "; ".join(parts)


def _problems(obj, override):
    problems = []
    if isinstance(obj, Resource):
        problems = gates.publication_problems(obj, override_readability=override)
    try:
        obj.full_clean(validate_unique=True)
    except ValidationError as error:
        problems += [m for messages in error.message_dict.values() for m in messages]
    return problems


def refuse_if_problems(obj, override=False):
    problems = _problems(obj, override)
    if problems:
        raise WorkflowError(f"“{obj}” cannot be published yet: {'; '.join(problems)}.")


# The steps ------------------------------------------------------------------------------------


@transaction.atomic
def propose(obj, changes, *, by, comment="", restored_from=None):
    """Keep `changes` ({field: value}, "topics": [names]) as the open draft of `obj`."""
    if not can_propose(by, obj):
        raise WorkflowError(f"{by} may not change {obj._meta.verbose_name_plural}.")
    draft = open_draft(obj)
    created = draft is None
    if created:
        draft = Draft(content_object=obj, author=by, data=snapshot(obj))
        draft.based_on_version = getattr(obj, "version", None)
    data = {**draft.data, "fields": dict(draft.data.get("fields", {}))}
    fields = {name: value for name, value in changes.items() if name != "topics"}
    allowed = {f.name for f in draftable_fields(type(obj))}
    data["fields"].update({k: _jsonable(v) for k, v in fields.items() if k in allowed})
    if "topics" in changes:
        data["topics"] = sorted({str(name) for name in changes["topics"]}, key=str.casefold)
    draft.data = data
    draft.revised_by = by
    draft.version = new_version()
    draft.restored_from = restored_from or draft.restored_from
    if draft.state == Draft.State.CHANGES:
        draft.state = Draft.State.DRAFT
    draft.publish_at = draft.scheduled_by = None  # a changed draft needs a new approval
    draft.save()
    action = Action.RESTORED if restored_from else Action.PROPOSED
    if created or restored_from:
        record(obj, by, action, draft=draft, comment=comment or _proposed_comment(draft))
    return draft


def _proposed_comment(draft):
    if draft.restored_from:
        return "An old revision, restored as a draft: the live page is unchanged"
    return "Changes proposed as a draft: the live page is unchanged until approved"


def _draft_of(target):
    if isinstance(target, Draft):
        return target
    return open_draft(target)


@transaction.atomic
def submit(target, *, by):
    draft = _draft_of(target)
    if draft is None:
        if not isinstance(target, Resource):
            raise WorkflowError(f"“{target}” has no draft to submit.")
        if not can_propose(by, target):
            raise WorkflowError(f"{by} may not submit {target._meta.verbose_name_plural}.")
        target._step("submit", by, event={"action": Action.SUBMITTED})
        return target
    if draft.state not in (Draft.State.DRAFT, Draft.State.CHANGES):
        raise WorkflowError(f"The draft of “{draft.target()}” is already in review.")
    draft.state = Draft.State.REVIEW
    draft.save(update_fields=["state", "updated_at"])
    record(draft.target(), by, Action.SUBMITTED, draft=draft, comment="Draft submitted for review")
    return draft


@transaction.atomic
def request_changes(target, *, by, comment):
    """Send a draft back to its author with a comment (required; kept in the history)."""
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError(
            "Say what needs changing: the comment is shown to the author and kept in the history."
        )
    draft = _draft_of(target)
    obj = draft.target() if draft else target
    require_publisher(by, obj)
    if draft is None:
        if not isinstance(obj, Resource) or obj.status != Status.REVIEW:
            raise WorkflowError(f"“{obj}” is not waiting for review.")
        event = {"action": Action.CHANGES_REQUESTED, "comment": comment}
        obj._step("return_to_draft", by, comment=f"Changes requested: {comment}", event=event)
        return obj
    draft.state, draft.comment = Draft.State.CHANGES, comment
    draft.publish_at = draft.scheduled_by = None
    draft.save()
    record(obj, by, Action.CHANGES_REQUESTED, draft=draft, comment=comment)
    return draft


@transaction.atomic
def approve_and_publish(target, *, by, override_readability=False, comment=""):
    """Publish a page in review, or apply a live object's draft (or approve a new line)."""
    draft = _draft_of(target)
    if draft is not None:
        return _publish_draft(draft, by, override_readability, comment)
    if isinstance(target, Resource):
        return _publish_row(target, by, override_readability, comment)
    return _approve_new(target, by, comment)


def _publish_row(obj, by, override, comment, scheduled_by=None):
    require_publisher(by, obj)
    if obj.status != Status.REVIEW:
        obj._check_step("publish")
    selfp = four_eyes(by, {obj.written_by_id}, f"“{obj}”")
    refuse_if_problems(obj, override)
    used_override = override and gates.above_limit(obj)
    text = _approval_comment(
        comment or "In review → Published", self_published=selfp, override=used_override,
        obj=obj, scheduled_by=scheduled_by,
    )  # fmt: skip
    event = {"action": Action.PUBLISHED, "comment": text, "self_published": selfp,
             "readability_override": used_override}  # fmt: skip
    obj._step("publish", by, comment=text, event=event)
    return obj


def _publish_draft(draft, by, override, comment, scheduled_by=None):
    if draft.state == Draft.State.CHANGES:
        raise WorkflowError(
            "Changes were requested on this draft: its author revises and resubmits it first."
        )
    obj = type(draft.target())._base_manager.select_for_update().get(pk=draft.object_id)
    require_publisher(by, obj)
    selfp = four_eyes(by, draft.writer_ids(), "this draft")
    draft.applied(obj)
    before = status_of(obj)
    if isinstance(obj, Resource) and obj.status not in Resource.PUBLIC_PAGE_STATUSES:
        obj.status = Status.PUBLISHED
    refuse_if_problems(obj, override)
    used_override = isinstance(obj, Resource) and override and gates.above_limit(obj)
    writer = draft.revised_by or draft.author
    text = _approval_comment(
        comment or f"Draft by {writer or 'someone'} approved and published",
        self_published=selfp, override=used_override, obj=obj, scheduled_by=scheduled_by,
    )  # fmt: skip
    obj.written_by = writer
    if hasattr(obj, "version"):
        obj.version = new_version()
    with reversion.create_revision():
        obj.save()
        if isinstance(obj, Resource) and "topics" in draft.data:
            obj.topics.set(draft.topic_names())
            obj.topic_names = topic_names_of(type(obj), obj.pk)
            reversion.add_to_revision(obj)
        reversion.set_user(by)
        reversion.set_comment(text)
    draft.state, draft.published_by, draft.published_at = (
        Draft.State.PUBLISHED, by, timezone.now(),
    )  # fmt: skip
    draft.save()
    record(obj, by, Action.PUBLISHED, before=before, draft=draft, comment=text,
           self_published=selfp, readability_override=used_override)  # fmt: skip
    return obj


def _approve_new(obj, by, comment):
    require_publisher(by, obj)
    if obj.approved:
        raise WorkflowError(f"“{obj}” is already approved and has no draft waiting.")
    selfp = four_eyes(by, {obj.written_by_id}, f"“{obj}”")
    refuse_if_problems(obj)
    text = _approval_comment(
        comment or "New entry approved: now shown", self_published=selfp, override=False, obj=obj
    )
    with reversion.create_revision():
        obj.approved = True
        obj.save()
        reversion.set_user(by)
        reversion.set_comment(text)
    record(obj, by, Action.PUBLISHED, before=Status.DRAFT, comment=text, self_published=selfp)
    return obj


@transaction.atomic
def schedule(target, at, *, by):
    """Approve publication at a time: only a publisher who did not write it may."""
    if at is None:
        raise WorkflowError("Choose the date and time to publish at.")
    draft = _draft_of(target)
    obj = draft.target() if draft else target
    require_publisher(by, obj)
    if draft is not None:
        four_eyes(by, draft.writer_ids(), "this draft")
        if draft.state == Draft.State.CHANGES:
            raise WorkflowError("Changes were requested on this draft: it cannot be scheduled.")
        refuse_if_problems(draft.applied(draft.target()))
        draft.state, draft.publish_at, draft.scheduled_by = Draft.State.REVIEW, at, by
        draft.save()
        record(
            obj,
            by,
            Action.SCHEDULED,
            draft=draft,
            comment=f"Draft scheduled for {at:%d %b %Y %H:%M} UTC",
        )
        return draft
    if not isinstance(obj, Resource):
        raise WorkflowError(f"“{obj}” has no draft to schedule.")
    if obj.status == Status.DRAFT:
        obj._step("submit", by, event={"action": Action.SUBMITTED})
    obj._check_step("publish")
    four_eyes(by, {obj.written_by_id}, f"“{obj}”")
    refuse_if_problems(obj)
    text = f"Scheduled for {at:%d %b %Y %H:%M} UTC by {by}"
    with reversion.create_revision():
        obj.publish_at, obj.scheduled_by = at, by
        obj.schedule_confirmed = True
        obj.version = new_version()
        obj.save()
        reversion.set_user(by)
        reversion.set_comment(text)
    record(obj, by, Action.SCHEDULED, comment=text)
    return obj


def _step_as_publisher(obj, step, by, action, comment):
    require_publisher(by, obj)
    obj._step(step, by, comment=comment, event={"action": action, "comment": comment})
    return obj


@transaction.atomic
def unpublish(obj, *, by, comment=""):
    """Take a page offline (back to draft); its open draft, if any, stays."""
    return _step_as_publisher(obj, "return_to_draft", by, Action.UNPUBLISHED, comment)


@transaction.atomic
def archive(obj, *, by, comment=""):
    return _step_as_publisher(obj, "archive", by, Action.ARCHIVED, comment)


@transaction.atomic
def discard(draft, *, by):
    obj = draft.target()
    if by.pk not in draft.writer_ids() and not can_publish(by, obj):
        raise WorkflowError("Only the draft's author or a moderator can discard it.")
    draft.state = Draft.State.DISCARDED
    draft.save(update_fields=["state", "updated_at"])
    record(obj, by, Action.DISCARDED, draft=draft, comment="Draft discarded")


def publish_due(now=None):
    """Publish what a publisher scheduled for now or earlier; yields one line per object."""
    from .kinds import RESOURCE_MODELS

    now = now or timezone.now()
    for model in RESOURCE_MODELS:
        for obj in model.objects.filter(status=Status.REVIEW, publish_at__lte=now):
            yield _publish_scheduled_row(obj)
    due = Draft.objects.filter(state=Draft.State.REVIEW, publish_at__lte=now)
    for draft in due.filter(scheduled_by__isnull=False):
        yield _publish_scheduled_draft(draft)


def _publish_scheduled_row(obj):
    if obj.scheduled_by is None:
        return False, (
            f"“{obj}” has a publication time but no moderator has approved it: "
            "a moderator schedules it to confirm"
        )
    try:
        with transaction.atomic():
            _publish_row(obj, obj.scheduled_by, False, "", scheduled_by=obj.scheduled_by)
    except WorkflowError as error:
        return False, error.message
    return True, str(obj)


def _publish_scheduled_draft(draft):
    try:
        with transaction.atomic():
            obj = _publish_draft(draft, draft.scheduled_by, False, "", draft.scheduled_by)
    except WorkflowError as error:
        return False, error.message
    return True, str(obj)


__all__ = [
    "Draft", "approve_and_publish", "archive", "can_publish", "discard",
    "is_live_content", "open_draft", "propose", "publish_due", "request_changes", "schedule",
    "snapshot", "submit", "unpublish",
]  # fmt: skip

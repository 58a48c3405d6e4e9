"""The editorial service API: what the admin's buttons, commands and the shell call.

Every function enforces the same rules (resources/models/drafts.py): who may publish, four eyes,
the publishing gates (resources/models/gates.py), and one transaction per step with its revision
and workflow event. Each raises ``WorkflowError`` with a plain message when refused.

    propose(obj, {"body": "..."}, by=editor)       # live content: a draft; readers see no change
    submit(draft_or_obj, by=editor)
    request_changes(draft_or_obj, by=moderator, comment="Cite the 2019 survey")
    approve_and_publish(draft_or_obj, by=other_moderator, override_readability=False)
    schedule(draft_or_obj, at, by=moderator)       # an approval: publish_scheduled does the rest
    unpublish(obj, by=moderator); archive(obj, by=moderator); discard(draft, by=author)
    restore_as_draft(obj, version, by=user)        # an old revision as a new draft
    publication_problems(obj_or_draft)             # the gates, as plain sentences
"""

import reversion
from django.db import transaction
from reversion.models import Version

from ..models import Resource, WorkflowError, drafts, gates
from ..models.drafts import (
    Draft,
    approve_and_publish,
    archive,
    can_publish,
    discard,
    is_live_content,
    open_draft,
    propose,
    publish_due,
    request_changes,
    schedule,
    submit,
    unpublish,
)

__all__ = [
    "Draft", "WorkflowError", "approve_and_publish", "archive", "can_publish", "discard",
    "is_live_content", "open_draft", "preview", "propose", "publication_problems",
    "publish_due", "readability_note", "request_changes", "restore_as_draft", "schedule",
    "submit", "unpublish",
]  # fmt: skip


def preview(target):
    """What approving would publish: the live object with its open draft applied, unsaved."""
    draft = target if isinstance(target, Draft) else open_draft(target)
    return draft.applied() if draft is not None else target


def publication_problems(target, *, override_readability=False):
    """The gates for a page, or for what a draft would publish. [] means it may go live."""
    obj = preview(target)
    if not isinstance(obj, Resource):
        return []
    return gates.publication_problems(obj, override_readability=override_readability)


def readability_note(target):
    obj = preview(target)
    return gates.readability_note(obj) if isinstance(obj, Resource) else ""


def restore_as_draft(obj, version, *, by):
    """An old revision of `obj` as a new draft (or the open draft's new content)."""
    if version.object_id != str(obj.pk) or version.content_type.model_class() is not type(obj):
        raise WorkflowError("That revision belongs to another object.")
    fields = dict(version.field_dict)
    changes = {f.name: fields[f.attname] for f in drafts.draftable_fields(type(obj))
               if f.attname in fields}  # fmt: skip
    if isinstance(obj, Resource) and "topic_names" in fields:
        changes["topics"] = [n for n in (fields["topic_names"] or "").splitlines() if n.strip()]
    when = version.revision.date_created
    if not is_live_content(obj):
        return _restore_in_place(obj, changes, by, when)
    return propose(
        obj, changes, by=by, restored_from=version.pk,
        comment=f"Restored the revision saved on {when:%d %b %Y %H:%M} UTC as a draft",
    )  # fmt: skip


@transaction.atomic
def _restore_in_place(obj, changes, by, when):
    """A page nobody approved yet takes the old content directly, as a new revision."""
    topics = changes.pop("topics", None)
    drafts.apply_values(obj, {k: drafts._jsonable(v) for k, v in changes.items()})
    obj.written_by = by
    obj.version = drafts.new_version()
    with reversion.create_revision():
        obj.save()
        if topics is not None:
            obj.topics.set(topics)
            obj.topic_names = "\n".join(sorted(topics, key=str.casefold))
            reversion.add_to_revision(obj)
        reversion.set_user(by)
        reversion.set_comment(f"Restored the revision saved on {when:%d %b %Y %H:%M} UTC")
    return obj


def versions_of(obj):
    return Version.objects.get_for_object(obj).select_related("revision__user")

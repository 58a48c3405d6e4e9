"""Rules no path can break: the admin, a revision restore, loaddata, a command or the shell.

``before_save`` runs from ``Resource.save()`` and, for the raw saves of loaddata and
django-reversion's revert (which skip ``save()``), from a ``pre_save`` receiver:

- ``first_published_at`` is read from the stored row and never cleared or moved;
- a slug change records the old slug as a redirect;
- a page whose text uses a crisis term shows the crisis-help box, whatever was ticked;
- the reading grade is stored, for the change list;
- a publication time not set through ``drafts.schedule`` (or content changed after it was
  approved) is no longer approved: ``scheduled_by`` is cleared.

A page that was ever public is never deleted: ``Resource.delete()``,
``ResourceQuerySet.delete()`` and a ``pre_delete`` receiver (cascades) refuse.
"""

from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save

from . import gates

DERIVED_FIELDS = {"first_published_at", "crisis_help", "readability_grade", "scheduled_by"}


def stored_row(obj):
    if obj.pk is None:
        return None
    content = ["title", "summary", *obj.markdown_fields]
    return (
        type(obj)._base_manager.filter(pk=obj.pk)
        .values("slug", "first_published_at", "publish_at", *content).first()
    )  # fmt: skip


def before_save(obj):
    from .links import SlugRedirect

    stored = stored_row(obj)
    if stored is not None:
        if stored["first_published_at"] is not None:
            obj.first_published_at = stored["first_published_at"]
        if stored["slug"] != obj.slug:
            SlugRedirect.record(obj, stored["slug"])
        if obj.scheduled_by_id is not None and _schedule_changed(obj, stored):
            obj.scheduled_by = None
    obj.schedule_confirmed = False
    if gates.crisis_terms_in(obj):
        obj.crisis_help = True
    obj.readability_grade = gates.reading_grade(obj)


def _schedule_changed(obj, stored):
    if getattr(obj, "schedule_confirmed", False):
        return False
    if obj.status != obj.Status.REVIEW or obj.publish_at != stored["publish_at"]:
        return True
    return any(getattr(obj, name) != stored[name] for name in stored if name not in
               {"slug", "first_published_at", "publish_at"})  # fmt: skip


def raw_save(sender, instance, raw=False, **kwargs):
    from .resources import Resource

    if raw and isinstance(instance, Resource):
        before_save(instance)
        instance.save_dates()


def ever_public(queryset):
    model = queryset.model
    return queryset.filter(
        Q(first_published_at__isnull=False) | Q(status__in=model.PUBLIC_PAGE_STATUSES)
    )


def refuse_deleting(queryset):
    from .workflow import WorkflowError

    public = list(ever_public(queryset)[:5])
    if public:
        names = ", ".join(f"“{obj}”" for obj in public)
        raise WorkflowError(
            f"{names} was public, so it cannot be deleted: forums link to it and those links "
            "must keep working. Archive it instead."
        )


def before_delete(sender, instance, **kwargs):
    from .resources import Resource

    if isinstance(instance, Resource) and instance.pk is not None:
        refuse_deleting(type(instance)._base_manager.filter(pk=instance.pk))


def connect_signals():
    pre_save.connect(raw_save, dispatch_uid="resource_invariants_raw_save")
    pre_delete.connect(before_delete, dispatch_uid="resource_invariants_delete")

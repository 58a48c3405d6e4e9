"""Revisions in the admin: the history with its diff, restoring and recovering."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from reversion.models import Version

from ..curation import revisions


class ResourceHistory:
    """Mixed into ResourceAdmin."""

    def history_view(self, request, object_id, extra_context=None):
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        extra = {"diff_versions": list(versions.select_related("revision__user"))}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def diff_view(self, request, object_id):
        """A readable, field-by-field diff between two revisions of one object."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        picked = [request.GET.get(key, "") for key in ("a", "b")]
        # isascii: "²".isdigit() is True, and the ORM turns it into a 500.
        chosen = [
            versions.filter(pk=pk).first()
            if pk.isascii() and pk.isdigit() and len(pk) < 19
            else None
            for pk in picked
        ]
        if None in chosen:  # by default: the latest change
            latest = list(versions[:2])
            chosen = latest if len(latest) == 2 else [None, None]
        older, newer = sorted(chosen, key=lambda v: v.revision.date_created if v else 0)
        if older is None or newer is None:
            older = newer = None
        changes = revisions.field_diffs(older, newer) if older and newer else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "object": obj, "older": older, "newer": newer,
            "changes": changes, "title": f"Changes to {obj}",
        }  # fmt: skip
        return render(request, "admin/resources/revision_diff.html", context)

    # Restoring an old revision or recovering a deleted page brings its topics back too:
    # the form starts from the topics that revision recorded.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.restoring_revision = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.restoring_revision = True
        return super().recover_view(request, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "restoring_revision", False):
            form = type(form.__name__, (form,), {"topics_from_revision": True})
        return form

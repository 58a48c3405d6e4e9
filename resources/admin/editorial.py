"""Admin hooks for drafts on top of live content (the rules are in resources/models/drafts.py).

- Saving the change form of live content (a published or archived page, a page whose
  publication a moderator scheduled, an approved crisis line) stores a draft; the row,
  and so everything readers see, is unchanged until someone else approves the draft.
- The change form of an object with an open draft shows the draft, so its author keeps
  working on it.
- Restoring an old revision (History → a revision → Save) never reverts the row: the
  posted old content is saved like any edit, so it becomes a draft of live content (and a
  new revision of a page that is not live). Recovering a deleted page brings it back as a
  draft.
"""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from reversion.models import Version

from ..models import Resource, drafts


class DraftOnLiveAdmin:
    """Mix into a VersionAdmin, before it."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request.editing_draft = not getattr(request, "restoring_revision", None)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "editing_draft", False):
            draft = drafts.open_draft(obj)
            if draft is not None and drafts.is_live_content(obj):
                draft.applied(obj)
        return obj

    def save_model(self, request, obj, form, change):
        if change and not getattr(request, "recovering", False):
            current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
            if drafts.is_live_content(current):
                self.save_as_draft(request, current, obj, form)
                return
        if getattr(request, "recovering", False) and isinstance(obj, Resource):
            obj.status, obj.publish_at = Resource.Status.DRAFT, None
        obj.written_by = request.user
        if getattr(request, "restoring_revision", None) and reversion.is_active():
            reversion.set_comment(self.restore_comment(request))
        super().save_model(request, obj, form, change)

    def save_as_draft(self, request, current, obj, form):
        retirement = {name: getattr(obj, name) for name in drafts.RETIREMENT if hasattr(obj, name)}
        retired = drafts.set_retirement(current, retirement, by=request.user)
        changes = self.draft_changes(obj, form)
        if retired and not drafts.open_draft(current) and not drafts.differs(current, changes):
            return  # only where the page sends readers once archived: saved directly
        request.saved_as_draft = drafts.propose(
            current, changes, by=request.user,
            restored_from=getattr(request, "restoring_revision", None),
            comment=self.restore_comment(request),
        )  # fmt: skip

    def draft_changes(self, obj, form):
        changes = {f.name: f.value_from_object(obj) for f in drafts.draftable_fields(type(obj))}
        if "topics" in form.cleaned_data:
            changes["topics"] = [str(name) for name in form.cleaned_data["topics"]]
        return changes

    def restore_comment(self, request):
        version = getattr(request, "restored_version", None)
        if version is None:
            return ""
        when = localize(template_localtime(version.revision.date_created))
        return f"Restored the revision saved on {when}"

    def save_related(self, request, form, formsets, change):
        if getattr(request, "saved_as_draft", None) is None:
            super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        if getattr(request, "saved_as_draft", None) is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            f"Saved as a draft of “{obj}”: what readers see is unchanged until someone else "
            "approves it.",
            messages.SUCCESS,
        )
        opts = obj._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = unquote(object_id)
        version = Version.objects.get_for_object_reference(self.model, object_id)
        version = version.filter(pk=version_id).first()
        if version is None:
            raise Http404("No such revision.")
        request.restoring_revision, request.restored_version = version.pk, version
        current = self.model._base_manager.filter(pk=object_id).first()
        request.current_version = drafts.edit_token(current) if current else None
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, extra_context)
        if not self.has_change_permission(request, current):
            raise PermissionDenied
        # Never revert the row: the old content arrives as the posted form.
        context = {"title": f"Revert {version.object_repr}", "revert": True}
        with self.create_revision(request):
            return self.changeform_view(
                request, object_id, request.path, {**context, **(extra_context or {})}
            )

    def recover_view(self, request, version_id, extra_context=None):
        request.restoring_revision = version_id
        request.recovering = True
        return super().recover_view(request, version_id, extra_context)

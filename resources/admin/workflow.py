"""The workflow on a page's edit screen: its buttons, their confirmations, the publishing
gates shown live, the reading grade, and the pending draft compared with the live page.

Every button leads to a small confirmation page; its POST calls the editorial service API
(resources/curation/editorial.py), which enforces who may, four eyes and the gates, so a refusal
comes back as its plain message, with whatever was typed kept. This module decides only
what to offer and how to ask.
"""

import datetime
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from ..content import readability
from ..curation import editorial, revisions
from ..models import Resource, gates
from ..models.drafts import Draft

Status = Resource.Status


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    question: str
    explanation: str
    publisher: bool = True  # only someone who may publish is offered it
    comment: str = ""  # "required", "optional" or "" (none asked)


STEPS = {
    step.name: step
    for step in [
        Step("submit", "Submit for review", "Submit for review?",
             "A moderator (not you) reviews it; readers see nothing new until it is approved.",
             publisher=False),
        Step("approve", "Approve and publish", "Approve and publish now?",
             "Readers, search and feeds show this version as soon as you confirm.",
             comment="optional"),
        Step("request_changes", "Request changes", "Request changes?",
             "The draft goes back to its author with your comment, which they see on the edit "
             "screen and which is kept in the history.", comment="required"),
        Step("schedule", "Schedule", "Schedule the publication?",
             "Scheduling is an approval: at the time you choose, this version goes live with "
             "nobody present, if the publishing checks still pass then."),
        Step("unpublish", "Unpublish", "Take this page offline?",
             "It leaves the site, search and feeds and becomes a draft again; its address "
             "answers “This page is being revised” until it is published again.",
             comment="optional"),
        Step("archive", "Archive", "Archive this page?",
             "It leaves lists, search, feeds and the sitemap; its address keeps answering with "
             "a notice that it is archived, pointing to its replacement if one is set.",
             comment="optional"),
    ]
}  # fmt: skip


def offered_steps(user, obj, draft, may_publish):
    """The buttons for this person, for this page and its open draft, in workflow order."""
    names = []
    waiting = draft.state if draft is not None else None
    if draft is not None:
        if waiting in (Draft.State.DRAFT, Draft.State.CHANGES):
            names.append("submit")
        if waiting in (Draft.State.DRAFT, Draft.State.REVIEW):
            names += ["approve", "request_changes", "schedule"]
    elif obj.status == Status.DRAFT:
        names += ["submit", "schedule"]
    elif obj.status == Status.REVIEW:
        names += ["approve", "request_changes", "schedule"]
    if obj.status == Status.PUBLISHED:
        names += ["unpublish", "archive"]
    elif obj.status in (Status.DRAFT, Status.REVIEW) and draft is None:
        names.append("archive")
    return [STEPS[n] for n in names if may_publish or not STEPS[n].publisher]


def writers_of(obj, draft):
    return draft.writer_ids() if draft is not None else {obj.written_by_id} - {None}


def grade_of(obj):
    """(grade, applies): the page's Flesch-Kincaid grade and whether the target applies."""
    return gates.reading_grade(obj), gates.reading_level_applies(obj)


class WorkflowAdmin:
    """Mixed into ResourceAdmin: the edit screen's workflow panel and its views."""

    change_form_template = "admin/resources/workflow_change_form.html"

    def workflow_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("workflow/gates/", wrap(self.gates_view), name=f"{name}_gates"),
            path("<path:object_id>/workflow/gates/", wrap(self.gates_view),
                 name=f"{name}_gates"),
            path("<path:object_id>/workflow/draft/", wrap(self.draft_diff_view),
                 name=f"{name}_draft_diff"),
            path("<path:object_id>/workflow/<str:step>/", wrap(self.step_view),
                 name=f"{name}_workflow"),
        ]  # fmt: skip

    # The change form ------------------------------------------------------------------------

    def row(self, object_id):
        """The object as stored, or None for an address that names none (even garbage)."""
        try:
            return self.model._base_manager.filter(pk=unquote(object_id)).first()
        except (ValueError, TypeError, ValidationError):
            return None

    def live_object(self, request, object_id):
        obj = self.row(object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such page.")
        return obj

    def workflow_context(self, request, obj):
        draft = editorial.open_draft(obj)
        shown = editorial.preview(obj)
        grade, applies = grade_of(shown)
        may_publish = self.has_publish_permission(request)
        steps = offered_steps(request.user, obj, draft, may_publish)
        own = request.user.pk in writers_of(obj, draft)
        if own and not gates.self_publish_allowed():  # four eyes: not offered to the writer
            steps = [s for s in steps if s.name not in ("approve", "schedule")]
        return {
                "object": obj, "draft": draft, "steps": steps, "own_work": own,
                "problems": editorial.publication_problems(obj),
                "crisis_terms": gates.crisis_terms_in(shown),
                "note": editorial.readability_note(obj), "grade": grade, "grade_applies": applies,
                "target": readability.PUBLIC_TARGET, "limit": readability.PUBLIC_LIMIT,
                "changes_comment": draft.comment if draft and draft.state == "changes" else "",
                "events": list(obj.workflow_events()[:8]),
                "opts": self.model._meta,
        }  # fmt: skip

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.row(object_id)
        extra = {}
        if obj is not None:
            # Worked out only if the form is shown: a save that redirects never needs it.
            extra["workflow"] = SimpleLazyObject(lambda: self.workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def history_view(self, request, object_id, extra_context=None):
        obj = self.row(object_id)
        events = list(obj.workflow_events()) if obj is not None else []
        extra = {"workflow_events": events, **(extra_context or {})}
        return super().history_view(request, object_id, extra)

    # Live publishing gates -----------------------------------------------------------------

    def gates_view(self, request, object_id=None):
        """JSON: the gates for the form as typed (nothing is saved)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = None
        if object_id is not None:
            obj = editorial.preview(self.live_object(request, object_id))
        elif not self.has_add_permission(request):
            raise PermissionDenied
        form_class = self.get_form(request, obj, change=obj is not None)
        form = form_class(request.POST, instance=obj)
        form.is_valid()  # fills form.instance with what was typed; errors show on save
        grade, applies = grade_of(form.instance)
        return JsonResponse({
            "problems": gates.publication_problems(form.instance),
            "crisis_terms": gates.crisis_terms_in(form.instance),
            "grade": grade, "grade_applies": applies, "note": gates.readability_note(form.instance),
            "target": readability.PUBLIC_TARGET, "limit": readability.PUBLIC_LIMIT,
        })  # fmt: skip

    # The pending draft against the live page -----------------------------------------------

    def draft_diff_view(self, request, object_id):
        obj = self.live_object(request, object_id)
        draft = editorial.open_draft(obj)
        live = self.model._base_manager.get(pk=obj.pk)
        changes = revisions.object_diffs(live, draft.applied()) if draft else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "object": obj, "draft": draft, "changes": changes,
            "title": f"Draft of “{obj}” compared with the live page",
        }  # fmt: skip
        return render(request, "admin/resources/draft_diff.html", context)

    # The steps ------------------------------------------------------------------------------

    def step_view(self, request, object_id, step):
        obj = self.live_object(request, object_id)
        step = STEPS.get(step)
        if step is None:
            raise Http404("No such step.")
        allowed = self.has_publish_permission(request) if step.publisher else (
            self.has_change_permission(request, obj) or self.has_publish_permission(request)
        )  # fmt: skip
        if not allowed:
            raise PermissionDenied
        error = None
        if request.method == "POST":
            try:
                self.run_step(request, obj, step)
            except editorial.WorkflowError as refused:
                error = refused.message
            else:
                return HttpResponseRedirect(self.change_url(obj))
        return self.ask_step(request, obj, step, error)

    def run_step(self, request, obj, step):
        by, post = request.user, request.POST
        comment = post.get("comment", "").strip()
        if step.name == "submit":
            editorial.submit(obj, by=by)
        elif step.name == "approve":
            override = post.get("override_readability") == "on"
            editorial.approve_and_publish(obj, by=by, override_readability=override,
                                          comment=comment)  # fmt: skip
        elif step.name == "request_changes":
            editorial.request_changes(obj, by=by, comment=comment)
        elif step.name == "schedule":
            editorial.schedule(obj, parse_when(post.get("at", "")), by=by)
        elif step.name == "unpublish":
            editorial.unpublish(obj, by=by, comment=comment)
        elif step.name == "archive":
            editorial.archive(obj, by=by, comment=comment)
        self.message_user(request, f"{step.label}: done for “{obj}”.", messages.SUCCESS)

    def ask_step(self, request, obj, step, error):
        shown = editorial.preview(obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "object": obj, "step": step, "error": error,
            "title": step.question, "comment": request.POST.get("comment", ""),
            "at": request.POST.get("at", ""), "problems": editorial.publication_problems(obj),
            "above_limit": gates.above_limit(shown), "grade": gates.reading_grade(shown),
            "draft": editorial.open_draft(obj), "change_url": self.change_url(obj),
            "publishes": step.name in ("approve", "schedule"),
            "reviews": step.name in ("approve", "request_changes", "schedule"),
        }  # fmt: skip
        return render(request, "admin/resources/workflow_step.html", context, status=200)

    def change_url(self, obj):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    # The change list ------------------------------------------------------------------------

    @admin.display(description="reading grade")
    def reading_grade(self, obj):
        # The grade stored at the last save (invariants.py): no text analysis per row.
        grade, applies = obj.readability_grade, gates.reading_level_applies(obj)
        if not applies or grade is None:
            return "—"
        over = grade > readability.PUBLIC_TARGET
        return format_html('<span class="{}">{}</span>', "grade-over" if over else "", f"{grade:g}")


def parse_when(text):
    """A datetime-local value (in the site's time zone), or None when blank or malformed."""
    try:
        when = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return timezone.make_aware(when) if timezone.is_naive(when) else when

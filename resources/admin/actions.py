"""Admin actions on resources: workflow steps, topics in bulk, merging.

Each action loops over the selection and calls the model method, so every rule of the
model layer applies. A bulk step is one transaction (each page's step a savepoint within
it), so the index lock and a new cache generation are taken once, after the commit.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse

from ..curation.services import merge_resources
from ..models import PreviewLinkGeneration, WorkflowError
from .forms import AddTopicsForm, RemoveTopicsForm


class ResourceActions:
    """Mixed into ResourceAdmin."""

    def _apply(self, request, queryset, step, done):
        changed, refused = 0, []
        with transaction.atomic():
            for obj in queryset:
                try:
                    getattr(obj, step)(by=request.user)
                    changed += 1
                except WorkflowError as error:
                    refused.append(error.message)
        if changed:
            self.message_user(request, f"{changed} {done}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset, "submit_for_review", "submitted for review")

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request, queryset):
        self._apply(request, queryset, "publish", "published")

    @admin.action(description="Archive selected", permissions=["publish"])
    def archive(self, request, queryset):
        self._apply(request, queryset, "archive", "archived")

    @admin.action(description="Return selected to draft", permissions=["publish"])
    def return_to_draft(self, request, queryset):
        self._apply(request, queryset, "return_to_draft", "returned to draft")

    @admin.action(description="End the outside reviewers' preview links of selected")
    def end_preview_links(self, request, queryset):
        for obj in queryset:
            PreviewLinkGeneration.end_links(obj, by=request.user)
        self.message_user(
            request,
            f"Preview links ended for {len(queryset)} page(s); any link made from now on works.",
            messages.SUCCESS,
        )

    def _changeable(self, request, queryset):
        """Split the selection into what this user may change and what they may not."""
        allowed, refused = [], []
        for obj in queryset.prefetch_related("topics"):
            (allowed if self.has_change_permission(request, obj) else refused).append(obj)
        if refused:
            names = ", ".join(f"“{obj}”" for obj in refused)
            self.message_user(
                request,
                f"Not changed: {names} (live or archived pages change only through a moderator).",
                messages.WARNING,
            )
        return allowed

    def _ask(self, request, template, title, chosen, **extra):
        """The intermediate page of an action that needs one more answer."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": title, "chosen": chosen,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, **extra,
        }  # fmt: skip
        return TemplateResponse(request, f"admin/resources/{template}", context)

    def _topics_form(self, request, chosen, step, form):
        title = "Add a topic" if step == "add_topics" else "Remove topics"
        return self._ask(
            request, "topics_bulk.html", title, chosen,
            step=step, form=form, media=self.media + form.media,
        )  # fmt: skip

    @admin.action(description="Add topics to selected…", permissions=["change"])
    def add_topics(self, request, queryset):
        chosen = self._changeable(request, queryset)
        if not chosen:
            return None
        form = AddTopicsForm(self, request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._topics_form(request, chosen, "add_topics", form)
        names = form.cleaned_data["topics"]
        for obj in chosen:
            obj.change_topics(add=names, by=request.user)
        self.message_user(
            request, f"Added {', '.join(names)} to {len(chosen)} page(s).", messages.SUCCESS
        )
        return None

    @admin.action(description="Remove topics from selected…", permissions=["change"])
    def remove_topics(self, request, queryset):
        chosen = self._changeable(request, queryset)
        present = sorted({tag for obj in chosen for tag in obj.topics.all()}, key=str)
        if not present:
            self.message_user(request, "The selected pages have no topics.", messages.WARNING)
            return None
        form = RemoveTopicsForm(present, request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._topics_form(request, chosen, "remove_topics", form)
        tags = list(form.cleaned_data["topics"])
        for obj in chosen:
            obj.change_topics(remove=tags, by=request.user)
        names = ", ".join(tag.name for tag in tags)
        self.message_user(request, f"Removed {names} from {len(chosen)} page(s).", messages.SUCCESS)
        return None

    @admin.action(description="Merge selected into one…", permissions=["publish"])
    def merge(self, request, queryset):
        """Ask which page survives, then fold the others into it (services.merge_resources)."""
        chosen = list(queryset)
        if len(chosen) < 2:
            self.message_user(request, "Select at least two to merge.", messages.ERROR)
            return None
        keep = next((obj for obj in chosen if str(obj.pk) == request.POST.get("keep")), None)
        if request.POST.get("confirm") and keep is not None:
            try:
                retired = merge_resources(keep=keep, retired=chosen, by=request.user)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
                return None
            names = ", ".join(f"“{obj}”" for obj in retired)
            self.message_user(
                request,
                f"Merged {names} into “{keep}”: their links now lead there.",
                messages.SUCCESS,
            )
            return None
        return self._ask(
            request, "merge_confirm.html", "Merge into one page", chosen,
            any_published=any(obj.is_published() for obj in chosen),
            refused=request.POST.get("confirm") and "Choose the page that survives.",
        )  # fmt: skip

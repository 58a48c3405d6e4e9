"""Moderators' side of search: pinned pages, and the searches that fail, with fixes.

"Search insights" lists the queries of the kept days worst first (found nothing, then no
result opened), each with one-click fixes: pin one of the pages the query should find,
add the query to a page's questions, or start a synonym group with it.
"""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from ..models import PinnedPage, SearchQueryDay, new_version
from ..models.search import query_key
from ..search import query
from ..search.answer import SHORT_PREFIX, SearchUnavailable, guarded
from ..search.forms import Filters, clean_query
from ..search.insights import page_for_code, worst

CANDIDATES = 3
ROWS_WITH_FIXES = 25


def add_question(page, question):
    """Add a reader's question to a page's questions, once; a new revision records it."""
    question = " ".join(question.split())
    known = {query_key(line) for line in page.questions.splitlines()}
    if not question or query_key(question) in known:
        return False
    page.questions = "\n".join([*filter(None, page.questions.splitlines()), question])
    page.version = new_version()  # anyone with the page open is told to reload
    page.save()
    return True


@admin.register(PinnedPage)
class PinnedPageAdmin(admin.ModelAdmin):
    list_display = ("query", "page", "content_type", "position", "created_at")
    search_fields = ("query",)
    list_filter = ("content_type",)


@admin.register(SearchQueryDay)
class SearchInsightsAdmin(admin.ModelAdmin):
    """The changelist is the insights report; rows are only ever written by readers' counts."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        fix = self.admin_site.admin_view(self.fix_view)
        return [path("fix/", fix, name="resources_searchqueryday_fix"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = worst(SearchQueryDay.objects.all())
        for number, row in enumerate(rows):
            row["candidates"] = self.candidates(row["query"]) if number < ROWS_WITH_FIXES else []
            row["synonym_url"] = self.synonym_url(row["query"])
            row["pin_url"] = (
                reverse("admin:resources_pinnedpage_add") + "?" + urlencode({"query": row["query"]})
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Search insights",
            "rows": rows,
            "days": SearchQueryDay.objects.dates("day", "day").count(),
            "kept": settings.SEARCH_INSIGHTS_DAYS,
        }
        return TemplateResponse(request, "admin/resources/search_insights.html", context)

    def candidates(self, text):
        """The pages the query finds now (any of its words), to pin or teach the question."""
        try:
            outcome = guarded(query.search, text, Filters())
        except SearchUnavailable:
            return []
        return [
            {"title": r.title, "kind": r.kind, "code": f"{SHORT_PREFIX[r.kind]}{r.pk}"}
            for r in outcome.results[:CANDIDATES]
        ]

    def synonym_url(self, text):
        return reverse("admin:resources_synonymgroup_add") + "?" + urlencode({"terms": text})

    def fix_view(self, request):
        if request.method != "POST":
            return redirect("admin:resources_searchqueryday_changelist")
        text = clean_query(request.POST.get("query", ""))
        page = page_for_code(request.POST.get("to", ""))
        if request.POST.get("fix") == "pin":
            self.pin(request, text, page)
        elif request.POST.get("fix") == "question":
            self.teach(request, text, page)
        return redirect("admin:resources_searchqueryday_changelist")

    def pin(self, request, text, page):
        if not request.user.has_perm("resources.add_pinnedpage"):
            raise PermissionDenied
        kind = ContentType.objects.get_for_model(page)
        _, created = PinnedPage.objects.get_or_create(
            query=query_key(text), content_type=kind, object_id=page.pk
        )
        note = "Pinned" if created else "Already pinned"
        self.message_user(request, f"{note}: “{page.title}” for “{query_key(text)}”.")

    def teach(self, request, text, page):
        if not request.user.has_perm(f"resources.change_{page._meta.model_name}"):
            raise PermissionDenied
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(f"Added the question “{text}” from search insights.")
            added = add_question(page, text)
        if added:
            self.message_user(request, f"Added “{text}” to the questions of “{page.title}”.")
        else:
            self.message_user(request, "That question is already listed.", messages.WARNING)

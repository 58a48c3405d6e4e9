"""The admin's Markdown editor: a live preview by the site's own renderer, and a citation
picker that inserts ``[@key]``.

Both are small same-origin views behind the admin's login (static/js/markdown-editor.js
calls them). The preview is the page's own rendering (numbered citations, unknown keys as
"?", the crisis box when the text calls for it), so what a moderator sees while typing is
what the public will see. Without JavaScript the field is an ordinary text area.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, When
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe

from ..content import safety
from ..models import CrisisLine, CrisisTerm, Reference

CITATION_LIMIT = 10
MAX_PREVIEW_CHARS = 200_000


class MarkdownEditor(forms.Textarea):
    """A text area with a preview pane (aria-live) and a citation picker beside it."""

    class Media:
        js = ["js/markdown-editor.js"]
        css = {"all": ["css/admin-extra.css"]}

    def __init__(self, preview_url, citations_url, attrs=None):
        super().__init__(attrs={"rows": 16, "cols": 80, **(attrs or {})})
        self.preview_url, self.citations_url = preview_url, citations_url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "data-markdown-field": name}
        context = {
            "textarea": super().render(name, value, attrs, renderer),
            "id": attrs.get("id", name), "preview_url": self.preview_url,
            "citations_url": self.citations_url,
        }  # fmt: skip
        # The project's templates, not the form renderer's (which sees only app templates).
        return mark_safe(render_to_string("admin/resources/widgets/markdown_editor.html", context))


def preview(request, model):
    """JSON {fields: {name: html}}: the posted Markdown fields rendered as the page renders
    them. Every Markdown field of the form comes at once, so citation numbers run across
    the page as they will on the site."""
    draft = model(**{
        name: request.POST.get(name, "")[:MAX_PREVIEW_CHARS] for name in model.markdown_fields
    })  # fmt: skip
    rendered = draft.rendered()
    text = " ".join(draft.markdown_sources())
    terms = list(CrisisTerm.objects.values_list("phrase", flat=True))
    context = {
        "references": rendered.references,
        "unknown": draft.unknown_citation_keys(),
        "crisis": request.POST.get("crisis_help") == "on" or safety.matching_terms(text, terms),
        "crisis_lines": list(CrisisLine.objects.shown()),
    }
    fields = {
        name: render_to_string(
            "admin/resources/markdown_preview.html", {**context, "html": html}, request=request
        )
        for name, html in rendered.fields.items()
    }
    return JsonResponse({"fields": fields})


def citations(request):
    """JSON {results: [{key, title, authors, year, status}]}: references whose key, title or
    authors contain what was typed, published ones first."""
    typed = request.GET.get("q", "").strip()[:100]
    if not typed:
        return JsonResponse({"results": []})
    found = (
        Reference.objects.exclude(status=Reference.Status.ARCHIVED)
        .filter(Q(key__icontains=typed) | Q(title__icontains=typed) | Q(authors__icontains=typed))
        .order_by(Case(When(status=Reference.Status.PUBLISHED, then=0), default=1), "key")[
            :CITATION_LIMIT
        ]
    )
    return JsonResponse({"results": [_describe(ref) for ref in found]})


def _describe(reference):
    authors = reference.author_list()
    return {
        "key": reference.key,
        "title": reference.title,
        "authors": ", ".join(authors[:2]) + (" et al." if len(authors) > 2 else ""),
        "year": reference.year,
        "status": reference.get_status_display(),
    }


class MarkdownEditorAdmin:
    """Mixed into ResourceAdmin: the editor on every Markdown field, and its two views."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.model.markdown_fields:
            name = f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}"
            kwargs["widget"] = MarkdownEditor(
                reverse(f"{name}_markdown_preview"), reverse(f"{name}_citation_search")
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def editor_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("editor/preview/", self.admin_site.admin_view(self.markdown_preview),
                 name=f"{name}_markdown_preview"),
            path("editor/citations/", self.admin_site.admin_view(self.citation_search),
                 name=f"{name}_citation_search"),
        ]  # fmt: skip

    def _may_edit(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied

    def markdown_preview(self, request):
        self._may_edit(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return preview(request, self.model)

    def citation_search(self, request):
        self._may_edit(request)
        return citations(request)

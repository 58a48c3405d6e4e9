"""A read-only JSON API for forum bots and other sites. Published content only, always.

Conditional GET comes from ConditionalGetMiddleware (an ETag on every response, 304 on
If-None-Match) and a Last-Modified header on detail responses. Every response carries
`Access-Control-Allow-Origin: *`: the data is public and read-only.
"""

from functools import wraps

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from ..links import sharing
from ..links.resolve import current_topic_slug, find_page
from ..models import Reference, TreatmentStrategy, kinds_by
from ..models.topics import published_topics
from ..search import forms, query
from .openapi import schema

COLLECTIONS = kinds_by("collection")
MAX_PAGE_SIZE = 100


class BadParameter(Exception):
    def __init__(self, param, message):
        super().__init__(message)
        self.param = param
        self.message = message


def json_error(status, code, message, param=None):
    body = {"error": {"code": code, "message": message}}
    if param:
        body["error"]["param"] = param
    return JsonResponse(body, status=status)


def api_view(view):
    """GET and HEAD only; CORS for everyone; bad parameters become a 400 with a clear error.

    CSRF-exempt: nothing here writes, and a POST must get this JSON 405, not the CSRF
    middleware's HTML 403.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = JsonResponse({}, status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        elif request.method not in ("GET", "HEAD"):
            response = json_error(405, "method_not_allowed", "This API is read-only.")
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadParameter as bad:
                response = json_error(400, "invalid_parameter", bad.message, bad.param)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def int_param(request, name, default, low, high):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise BadParameter(name, f"{name} must be between {low} and {high}.")
    return value


def choice_param(request, name, choices):
    value = request.GET.get(name, "")
    if value and value not in choices:
        raise BadParameter(name, f"{name} must be one of: {', '.join(sorted(choices))}.")
    return value


def topic_param(request):
    slug = request.GET.get("topic", "")
    if not slug:
        return slug
    current, _ = current_topic_slug(slug)  # renamed or merged: the old slug keeps working
    if current is None:
        raise BadParameter("topic", "No topic has that slug; see /api/v1/topics/.")
    return current


def summary(request, obj):
    return {
        "kind": obj._meta.model_name,
        "title": obj.title,
        "slug": obj.slug,
        "summary": obj.summary,
        "url": sharing.absolute(request, obj.get_absolute_url()),
        "short_url": sharing.absolute(request, obj.get_short_url()),
        "api_url": sharing.absolute(request, api_url(obj)),
        "topics": sorted(tag.slug for tag in obj.topics.all()),
        "updated_at": obj.updated_at.isoformat(),
        "last_reviewed_on": obj.last_reviewed_on.isoformat() if obj.last_reviewed_on else None,
        "next_review_due_on": (
            obj.next_review_due_on.isoformat() if obj.next_review_due_on else None
        ),
    }


def api_url(obj):
    collection = {v: k for k, v in COLLECTIONS.items()}[type(obj)]
    return reverse("api:detail", args=[collection, obj.slug])


def detail_fields(request, obj):
    rendered = obj.rendered()
    replacement = obj.live_replacement() if obj.status == obj.Status.ARCHIVED else None
    data = summary(request, obj)
    data.update(
        created_at=obj.created_at.isoformat(),
        reviewed_by=obj.reviewed_by or None,
        shows_crisis_help=obj.crisis_help,
        archived=obj.status == obj.Status.ARCHIVED,
        replaced_by=replacement and sharing.absolute(request, replacement.get_absolute_url()),
        html={name: str(html) for name, html in rendered.fields.items()},
        sources=[
            {
                "number": n,
                "key": ref.key,
                "citation": ref.citation(),
                "url": sharing.absolute(request, ref.get_absolute_url()),
            }
            for n, ref in enumerate(rendered.references, start=1)
        ],
    )
    if isinstance(obj, TreatmentStrategy):
        data.update(
            evidence_level=obj.evidence_level,
            evidence_level_label=obj.get_evidence_level_display(),
            tested_in_trials=obj.has_trial_evidence(),
        )
    if isinstance(obj, Reference):
        data.update(
            key=obj.key,
            type=obj.ref_type,
            authors=obj.author_list(),
            authors_incomplete=obj.authors_incomplete,
            container_title=obj.container_title,
            publisher=obj.publisher,
            year=obj.year,
            volume=obj.volume,
            issue=obj.issue,
            pages=obj.pages,
            doi=obj.doi or None,
            pmid=obj.pmid or None,
            isbn=obj.isbn or None,
            source_url=obj.url or None,
            design=obj.design or None,
            peer_reviewed=obj.peer_reviewed,
            citation=obj.citation(),
            not_confirmed=obj.gaps or None,
        )
    return data


def page_links(request, page, last):
    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return sharing.absolute(request, f"{request.path}?{params.urlencode()}")

    return (link(page + 1) if page < last else None, link(page - 1) if page > 1 else None)


@api_view
def not_found(request):
    return json_error(404, "not_found", "No such API endpoint; see /api/v1/openapi.json.")


@api_view
def root(request):
    links = {
        name: sharing.absolute(request, reverse("api:list", args=[name])) for name in COLLECTIONS
    }
    links["topics"] = sharing.absolute(request, reverse("api:topics"))
    links["search"] = sharing.absolute(request, reverse("api:search"))
    links["openapi"] = sharing.absolute(request, reverse("api:openapi"))
    return JsonResponse(links)


@api_view
def collection(request, name):
    model = COLLECTIONS.get(name)
    if model is None:
        return json_error(404, "not_found", "Unknown collection.")
    page = int_param(request, "page", 1, 1, 100000)
    size = int_param(request, "page_size", 20, 1, MAX_PAGE_SIZE)
    queryset = model.objects.published().order_by("title", "pk").prefetch_related("topics")
    topic = topic_param(request)
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    count = queryset.count()
    last = max((count - 1) // size + 1, 1)
    if page > last:
        raise BadParameter("page", f"page must be between 1 and {last}.")
    items = queryset[(page - 1) * size : page * size]
    following, previous = page_links(request, page, last)
    return JsonResponse({
        "count": count, "page": page, "page_size": size, "next": following,
        "previous": previous, "results": [summary(request, obj) for obj in items],
    })  # fmt: skip


@api_view
def detail(request, name, slug):
    model = COLLECTIONS.get(name)
    if model is None:
        return json_error(404, "not_found", "Unknown collection.")
    obj, moved = find_page(model, slug)
    if obj is None:
        return json_error(404, "not_found", "No published resource has that slug.")
    if moved:  # an old slug, or a resource merged into another
        return HttpResponsePermanentRedirect(api_url(obj))
    response = JsonResponse(detail_fields(request, obj))
    response["Last-Modified"] = http_date(obj.updated_at.timestamp())
    return response


@api_view
def topics(request):
    return JsonResponse({
        "results": [
            {"slug": t.slug, "name": t.name, "count": t.resource_count,
             "url": sharing.absolute(request, reverse("resources:topic_detail", args=[t.slug]))}
            for t in published_topics()
        ]
    })  # fmt: skip


@api_view
def search(request):
    text = request.GET.get("q", "")
    if len(text) > forms.MAX_QUERY_LENGTH:
        raise BadParameter("q", f"q must be at most {forms.MAX_QUERY_LENGTH} characters.")
    text = forms.clean_query(text)
    page = int_param(request, "page", 1, 1, 500)
    filters = forms.Filters(
        kind=choice_param(request, "kind", forms.KINDS),
        topic=topic_param(request),
        evidence=choice_param(request, "evidence", forms.EVIDENCE),
        peer_review=choice_param(request, "peer_review", forms.PEER_REVIEW),
    )
    outcome = query.search(text, filters, page=page)
    return JsonResponse({
        "query": text,
        "count": outcome.hits,
        "page": page,
        "suggestion": outcome.suggestion,
        "broadened": outcome.broadened,
        "results": [
            {"kind": r.kind, "title": r.title, "summary": r.summary,
             "url": sharing.absolute(request, r.url)}
            for r in outcome.results
        ],
        "facets": {name: [{"value": v, "count": c} for v, c in values]
                   for name, values in outcome.facets.items()},
    })  # fmt: skip


@api_view
def openapi(request):

    return JsonResponse(schema(sharing.absolute(request, "/api/v1")))

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag

from . import search as engine
from .models import CrisisLine
from .views import current_topic_slug, published_topics

MAX_PAGE = 500


def page_number(raw):
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def search(request):
    text = engine.clean_query(request.GET.get("q", ""))
    filters = engine.Filters.from_params(request.GET)
    page = page_number(request.GET.get("page"))
    if filters.topic:  # a shared link from before a topic was renamed moves on
        current, moved = current_topic_slug(filters.topic)
        if moved:
            filters.topic = current
            return redirect(page_url(text, filters, page), permanent=True)
    if text and not filters.active() and request.GET.get("exact") != "0":
        match = engine.exact_match(text)
        if match is not None:
            return redirect(match)
    outcome = engine.search(text, filters, page=page)
    context = {
        "query": text,
        "filters": filters,
        "outcome": outcome,
        "page": page,
        "facets": facet_links(text, filters, outcome.facets),
        "next_url": page_url(text, filters, page + 1)
        if page * engine.PER_PAGE < outcome.hits
        else "",
        "prev_url": page_url(text, filters, page - 1) if page > 1 else "",
        "last_page": (outcome.hits - 1) // engine.PER_PAGE + 1 if outcome.hits else 1,
    }
    if outcome.suggestion:
        context["suggestion_url"] = page_url(outcome.suggestion, filters, 1)
    if not outcome.hits and (text or filters.active()):
        context["topics"] = engine.popular_topics()
        context["crisis_lines"] = CrisisLine.objects.shown().filter(
            kind__in=["emergency", "crisis"]
        )
    return render(request, "search/search.html", context)


def page_url(text, filters, page):
    params = {"q": text, **filters.as_params()}
    if page > 1:
        params["page"] = page
    return f"{reverse('search:search')}?{urlencode(params)}"


def facet_links(text, filters, facets):
    """Each facet value with its count, a link that toggles it, and whether it is on."""
    names = topic_names()
    labels = {
        "kind": engine.KINDS,
        "topics": names,
        "evidence_level": engine.EVIDENCE,
        "peer_review": engine.PEER_REVIEW,
    }
    params = {
        "kind": "kind",
        "topics": "topic",
        "evidence_level": "evidence",
        "peer_review": "peer_review",
    }
    headings = {
        "kind": "Kind",
        "topics": "Topic",
        "evidence_level": "Evidence level",
        "peer_review": "Peer review",
    }
    groups = []
    for facet, param in params.items():
        values = []
        for value, count in facets.get(facet, []):
            if value not in labels[facet]:
                continue
            chosen = getattr(filters, param) == value
            toggled = engine.Filters(**{**filters.as_params(), param: "" if chosen else value})
            values.append(
                {
                    "label": labels[facet][value],
                    "count": count,
                    "chosen": chosen,
                    "url": page_url(text, toggled, 1),
                }
            )
        if values:
            groups.append({"heading": headings[facet], "values": values})
    return groups


def topic_names():
    return dict(Tag.objects.values_list("slug", "name"))


def suggest(request):
    """Titles and topics for the search box, as the reader types."""
    text = engine.clean_query(request.GET.get("q", ""))[:60]
    titles, topics = [], []
    if len(engine.normalise(text)) >= 2:
        wanted = engine.normalise(text)
        titles = engine.autocomplete(text)
        topics = [
            {"name": topic.name, "url": reverse("resources:topic_detail", args=[topic.slug])}
            for topic in published_topics()
            if wanted in engine.normalise(topic.name)
        ][:4]
    if request.GET.get("format") == "opensearch":
        # The browser's suggestion format: [query, [completions]].
        names = [t["title"] for t in titles] + [t["name"] for t in topics]
        return JsonResponse([text, names], safe=False)
    return JsonResponse({"query": text, "titles": titles, "topics": topics})


def opensearch(request):
    return render(
        request,
        "search/opensearch.xml",
        {"base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/opensearchdescription+xml",
    )

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ..links.resolve import current_topic_slug
from ..models import CrisisLine
from ..models.topics import published_topics
from . import query
from .forms import SearchForm, clean_query


def search(request):
    form = SearchForm(request.GET)
    if form.filters.topic:  # a shared link from before a topic was renamed moves on
        current, moved = current_topic_slug(form.filters.topic)
        if moved:
            form.filters.topic = current
            return redirect(form.url(page=form.page), permanent=True)
    if form.text and not form.filters.active() and request.GET.get("exact") != "0":
        match = query.exact_match(form.text)
        if match is not None:
            return redirect(match)
    outcome = form.results()
    context = {
        "query": form.text,
        "filters": form.filters,
        "outcome": outcome,
        "page": form.page,
        "facets": form.facet_links(outcome.facets),
        **form.page_links(outcome),
    }
    if outcome.suggestion:
        context["suggestion_url"] = form.url(text=outcome.suggestion)
    if not outcome.hits and (form.text or form.filters.active()):
        context["topics"] = query.popular_topics()
        context["crisis_lines"] = CrisisLine.objects.filter(kind__in=["emergency", "crisis"])
    return render(request, "search/search.html", context)


def suggest(request):
    """Titles and topics for the search box, as the reader types."""
    text = clean_query(request.GET.get("q", ""))[:60]
    titles, topics = [], []
    if len(query.normalise(text)) >= 2:
        wanted = query.normalise(text)
        titles = query.autocomplete(text)
        topics = [
            {"name": topic.name, "url": reverse("resources:topic_detail", args=[topic.slug])}
            for topic in published_topics()
            if wanted in query.normalise(topic.name)
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

from django.shortcuts import render

from . import search as engine


def search(request):
    query = engine.clean_query(request.GET.get("q", ""))
    results = engine.run(query) if query else []
    return render(request, "search/search.html", {"query": query, "results": results})

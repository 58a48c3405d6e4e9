from django.shortcuts import render

from . import search


def search(request):
    query = search.clean_query(request.GET.get("q", ""))
    results = search.run(query) if query else []
    return render(request, "search/search.html", {"query": query, "results": results})

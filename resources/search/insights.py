"""Which searches fail, counted without knowing who searched.

Why a beacon and a redirect rather than counting in the search view: search pages are
served from the page cache (memory, Redis or nginx files), so the view runs for few of
the searches readers make. Each results page therefore carries

- a same-origin image beacon, /search/seen/?q=…&hits=N, which counts one search (and
  one search that found nothing when N is 0), cached page or not, with no JavaScript;
- result links through /search/open/?q=…&to=<short code>, which count one opening and
  answer 302 to the page; `to` must be a short code of a public page, so the view can
  never send a reader elsewhere.

Neither reads or stores an address, a cookie or a session: only the folded query, the
date and counters (models.search.SearchQueryDay). "No result opened" is the number of
searches that found something minus the openings: a reader who opens two results
counts twice, so it errs towards looking better, never worse.
"""

from django.db.models import F, Sum
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache

from ..models import Article, Reference, TreatmentStrategy
from ..models.search import bump
from .forms import clean_query

MODELS = {"a": Article, "s": TreatmentStrategy, "r": Reference}
MAX_HITS = 1_000_000


def page_for_code(code):
    model = MODELS.get(code[:1])
    if model is None or not code[1:].isdigit() or len(code) > 20:
        raise Http404("No such page.")
    return get_object_or_404(model.objects.with_public_page(), pk=int(code[1:]))


@never_cache
def open_result(request):
    """Count one opening of a result for this query, then go to the page."""
    page = page_for_code(clean_query(request.GET.get("to", "")))
    text = clean_query(request.GET.get("q", ""))
    if text:
        bump(text, opens=1)
    return redirect(page.landing_page())


@never_cache
def seen(request):
    """Count one search for this query (and one that found nothing, if it did)."""
    text = clean_query(request.GET.get("q", ""))
    raw = request.GET.get("hits", "")
    if text and raw.isdigit() and len(raw) <= 7:
        hits = min(int(raw), MAX_HITS)
        bump(text, searches=1, zero_hits=1 if hits == 0 else 0)
    return HttpResponse(status=204)


def worst(queryset, limit=50):
    """Queries over the kept days, worst first: found nothing, then nothing opened."""
    rows = (
        queryset.values("query")
        .annotate(
            searches=Sum("searches"),
            zero_hits=Sum("zero_hits"),
            opens=Sum("opens"),
        )
        .annotate(
            unopened=Greatest(F("searches") - F("zero_hits") - F("opens"), 0),
            badness=F("zero_hits") + Greatest(F("searches") - F("zero_hits") - F("opens"), 0),
        )
        .order_by("-badness", "-searches", "query")
    )
    return list(rows[:limit])

"""Search benchmark: our search view against stock Haystack and a raw Whoosh searcher.

Run with `make bench` (or `python bench/search_bench.py 1000 10000`). For each corpus
size it builds a synthetic corpus of resources about 500 words long, indexes it with our
backend and with stock Haystack's Whoosh backend (each its own index folder, same
documents), then measures, in one run:

- index build time (ours and stock);
- p50/p95 of our search view through Django's full request cycle (highlights, facets,
  synonyms, exact-title check, template), of stock Haystack answering the same query
  (highlights and facets), and of a raw Whoosh searcher kept open answering the same
  query for the same page (ten hits, highlights, facet counts);
- the empty query, a topic filter alone and a zero-hit query with its suggestion;
- stock Haystack's empty query, facet count without a query and spelling suggestion;
- hit queries with spelling suggestions on and off.

Everything runs in a temporary folder; nothing touches the site's own database or index.
"""

import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# BENCH_DIR keeps the corpus and indexes between runs (for profiling); by default a
# temporary folder is used and removed.
KEEP = bool(os.environ.get("BENCH_DIR"))
WORK = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="kb-bench-"))
WORK.mkdir(parents=True, exist_ok=True)
# Production settings as a fresh clone has them (DEBUG off, so the HTTPS redirect and the
# static manifest are on), with the whole-page cache OFF: the view figures measure search,
# not a cached copy. Set explicitly, so nothing inherited (a test run's defaults) changes it.
os.environ.update(
    DJANGO_SETTINGS_MODULE="kb.settings",
    DEBUG="0",
    SECRET_KEY="bench-only",
    DATA_DIR=str(WORK),
    DATABASE_URL=f"sqlite:///{WORK / 'bench.sqlite3'}",
    SEARCH_PATH=str(WORK / "ours"),
    STATIC_ROOT=str(WORK / "static"),
    STATIC_MANIFEST="1",
    SECURE_SSL_REDIRECT="1",
    # BENCH_PAGE_CACHE_SECONDS exists only for the benchmark's own test, which turns the
    # cache on to prove that the run then fails instead of timing cached pages.
    PAGE_CACHE_SECONDS=os.environ.get("BENCH_PAGE_CACHE_SECONDS", "0"),
    PAGE_CACHE_DIR="",
    REDIS_URL="",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="ERROR",
)
REPEAT = int(os.environ.get("BENCH_REPEAT", "6"))
SPECIAL_RUNS = int(os.environ.get("BENCH_SPECIAL_RUNS", "20"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from haystack import connections  # noqa: E402
from haystack.query import SearchQuerySet  # noqa: E402

QUERIES = [
    "dopamine",
    "sad when milk lets down",
    "naltrexone breastfeeding",
    "pumping",
    "treatment evidence",
    "anxiety letdown",
    "postpartum depression",
    "weaning months",
    "prolactin oxytocin",
    "case report",
    "severe thoughts",
    "lactation consultant",
]
ZERO_HIT = "dopamnie naltrexoen"  # no word known even after stemming: truly zero hits


def vocabulary():
    """Words from the seed content, so documents read like the real library."""
    text = " ".join(p.read_text() for p in (ROOT / "fixtures").glob("*.yaml"))
    words = [w.lower() for w in "".join(c if c.isalpha() else " " for c in text).split()]
    return [w for w in words if 3 <= len(w) <= 14]


def build_corpus(size):
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from resources.models import Article, Reference, TreatmentStrategy

    rng = random.Random(size)
    words = vocabulary()
    # Zipf-like: common words often, rare words seldom.
    weights = [1 / (i + 1) ** 0.9 for i in range(len(set(words)))]
    # Most frequent first, ties alphabetical: the same corpus on every run (a set's order
    # changes with Python's hash seed).
    counts = Counter(words)
    distinct = sorted(counts, key=lambda word: (-counts[word], word))

    def prose(n):
        chosen = rng.choices(distinct, weights=weights, k=n)
        sentences = [" ".join(chosen[i : i + 12]).capitalize() + "." for i in range(0, n, 12)]
        return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))

    topic_names = [
        "Coping",
        "Pumping, Work",
        "Causes",
        "Severe D-MER",
        "Research",
        "Treatment",
        "Prevalence",
        "History",
        "Symptoms",
        "Getting help",
    ]
    tags = [
        Tag.objects.create(
            name=name, slug=f"t{i}-{name.lower().replace(',', '')}".replace(" ", "-")
        )
        for i, name in enumerate(topic_names)
    ]
    common = {"status": "published", "summary": "A synthetic resource for benchmarking."}
    articles, strategies, references = [], [], []
    for i in range(size):
        kind = i % 10
        title = " ".join(rng.choices(distinct[:3000], k=rng.randint(4, 9))).capitalize()
        if kind < 6:
            articles.append(Article(title=title, slug=f"a{i}", body=prose(500), **common))
        elif kind < 7:
            strategies.append(
                TreatmentStrategy(
                    title=title,
                    slug=f"s{i}",
                    description=prose(200),
                    evidence=prose(150),
                    breastfeeding_safety=prose(150),
                    evidence_level="anecdote",
                    **common,
                )
            )
        else:
            references.append(
                Reference(
                    title=title,
                    slug=f"r{i}",
                    key=f"r{i}",
                    ref_type="journal",
                    supports=prose(500),
                    year=rng.randint(2008, 2025),
                    design=rng.choice(["review", "case_report", "observational"]),
                    peer_reviewed=rng.random() < 0.8,
                    **common,
                )
            )
    links = []
    for model, rows in (
        (Article, articles),
        (TreatmentStrategy, strategies),
        (Reference, references),
    ):
        created = model.objects.bulk_create(rows, batch_size=500)
        ct = ContentType.objects.get_for_model(model)
        for obj in created:
            for tag in rng.sample(tags, rng.randint(1, 3)):
                links.append(TaggedItem(tag=tag, content_type=ct, object_id=obj.pk))
    TaggedItem.objects.bulk_create(links, batch_size=1000)
    return tags


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(samples):
    return pct(samples, 50), pct(samples, 95)


def raw_whoosh(path):
    """A raw Whoosh searcher kept open: parse, search a page, highlight, count facets."""
    from whoosh import index as windex
    from whoosh.highlight import ContextFragmenter, HtmlFormatter
    from whoosh.qparser import AndGroup, QueryParser
    from whoosh.sorting import Count, Facets, FieldFacet

    ix = windex.open_dir(path)
    searcher = ix.searcher()
    parser = QueryParser("text", schema=ix.schema, group=AndGroup)

    def run(text):
        page = searcher.search_page(
            parser.parse(text),
            1,
            pagelen=10,
            groupedby=Facets(
                {
                    n: FieldFacet(n, allow_overlap=True, maptype=Count)
                    for n in ("kind_exact", "topics_exact")
                }
            ),
        )
        page.results.formatter = HtmlFormatter(tagname="mark")
        page.results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
        out = [
            (h["title"], h.highlights("title", minscore=0), h.highlights("text", top=2))
            for h in page
        ]
        groups = [page.results.groups(n) for n in ("kind_exact", "topics_exact")]
        return out, groups

    return run


def stock_backend_for(path, clear=True):
    """Stock Haystack's Whoosh backend, registered as the connection "stock"."""
    connections.connections_info["stock"] = {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(path),
        "INCLUDE_SPELLING": False,
    }
    if clear:
        shutil.rmtree(path, ignore_errors=True)
    connections.reload("stock")
    return connections["stock"].get_backend()


class ViewClient:
    """GET /search/ through Django's full request cycle, proving each answer was computed.

    Every response must come from the search view itself: no X-Cache header (the page
    cache is off) and one more call of the answer layer per request. A cached answer, or
    a redirect instead of results, stops the benchmark with an error.
    """

    def __init__(self):
        from django.test import Client

        from resources.search import forms

        self.client = Client()
        self.computed = 0
        inner = forms.answer

        def counted(*args, **kwargs):
            self.computed += 1
            return inner(*args, **kwargs)

        forms.answer = counted  # what the search page's form calls

    def __call__(self, params):
        before = self.computed
        response = self.client.get("/search/", params, secure=True)  # HTTPS: no redirect
        assert response.status_code == 200, f"{params}: status {response.status_code}"
        assert "X-Cache" not in response, f"{params}: answered by the page cache"
        assert self.computed == before + 1, f"{params}: the view did not search"
        return response


def prepare_corpus(size):
    """The synthetic corpus in the benchmark database; True if reused from BENCH_DIR."""
    from resources.models import Article

    reuse = KEEP and Article.objects.count() == size * 6 // 10
    if not reuse:
        call_command("flush", interactive=False, verbosity=0)
        build_corpus(size)
    words = sum(len(a.body.split()) for a in Article.objects.all()[:50]) / 50
    print(f"corpus: {size:,} resources, about {words:.0f} words per article")
    return reuse


def build_indexes(size, reuse):
    """Our index and stock Haystack's (its own folder, same documents); the stock backend."""
    stock_backend = stock_backend_for(WORK / f"stock-{size}", clear=not reuse)
    if reuse:
        print("index build: reusing the indexes in BENCH_DIR (not timed)")
        return stock_backend
    start = time.perf_counter()
    call_command("rebuild_index", interactive=False, verbosity=0, using=["default"])
    ours_build = time.perf_counter() - start
    start = time.perf_counter()
    unified = connections["default"].get_unified_index()
    for index in unified.collect_indexes():
        qs = index.index_queryset()
        for offset in range(0, qs.count(), 1000):
            stock_backend.update(index, list(qs[offset : offset + 1000]))
    stock_build = time.perf_counter() - start
    print(
        f"index build: ours {ours_build:.1f} s, stock Haystack {stock_build:.1f} s "
        f"(target: ours under 60 s)"
    )
    return stock_backend


def stock_query(text):
    sqs = SearchQuerySet(using="stock").auto_query(text).highlight().facet("kind").facet("topics")
    return list(sqs[:10]), sqs.facet_counts()


def measure_hits(view, raw):
    """Queries with hits: our view, stock Haystack and raw Whoosh, interleaved."""
    for text in QUERIES:  # warm every path once
        view({"q": text}), raw(text), stock_query(text)
    rows = {"ours (view)": [], "stock Haystack": [], "raw Whoosh": []}
    for _ in range(REPEAT):
        for text in QUERIES:
            rows["ours (view)"] += timed(lambda t=text: view({"q": t}), 1)
            rows["stock Haystack"] += timed(lambda t=text: stock_query(t), 1)
            rows["raw Whoosh"] += timed(lambda t=text: raw(t), 1)
    base50, base95 = summary(rows["raw Whoosh"])
    print(f"\nqueries with hits ({len(QUERIES)} queries x {REPEAT}), milliseconds:")
    print(f"{'':18}{'p50':>9}{'p95':>9}{'p50/raw':>10}{'p95/raw':>10}")
    for name, samples in rows.items():
        p50, p95 = summary(samples)
        print(f"{name:18}{p50:9.1f}{p95:9.1f}{p50 / base50:10.2f}{p95 / base95:10.2f}")
    print("target: ours within 2.00x of raw Whoosh at p50 and p95")
    return rows["ours (view)"]


def measure_spelling(view, ours):
    backend = connections["default"].get_backend()
    backend.include_spelling = False
    no_spell = []
    for _ in range(REPEAT):
        for text in QUERIES:
            no_spell += timed(lambda t=text: view({"q": t}), 1)
    backend.include_spelling = True
    s50, s95 = summary(no_spell)
    o50, o95 = summary(ours)
    print(
        f"spelling on vs off (hit queries): p50 {o50:.1f} vs {s50:.1f} ms "
        f"(x{o50 / s50:.2f}), p95 {o95:.1f} vs {s95:.1f} ms (x{o95 / s95:.2f})"
    )


def measure_special(view, topic):
    special = {
        "empty query": {"q": ""},
        "topic filter alone": {"topic": topic},
        # The words as typed: no hits, "Did you mean" on the page (as before corrections).
        "zero-hit + suggestion": {"q": ZERO_HIT, "as_typed": "1"},
        # The default: the confident correction runs, a second search, with its hits.
        "zero-hit, correction runs": {"q": ZERO_HIT},
    }
    print("\nspecial cases through the view (target: each under 50 ms), milliseconds:")
    for name, params in special.items():
        view(params)
        samples = timed(lambda p=params: view(p), SPECIAL_RUNS)
        p50, p95 = summary(samples)
        print(f"  {name:26} p50 {p50:7.1f}  p95 {p95:7.1f}")
    offered = "Did you mean" in view(special["zero-hit + suggestion"]).content.decode()
    ran = "Showing results for" in view(special["zero-hit, correction runs"]).content.decode()
    print(f"  zero-hit page offers a suggestion: {offered}; the correction runs: {ran}")


def measure_stock_cases(stock_backend):
    print("\nstock Haystack for the same cases (3 runs each), milliseconds:")
    stock_cases = {
        "empty query": lambda: list(SearchQuerySet(using="stock").all()[:10]),
        "facet count, no query": lambda: (
            SearchQuerySet(using="stock").facet("topics").facet_counts()
        ),
        "spelling_suggestion()": lambda: (
            SearchQuerySet(using="stock").auto_query(ZERO_HIT).spelling_suggestion()
        ),
    }
    stock_backend.include_spelling = True
    for name, fn in stock_cases.items():
        samples = timed(fn, 3)
        print(f"  {name:24} p50 {pct(samples, 50):9.1f}  max {max(samples):9.1f}")


def measure(size):
    from taggit.models import Tag

    print(f"\n=== {size:,} resources ===", flush=True)
    reuse = prepare_corpus(size)
    stock_backend = build_indexes(size, reuse)
    view = ViewClient()
    raw = raw_whoosh(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    ours = measure_hits(view, raw)
    measure_spelling(view, ours)
    measure_special(view, Tag.objects.order_by("pk").first().slug)
    if os.environ.get("BENCH_SKIP_STOCK_CASES") != "1":
        measure_stock_cases(stock_backend)
    print(f"\nview requests answered by the search view (never a cache): {view.computed}")
    connection.close()


def main(sizes):
    print(
        f"search benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"work folder {WORK}"
    )
    print(
        "settings: DEBUG=0, HTTPS redirect and static manifest on (requests are HTTPS), "
        "whole-page cache OFF: view figures are searches, not cached pages"
    )
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        for size in sizes:
            measure(size)
    finally:
        if not KEEP:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])

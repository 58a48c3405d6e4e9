"""Search benchmark, engine against engine: Whoosh and PostgreSQL through the same view.

Run with `make bench` (after search_bench.py) or `python bench/engine_bench.py 1000 10000`.
For each corpus size it builds search_bench.py's synthetic corpus once in a PostgreSQL
database of its own (BENCH_PG_URL, default PG_URL's server with database dmer_kb_bench,
dropped and created at every run), indexes it with each engine (rebuild_index, timed),
then measures in one run, rounds interleaved so both engines see the same load:

- p50/p95 of the search view through Django's full request cycle for the hit queries;
- the special cases: empty query, a topic filter alone, a zero-hit query with its
  suggestion, autocomplete and a resource page with its related pages;

and prints each figure for both engines with the ratio PostgreSQL / Whoosh. The content
lives in PostgreSQL for both engines, so only the engine differs.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kb-engine-bench-"))
SERVER = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/dmer_kb").rsplit("/", 1)[0]
PG_URL = os.environ.get("BENCH_PG_URL", f"{SERVER}/dmer_kb_bench")
os.environ.update(
    DJANGO_SETTINGS_MODULE="kb.settings",
    DEBUG="0",
    SECRET_KEY="bench-only",
    DATA_DIR=str(WORK),
    DATABASE_URL=PG_URL,
    SEARCH_PATH=str(WORK / "whoosh"),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    STATIC_MANIFEST="0",
    PAGE_CACHE_SECONDS="0",  # every request reaches the engine
    LOG_LEVEL="ERROR",
)


def fresh_database(url):
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


fresh_database(PG_URL)

import django  # noqa: E402

django.setup()

# Settings are loaded above, so search_bench's own environment (SQLite) does not apply:
# only its corpus builder, queries and timing helpers are borrowed.
import search_bench as base  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from haystack import connections  # noqa: E402

ENGINES = ("whoosh", "postgres")


def use(engine):
    from django.conf import settings

    connections.connections_info["default"]["ENGINE"] = settings.SEARCH_ENGINES[engine]
    connections.reload("default")


def rebuild_times():
    times = {}
    for engine in ENGINES:
        use(engine)
        start = time.perf_counter()
        call_command("rebuild_index", interactive=False, verbosity=0)
        times[engine] = time.perf_counter() - start
    return times


def view(client, path, params):
    response = client.get(path, params)
    assert response.status_code in (200, 302), response.status_code
    return response


def hit_queries(client):
    samples = {engine: [] for engine in ENGINES}
    for engine in ENGINES:  # warm every path once
        use(engine)
        for text in base.QUERIES:
            view(client, "/search/", {"q": text})
    for _ in range(base.REPEAT):
        for engine in ENGINES:
            use(engine)
            view(client, "/search/", {"q": base.QUERIES[0]})  # open the searcher untimed
            for text in base.QUERIES:
                samples[engine] += base.timed(lambda t=text: view(client, "/search/", {"q": t}), 1)
    return samples


def special_cases(client, topic, page):
    cases = {
        "empty query": ("/search/", {"q": ""}),
        "topic filter alone": ("/search/", {"topic": topic}),
        "zero-hit + suggestion": ("/search/", {"q": base.ZERO_HIT}),
        "autocomplete": ("/search/suggest/", {"q": "dopa"}),
        "page + related pages": (page, {}),
    }
    results = {}
    for name, (path, params) in cases.items():
        results[name] = {}
        for engine in ENGINES:
            use(engine)
            view(client, path, params)
            results[name][engine] = base.timed(lambda p=path, q=params: view(client, p, q), 20)
    use("postgres")
    zero_hit = view(client, "/search/", {"q": base.ZERO_HIT}).content.decode()
    return results, "Did you mean" in zero_hit


def row(name, whoosh, postgres):
    w50, w95 = base.summary(whoosh)
    p50, p95 = base.summary(postgres)
    print(f"{name:24}{w50:9.1f}{w95:9.1f}{p50:9.1f}{p95:9.1f}{p50 / w50:9.2f}x{p95 / w95:8.2f}x")


def measure(size):
    from resources.models import Article

    print(f"\n=== {size:,} resources (load average {os.getloadavg()[0]:.2f}) ===", flush=True)
    call_command("flush", interactive=False, verbosity=0)
    tags = base.build_corpus(size)
    built = rebuild_times()
    print(
        f"rebuild_index: Whoosh {built['whoosh']:.1f} s, PostgreSQL {built['postgres']:.1f} s "
        f"({built['postgres'] / built['whoosh']:.2f}x)"
    )
    client = Client()
    samples = hit_queries(client)
    page = Article.objects.order_by("pk").first().get_absolute_url()
    specials, suggestion = special_cases(client, tags[0].slug, page)
    heading = (
        f"{'ms':24}{'W p50':>9}{'W p95':>9}{'PG p50':>9}{'PG p95':>9}{'p50 PG/W':>10}{'p95':>9}"
    )
    print(f"\nthrough the view, Whoosh (W) and PostgreSQL (PG):\n{heading}")
    row(f"hit queries ({len(samples['whoosh'])})", samples["whoosh"], samples["postgres"])
    for name, by_engine in specials.items():
        row(name, by_engine["whoosh"], by_engine["postgres"])
    print(f"zero-hit page offers a suggestion on PostgreSQL: {suggestion}")
    print("aim: PostgreSQL within 1.5x of Whoosh at p50 for hit queries")


def main(sizes):
    load = os.getloadavg()
    print(
        f"engine benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} at start, database {PG_URL.rsplit('/', 1)[1]}"
    )
    call_command("migrate", verbosity=0)
    for size in sizes:
        measure(size)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])

"""Load benchmark, engine against engine: a different search on every request.

Run with `make bench-web` (after web_bench.py) or `python bench/web_engine_bench.py`. For
each engine (Whoosh, PostgreSQL) it serves the seed content from one PostgreSQL database
(BENCH_WEB_PG_URL, default PG_URL's server with database dmer_kb_web_bench, created if
missing and emptied) with `deploy/serve-prod.sh` on 127.0.0.1:8110, then drives it with
wrk at 200 connections, every request a different search (web_bench.py's script), and
prints requests per second and latency for both with the ratio. Only the engine differs.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import BIN, DISTINCT_QUERIES, ROOT, run, wait_for, wrk

SITE = "127.0.0.1:8110"
CONNECTIONS = 200
SERVER = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/dmer_kb").rsplit("/", 1)[0]
PG_URL = os.environ.get("BENCH_WEB_PG_URL", f"{SERVER}/dmer_kb_web_bench")


def fresh_database(url):
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def site_env(work, engine):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATA_DIR": str(work / engine),
        "STATIC_ROOT": str(work / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "ERROR",
        "BIND": SITE,
        "GUNICORN_BIND": "127.0.0.1:8111",
        "DATABASE_URL": PG_URL,
        "SEARCH_ENGINE": engine,
    }
    redis = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True)
    if redis.returncode == 0 and "PONG" in redis.stdout:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
    return env


def distinct_searches(work, engine):
    env = site_env(work, engine)
    manage = [str(BIN / "python"), "manage.py"]
    run([*manage, "rebuild_index", "--noinput", "-v0"], env)
    server = subprocess.Popen(
        [str(ROOT / "deploy" / "serve-prod.sh")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://{SITE}/search/?q=dopamine", timeout=120)
        script = work / "distinct.lua"
        script.write_text(DISTINCT_QUERIES)
        wrk(f"http://{SITE}/", CONNECTIONS, str(script))  # warm every worker
        return wrk(f"http://{SITE}/", CONNECTIONS, str(script))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    work = Path(tempfile.mkdtemp(prefix="kb-web-engines-"))
    work.chmod(0o755)
    fresh_database(PG_URL)
    try:
        env = site_env(work, "whoosh")
        run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"], env)
        run([str(BIN / "python"), "manage.py", "seed", "-v0"], env)
        load = os.getloadavg()[0]
        print(
            f"\nweb benchmark by engine: {os.cpu_count()} cores, load average {load:.2f}, "
            f"serve-prod on PostgreSQL, a different search on every request, "
            f"{CONNECTIONS} connections"
        )
        print(f"{'engine':12}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        figures = {}
        for engine in ("whoosh", "postgres"):
            rps, p50, p99, errors = figures[engine] = distinct_searches(work, engine)
            print(f"{engine:12}{rps:>10.0f}{p50:>9.1f}{p99:>9.1f}{errors:>9}")
        ratio = figures["postgres"][0] / figures["whoosh"][0]
        print(f"PostgreSQL / Whoosh throughput: {ratio:.2f}x (aim: at least 2x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

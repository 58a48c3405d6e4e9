"""The search benchmark runs at a small size on every `make test`, so it cannot rot."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "search_bench.py"


def run_bench(size, **env):
    # The benchmark sets its own production settings; nothing of this test run leaks in.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "DJANGO_"))}
    clean.update(BENCH_REPEAT="1", BENCH_SPECIAL_RUNS="2", **env)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(size)],
        capture_output=True, text=True, timeout=600, env=clean, cwd=ROOT,
    )  # fmt: skip


# The benchmark always runs on its own SQLite database: once per `make test` is enough.
once = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the benchmark uses its own SQLite database; it ran in the SQLite pass",
)


@once
def test_benchmark_runs_through_the_view_with_the_page_cache_off():
    result = run_bench(40)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "whole-page cache OFF" in out
    assert "ours (view)" in out and "raw Whoosh" in out and "stock Haystack" in out
    # (Whether 40 synthetic pages hold the corrected words is up to the corpus.)
    assert "zero-hit page offers a suggestion: " in out
    computed = int(out.rsplit("answered by the search view (never a cache): ", 1)[1].split()[0])
    assert computed >= 12 * 3  # every timed view request was a real search


@once
def test_benchmark_fails_when_a_cache_answers_the_view():
    result = run_bench(20, BENCH_PAGE_CACHE_SECONDS="600")
    assert result.returncode != 0
    assert "answered by the page cache" in result.stderr

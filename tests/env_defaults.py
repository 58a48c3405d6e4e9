"""Test-run defaults, set before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Whole-page caching is tested on its own (test_caching.py); elsewhere it would serve one
# test the pages of another.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Search tests run against a real Whoosh index, in a folder of its own for each run.
os.environ.setdefault("SEARCH_PATH", tempfile.mkdtemp(prefix="kb-test-index-"))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="kb-test-data-"))

"""Test-run defaults, set before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
# Search tests run against a real Whoosh index, in a folder of its own for each run.
os.environ.setdefault("SEARCH_PATH", tempfile.mkdtemp(prefix="kb-test-index-"))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="kb-test-data-"))

"""Cached pages as files, for nginx to serve without reaching Python.

Pages are written under ``PAGE_CACHE_DIR/<generation>/<path>/index.html`` (or
``<path>/q/<raw query string>.html`` for a page with a query, such as a shared search) and nginx
looks them up through the symlink ``PAGE_CACHE_DIR/current``. Any content change starts a
new, empty generation and swaps the symlink in one atomic rename, so nginx stops serving
every old page at that instant; a request that was rendering during the swap writes into
the old generation, which nobody reads any more.
"""

import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

SAFE_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)*$")
# The raw query string, as nginx's $args gives it: no slash, nothing to escape a folder.
SAFE_QUERY = re.compile(r"^[A-Za-z0-9=+&%._~-]{1,200}$")
KEEP_OLD = 2


def root():
    return Path(settings.PAGE_CACHE_DIR)


def current_generation():
    link = root() / "current"
    try:
        return os.readlink(link)
    except FileNotFoundError:
        return start_new_generation()


def start_new_generation():
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    name = f"g-{uuid.uuid4().hex}"
    (base / name).mkdir()
    temporary = base / f".current-{name}"
    os.symlink(name, temporary)
    os.replace(temporary, base / "current")
    _remove_old_generations(base, name)
    return name


def store(generation, path, query, content):
    """Write one page as nginx will look for it: <path>/index.html or <path>/q/<query>.html."""
    if not SAFE_PATH.match(path) or ".." in path or (query and not SAFE_QUERY.match(query)):
        return
    if not (root() / generation).is_dir():
        return  # a generation removed meanwhile: its pages are no longer wanted
    folder = root() / generation / path.strip("/")
    name = "index.html"
    if query:
        folder, name = folder / "q", f"{query}.html"
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".page-")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.chmod(temporary, 0o644)
    os.replace(temporary, folder / name)


def _remove_old_generations(base, keep):
    generations = sorted(
        (p for p in base.iterdir() if p.is_dir() and p.name.startswith("g-") and p.name != keep),
        key=lambda p: p.stat().st_mtime,
    )
    for old in generations[:-KEEP_OLD] if len(generations) > KEEP_OLD else []:
        shutil.rmtree(old, ignore_errors=True)

"""Cached pages as files, for nginx to serve without reaching Python.

Pages are written under ``PAGE_CACHE_DIR/<generation>/<scheme>-<host>/<path>/index.html`` (or
``<path>/q/<raw query string>.html`` for a page with a query, such as a shared search) and nginx
looks them up through the symlink ``PAGE_CACHE_DIR/current``. The scheme and host are part of
the address because a page carries its own absolute links; nginx looks only under an allowed
host, and only for a scheme Django would answer without a redirect. Any content change starts a
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

# "https-dmer.example.org:8443", as nginx spells it from X-Forwarded-Proto and Host.
SAFE_SITE = re.compile(r"^https?-[A-Za-z0-9][A-Za-z0-9.-]{0,252}(?::[0-9]{1,5})?$")
SAFE_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)*$")
# The raw query string, as nginx's $args gives it: no slash, nothing to escape a folder.
SAFE_QUERY = re.compile(r"^[A-Za-z0-9=+&%._~-]{1,200}$")
KEEP_OLD = 2
COUNTER_FILE = ".counter"  # beside the <scheme>-<host> folders, where nginx never looks


def root():
    return Path(settings.PAGE_CACHE_DIR)


def current_generation():
    link = root() / "current"
    try:
        return os.readlink(link)
    except FileNotFoundError:
        return start_new_generation()


def counter_of(generation):
    """The content counter a generation was made for (caching.content_version)."""
    try:
        return int((root() / generation / COUNTER_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def is_page_folder(folder):
    return (Path(folder) / "current").is_symlink()


def start_new_generation(counter=None, base=None):
    base = Path(base) if base else root()
    base.mkdir(parents=True, exist_ok=True)
    name = f"g-{uuid.uuid4().hex}"
    (base / name).mkdir()
    if counter is not None:
        (base / name / COUNTER_FILE).write_text(str(counter))
    temporary = base / f".current-{name}"
    os.symlink(name, temporary)
    os.replace(temporary, base / "current")
    _remove_old_generations(base, name)
    return name


def store(generation, site, path, query, content):
    """Write one page as nginx will look for it: <site>/<path>/index.html, or
    <site>/<path>/q/<query>.html."""
    if not SAFE_SITE.match(site) or ".." in site:
        return
    if not SAFE_PATH.match(path) or ".." in path or (query and not SAFE_QUERY.match(query)):
        return
    if not (root() / generation).is_dir():
        return  # a generation removed meanwhile: its pages are no longer wanted
    folder = root() / generation / site / path.strip("/")
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

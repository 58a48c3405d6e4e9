"""Whole pages cached for anonymous readers, and dropped the moment content changes.

Every page is cached under the current *content version*, a counter in the cache that is
bumped after the commit of any change to a resource, its topics, a topic, a crisis line or
a synonym group. A moderator's correction is therefore never hidden behind a stale copy,
in any worker: they all read the same counter (from Redis in production).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from . import page_files as disk

log = logging.getLogger(__name__)
VERSION_KEY = "kb:content-version"
PAGE_DIR_KEY = "kb:page-cache-dir"
# What a view's decorators leave on the response for the outer middleware to read
# (@xframe_options_exempt, django-csp's @csp_replace and friends): kept with a cached page,
# so the copy gets the same headers as the original. The oEmbed card stays frameable.
PRESERVED_ATTRIBUTES = (
    "xframe_options_exempt",
    "_csp_exempt", "_csp_exempt_ro", "_csp_update", "_csp_update_ro",
    "_csp_replace", "_csp_replace_ro", "_csp_config", "_csp_config_ro",
)  # fmt: skip
SKIPPED_PREFIXES = ("/healthz", "/static/", "/preview/", "/" + settings.ADMIN_URL)


def content_version():
    """Shared by every worker and process: the counter in the cache (Redis, or the database
    cache; never per-process memory), and with nginx the page-file generation made for it.

    A server that serves page files starts a new generation as soon as it sees a counter
    its current generation was not made for, and leaves the folder's name in the cache so
    that a process started without PAGE_CACHE_DIR (a restore from a shell) can swap the
    generation nginx reads too.
    """
    counter = cache.get(VERSION_KEY)
    if counter is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        counter = cache.get(VERSION_KEY, 1)
    if not settings.PAGE_CACHE_DIR:
        return counter
    generation = disk.current_generation()
    if disk.counter_of(generation) != counter:
        cache.set(PAGE_DIR_KEY, settings.PAGE_CACHE_DIR, timeout=None)
        generation = disk.start_new_generation(counter)
    return generation


def bump_content_version():
    try:
        counter = cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value invalidates every page
        counter = (cache.get(VERSION_KEY) or 1) + 1
        cache.set(VERSION_KEY, counter, timeout=None)
    folder = settings.PAGE_CACHE_DIR or cache.get(PAGE_DIR_KEY)
    if folder and disk.is_page_folder(folder):
        try:
            disk.start_new_generation(counter, base=folder)
        except OSError as error:  # another user's folder: the server swaps at its next page
            log.warning("Could not start a new page-file generation in %s: %s", folder, error)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        site = f"{request.scheme}-{request.get_host()}"  # pages differ by host and scheme
        key = f"kb:page:{version}:{site}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            response = _rebuild(*stored)
            response["X-Cache"] = "HIT"
            return response
        generation = version if settings.PAGE_CACHE_DIR else None
        response = self.get_response(request)
        if self.cacheable_response(response):
            headers = [(k, v) for k, v in response.items()]
            attributes = {
                name: getattr(response, name)
                for name in PRESERVED_ATTRIBUTES
                if hasattr(response, name)
            }
            stored = (response.status_code, headers, response.content, attributes)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "MISS"
            html = response["Content-Type"].startswith("text/html")
            # nginx adds one fixed set of headers to every file: a page whose view changed
            # them (the embeddable card) is served by Django only.
            if generation and html and request.method == "GET" and not attributes:
                query = request.META.get("QUERY_STRING", "")
                disk.store(generation, site, request.path, query, response.content)
        return response

    def cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(SKIPPED_PREFIXES)
        )

    def cacheable_response(self, response):
        vary = response.get("Vary", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cookie" not in vary
            and "private" not in response.get("Cache-Control", "")
        )


def _rebuild(status, headers, content, attributes):
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    for name, value in attributes.items():
        setattr(response, name, value)
    return response

"""Whole pages cached for anonymous readers, and dropped the moment content changes.

Every page is cached under the current *content version*, a counter in the cache that is
bumped after the commit of any change to a resource, its topics, a topic, a crisis line or
a synonym group. A moderator's correction is therefore never hidden behind a stale copy,
in any worker: they all read the same counter (from Redis in production).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from . import page_files as disk

VERSION_KEY = "kb:content-version"
SKIPPED_PREFIXES = ("/healthz", "/static/", "/preview/", "/" + settings.ADMIN_URL)


def content_version():
    """Shared by every worker: the page-file generation with nginx, else the cache's counter.

    (With several workers and neither nginx nor Redis, each worker would keep its own
    counter; deploy/serve-prod.sh turns the page cache off in that case.)
    """
    if settings.PAGE_CACHE_DIR:
        return disk.current_generation()
    return shared_counter()


def shared_counter():
    """The cache's counter: one for every machine when the cache is Redis."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version():
    # The counter moves even with page files: other machines' follow_content_version
    # watches it and replaces their own files.
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value invalidates every page
        cache.set(VERSION_KEY, (cache.get(VERSION_KEY) or 1) + 1, timeout=None)
    if settings.PAGE_CACHE_DIR:
        disk.start_new_generation()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        key = f"kb:page:{version}:{request.get_host()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = _rebuild(status, headers, content)
            response["X-Cache"] = "HIT"
            return response
        generation = version if settings.PAGE_CACHE_DIR else None
        response = self.get_response(request)
        if self.cacheable_response(response):
            headers = [(k, v) for k, v in response.items()]
            cache.set(
                key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS
            )
            response["X-Cache"] = "MISS"
            html = response["Content-Type"].startswith("text/html")
            if generation and html and request.method == "GET":
                query = request.META.get("QUERY_STRING", "")
                disk.store(generation, request.path, query, response.content)
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


def _rebuild(status, headers, content):
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response

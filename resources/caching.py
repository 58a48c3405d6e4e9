"""Whole pages cached for anonymous readers, and dropped the moment content changes.

Every page is cached under the current *content version*, a counter in the cache that is
bumped after the commit of any change to a resource, its topics, a topic, a crisis line or
a synonym group. A moderator's correction is therefore never hidden behind a stale copy,
in any worker: they all read the same counter (from Redis in production).
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "kb:content-version"
SKIPPED_PREFIXES = ("/healthz", "/static/", "/" + settings.ADMIN_URL)


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value invalidates every page
        cache.set(VERSION_KEY, content_version() + 1, timeout=None)


def content_changed(**kwargs):
    transaction.on_commit(bump_content_version)


def connect_signals():
    models = [
        apps.get_model(label)
        for label in (
            "resources.Article", "resources.TreatmentStrategy", "resources.Reference",
            "resources.CrisisLine", "resources.SynonymGroup", "taggit.Tag", "taggit.TaggedItem",
        )
    ]  # fmt: skip
    for model in models:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-del-{model}")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = f"kb:page:{content_version()}:{request.get_host()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = _rebuild(status, headers, content)
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            headers = [(k, v) for k, v in response.items()]
            cache.set(
                key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS
            )
            response["X-Cache"] = "MISS"
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
    from django.http import HttpResponse

    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response

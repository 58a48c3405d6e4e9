"""Where a link lands: current slugs, old slugs, replacements, renamed topics.

Links from forums live for years. Pages, exports, feeds, the API and search links all ask
this module what an address means today.
"""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from taggit.models import Tag

from ..models import RESOURCE_MODELS, SlugRedirect


def find_page(model, slug):
    """The resource a link to ``slug`` means, and whether the link has moved.

    Links from forums live for years: an old slug, a merged resource or a page moved to a
    replacement answers with the address the reader should land on (``moved`` is True).
    Archived pages still answer at their own address, with a notice. None: no such page.
    """
    pages = model.objects.with_public_page().prefetch_related("topics")
    obj, moved = pages.filter(slug=slug).first(), False
    if obj is None:
        obj, moved = SlugRedirect.target(model, slug, queryset=pages), True
        if obj is None:
            return None, False
    landing = obj.landing_page()
    return landing, moved or landing.pk != obj.pk


def page_or_redirect(model, slug):
    """Raise 404 (kindly, if the page was public once) or return (object, redirect or None)."""
    obj, moved = find_page(model, slug)
    if obj is None:
        if model.objects.filter(slug=slug, first_published_at__isnull=False).exists():
            raise TemporarilyUnavailable
        raise Http404("No such page.")
    return obj, (redirect(obj, permanent=True) if moved else None)


class TemporarilyUnavailable(Http404):
    """A page that was public and has gone back to draft for rework."""


def moved_topic(slug):
    """The topic that once had this slug (renamed or merged away), if any."""
    return SlugRedirect.target(Tag, slug, queryset=Tag.objects.all())


def current_topic_slug(slug):
    """(the topic's slug now, whether it moved) for a slug from a link; (None, False) if
    no topic ever had it. Shared search links, feeds and API filters follow renames."""
    if Tag.objects.filter(slug=slug).exists():
        return slug, False
    moved = moved_topic(slug)
    return (moved.slug, True) if moved is not None else (None, False)


SHORT_CODE_MODELS = {model.short_prefix: model for model in RESOURCE_MODELS}
# ASCII digits only, and few of them: str.isdigit() accepts "²" and int() refuses more than
# 4,300 digits, both of which int() turns into a 500.
SHORT_CODE = re.compile(r"([a-z])([0-9]{1,18})")


def short_link(request, code):
    """/r/a12 -> the article's current address, whatever its title or slug became."""
    match = SHORT_CODE.fullmatch(code)
    model = SHORT_CODE_MODELS.get(match[1]) if match else None
    if model is None:
        raise Http404("No such short link.")
    obj = get_object_or_404(model.objects.with_public_page(), pk=int(match[2]))
    return redirect(obj.landing_page(), permanent=True)

"""oEmbed provider (https://oembed.com/) and the card it embeds."""

from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt

from ..models import kinds_by
from . import sharing

DETAIL_VIEWS = kinds_by("url_name")
EMBED_KINDS = kinds_by("url_kind")
KIND_OF = {model: kind for kind, model in EMBED_KINDS.items()}
CARD_WIDTH, CARD_HEIGHT = 480, 220


def error(status, message):
    return JsonResponse({"error": message}, status=status)


def resource_for_url(url):
    """The published resource a page URL points to, or None."""
    try:
        match = resolve(urlsplit(url).path)
    except (Resolver404, ValueError):  # ValueError: "Invalid IPv6 URL" and the like
        return None
    model = DETAIL_VIEWS.get(match.url_name) if match.namespace == "resources" else None
    if model is None:
        return None
    return model.objects.published().filter(slug=match.kwargs.get("slug")).first()


def bounded(raw, default):
    try:
        return max(min(int(raw), default), 100)
    except (TypeError, ValueError):
        return default


def oembed(request):
    url = request.GET.get("url", "").strip()
    if not url:
        return error(400, "The url parameter is required.")
    if request.GET.get("format", "json") != "json":
        return error(501, "Only format=json is supported.")
    obj = resource_for_url(url)
    if obj is None:
        return error(404, "No published page at that URL.")
    width = bounded(request.GET.get("maxwidth"), CARD_WIDTH)
    height = bounded(request.GET.get("maxheight"), CARD_HEIGHT)
    image = sharing.share_image(request)
    data = {
        "version": "1.0",
        "type": "link",
        "title": obj.title,
        "provider_name": "D-MER Knowledge Base",
        "provider_url": sharing.absolute(request, "/"),
        "cache_age": 86400,
        "thumbnail_url": image["url"],
        "thumbnail_width": image["width"],
        "thumbnail_height": image["height"],
    }
    if request.GET.get("type") != "link":
        embed = sharing.absolute(request, f"/embed/{KIND_OF[type(obj)]}/{obj.slug}/")
        data.update(
            type="rich",
            width=width,
            height=height,
            html=(
                f'<iframe src="{embed}" width="{width}" height="{height}" '
                f'title="{escape(obj.title)}" style="border:1px solid #c9ced6;border-radius:6px" '
                'loading="lazy"></iframe>'
            ),
        )
    return JsonResponse(data)


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed_card(request, kind, slug):
    model = EMBED_KINDS.get(kind)
    if model is None:
        raise Http404("Unknown kind.")
    obj = get_object_or_404(model.objects.published(), slug=slug)
    return render(
        request,
        "resources/embed_card.html",
        {"object": obj, "url": sharing.absolute(request, obj.get_absolute_url())},
    )

"""Previews of unpublished pages, exactly as the public will see them.

Staff preview any resource they may view; an outside clinical reviewer without an account
gets a signed link that expires after PREVIEW_LINK_DAYS.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ..links import sharing
from ..models import Article, PreviewLinkGeneration, Reference, TreatmentStrategy, kinds_by
from .views import resource_page_context

KINDS = kinds_by("url_kind")
SALT = "resources.preview"
TEMPLATES = {
    Article: "resources/article_detail.html",
    TreatmentStrategy: "resources/strategy_detail.html",
    Reference: "resources/reference_detail.html",
}


def kind_of(obj):
    return obj.url_kind


def signed_url(obj):
    value = f"{kind_of(obj)}:{obj.pk}:{PreviewLinkGeneration.current(obj)}"
    token = signing.TimestampSigner(salt=SALT).sign(value)
    return reverse("resources:signed_preview", args=[token])


def render_preview(request, obj, expires=None):
    context = {
        **resource_page_context(obj),
        "preview": {"status": obj.get_status_display(), "expires": expires},
        "meta": sharing.page_meta(request, obj),
        "share_texts": [],
    }
    response = render(request, TEMPLATES[type(obj)], context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@staff_member_required
def staff_preview(request, kind, pk):
    model = KINDS.get(kind)
    if model is None or not request.user.has_perm(f"resources.view_{model._meta.model_name}"):
        raise Http404("Nothing to preview.")
    return render_preview(request, get_object_or_404(model, pk=pk))


@never_cache
def signed_preview(request, token):
    max_age = settings.PREVIEW_LINK_DAYS * 24 * 3600
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        return render(request, "resources/preview_expired.html", status=410)
    except signing.BadSignature:
        raise Http404("This preview link is not valid.") from None
    kind, pk, generation = [*value.split(":"), "0"][:3]
    obj = get_object_or_404(KINDS[kind], pk=pk)
    if generation != str(PreviewLinkGeneration.current(obj)):  # a moderator ended it early
        return render(request, "resources/preview_expired.html", {"ended": True}, status=410)
    return render_preview(request, obj, expires=f"{settings.PREVIEW_LINK_DAYS} days")

"""The readers' suggestion form: into a moderation queue, with spam kept out.

No third-party service: a honeypot field, a limit per address (counted on a hash of the
address, which is never stored) and size limits.
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ..models import Suggestion
from ..serving.addresses import client_ip
from . import once

LIMIT_PER_HOUR = 5


class SuggestionForm(forms.ModelForm):
    # Hidden from people by CSS; bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")
    source_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Link to a source"
    )

    class Meta:
        model = Suggestion
        fields = ["kind", "page", "message", "source_url", "email"]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
            "page": forms.TextInput(attrs={"maxlength": 300}),
        }
        help_texts = {
            "message": "What should we add or correct? At most 5,000 characters.",
            "email": "Optional: only if you would like a reply. We use it for nothing else.",
        }


def address_key(request):
    address = client_ip(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"kb:suggest:{digest}"


def over_limit(request):
    """True once this address has sent LIMIT_PER_HOUR messages within the hour.

    Each message takes one of LIMIT_PER_HOUR slots with cache.add(), which is atomic in
    Redis and in the database cache, so workers that share the cache share one count
    (incr() is a read then a write in every backend but Redis).
    """
    key = address_key(request)
    return not any(cache.add(f"{key}:{slot}", 1, 3600) for slot in range(LIMIT_PER_HOUR))


OnceSuggestionForm = once.with_token(SuggestionForm)


@never_cache
def suggest(request):
    initial = {"page": request.GET.get("page", "")[:300]}
    form = OnceSuggestionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("resources:suggest_thanks")  # a bot: thanked, and forgotten
        with transaction.atomic():
            if not once.claim(form.cleaned_data[once.FIELD]):  # a double click, or resent
                return redirect(reverse("resources:suggest_thanks") + "?again=1")
            if not over_limit(request):
                form.save()
                return redirect("resources:suggest_thanks")
            transaction.set_rollback(True)  # not sent: the same form may be sent later
        form.add_error(
            None,
            "Too many messages from your connection in the last hour. "
            "Your text is still here: please send it again later.",
        )
        status = 429
    return render(request, "resources/suggest.html", {"form": form}, status=status)


def suggest_thanks(request):
    return render(request, "resources/suggest_thanks.html", {"again": "again" in request.GET})

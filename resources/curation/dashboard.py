"""What needs a moderator's attention, for the admin home page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from ..models import RESOURCE_MODELS, Reference, Suggestion

SOON = datetime.timedelta(days=30)


def rows():
    today = timezone.localdate()
    result = []
    for model in RESOURCE_MODELS:
        url = reverse(f"admin:resources_{model._meta.model_name}_changelist")
        published = model.objects.published()
        result.append({
            "name": model._meta.verbose_name_plural.capitalize(),
            "in_review": (model.objects.filter(status="review").count(),
                          f"{url}?status__exact=review"),
            "overdue": (published.filter(next_review_due_on__lt=today).count(),
                        f"{url}?review=overdue"),
            "due_soon": (published.filter(next_review_due_on__gte=today,
                                          next_review_due_on__lte=today + SOON).count(),
                         f"{url}?review=soon"),
            "never_reviewed": (published.filter(last_reviewed_on__isnull=True).count(),
                               f"{url}?review=never"),
        })  # fmt: skip
    return result


def queues():
    """Counts outside the per-kind table: broken reference links and new suggestions."""
    return [
        (
            "References with broken links",
            Reference.objects.filter(link_ok=False).count(),
            reverse("admin:resources_reference_changelist") + "?link_ok__exact=0",
        ),
        (
            "New suggestions from readers",
            Suggestion.objects.filter(state=Suggestion.State.NEW).count(),
            reverse("admin:resources_suggestion_changelist") + "?state__exact=new",
        ),
    ]

"""What the API's search response adds to the results: the crisis signal and corrections."""

from django.urls import reverse

from ..links import sharing
from ..models import CrisisLine


def crisis_lines(request):
    return [
        {"region": line.region, "name": line.name, "kind": line.kind,
         "contact": line.contact, "dial": line.dial or None}
        for line in CrisisLine.objects.shown().filter(kind__in=["emergency", "crisis"])
    ]  # fmt: skip


def extras(request, answer):
    """`crisis`: shown first by any client when the query expresses suicidal thoughts."""
    crisis = {"detected": bool(answer.crisis), "lines": [], "help_url": None}
    if answer.crisis:
        crisis["lines"] = crisis_lines(request)
        crisis["help_url"] = sharing.absolute(request, reverse("resources:help_now"))
    return {"crisis": crisis, "corrected_from": answer.corrected_from or None}

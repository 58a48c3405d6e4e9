"""What the site offers beside resources: crisis lines and terms, readers' suggestions."""

from django.db import models


class CrisisLine(models.Model):
    """A line listed in the crisis-help box. Emergency, crisis and support lines differ."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", "Emergency services"
        CRISIS = "crisis", "Crisis line"
        SUPPORT = "support", "Support line (not for emergencies)"

    region = models.CharField(max_length=60)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    contact = models.CharField(max_length=200, help_text="How to reach it, as a reader reads it.")
    dial = models.CharField(
        max_length=20,
        blank=True,
        help_text="Digits for a tap-to-call link, e.g. 988 or +18338526262.",
    )
    notes = models.CharField(max_length=300, blank=True)
    confidence = models.CharField(
        max_length=10,
        choices=[("confirmed", "Confirmed"), ("partial", "Partially confirmed")],
        default="confirmed",
        help_text="How far the number was confirmed against its official source.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # Emergency services first, support lines (not for emergencies) last.
        ordering = [
            models.Case(
                models.When(kind="emergency", then=0),
                models.When(kind="crisis", then=1),
                default=2,
            ),
            "position",
            "region",
        ]

    def __str__(self):
        return f"{self.name} ({self.region})"


class Suggestion(models.Model):
    """A reader's suggestion or error report: it waits for a moderator, never on the site."""

    class Kind(models.TextChoices):
        RESOURCE = "resource", "Suggest a source or topic"
        ERROR = "error", "Report an error"

    class State(models.TextChoices):
        NEW = "new", "New"
        DRAFTED = "drafted", "Turned into a draft"
        DISMISSED = "dismissed", "Dismissed"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ERROR)
    page = models.CharField("about the page", max_length=300, blank=True)
    message = models.TextField(max_length=5000)
    source_url = models.URLField("link to a source", max_length=500, blank=True)
    email = models.EmailField("email for a reply", blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.message[:60]


class CrisisTerm(models.Model):
    """A word or phrase that signals suicidal thoughts or self-harm.

    One list serves both the publishing gate (a page whose text contains one must show the
    crisis box) and search (a query containing one shows crisis help first). Moderators
    extend it; a migration seeds it.
    """

    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text="Lower case, as a reader would type it, e.g. 'want to die' or 'self-harm'.",
    )
    pages_only = models.BooleanField(
        "pages only",
        default=False,
        help_text="Only for pages (for example 'severe D-MER'): a search containing it is "
        "not treated as a reader in crisis.",
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

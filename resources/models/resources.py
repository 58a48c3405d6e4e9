"""Resource: what every kind of resource has, and how its Markdown becomes a page."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from ..content import markup
from ..content.text import lines
from . import gates, invariants
from .links import Landing
from .querysets import ResourceQuerySet
from .workflow import Status, Workflow, WorkflowError


def distinct(objects):
    """The objects in their order, each once (two citation keys may stand for one source)."""
    return list({obj.pk: obj for obj in objects}.values())


def topic_names_of(model, pk):
    """One topic per line, sorted: how a revision records a resource's topics."""
    names = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=pk
    ).values_list("tag__name", flat=True)
    return "\n".join(sorted(names, key=str.casefold))


def references():
    # Reference is itself a Resource (kinds.py): the app registry names it without a cycle.
    return apps.get_model("resources", "Reference").objects


@dataclass
class Rendered:
    """A resource's Markdown fields as safe HTML, with its numbered reference list."""

    fields: dict[str, SafeString] = field(default_factory=dict)
    references: list = field(default_factory=list)


class Resource(Workflow, Landing, models.Model):
    """What every kind of resource has: identity, summary, status and review dates."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "Everyone (plain language)"
        CLINICIANS = "clinicians", "For clinicians"

    Status = Status

    PUBLIC_PAGE_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Permanent: it is part of every link to this page."
    )
    summary = models.CharField(
        max_length=250, help_text="At most 250 characters. Shown in lists and in link previews."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other names a reader might type, one per line (for example DMER). "
        "A search for exactly a title or an alias goes straight to this page.",
    )
    questions = models.TextField(
        "questions this page answers",
        blank=True,
        help_text="Questions a reader would type that this page answers, one per line "
        "(for example: Will it stop if I wean?). Searched, and listed on the page.",
    )
    audience = models.CharField(
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text="Pages for everyone are held to a plain-language reading level; pages "
        "for clinicians may use clinical terms.",
    )
    crisis_help = models.BooleanField(
        "shows crisis help",
        default=False,
        help_text="Tick for any page about severe D-MER, self-harm or suicidal thoughts: "
        "it shows the crisis-help box near the top.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_reviewed_on = models.DateField(
        null=True, blank=True, help_text="When the whole page was last checked. Set by a person."
    )
    next_review_due_on = models.DateField(null=True, blank=True)
    reviewed_by = models.CharField(
        "reviewed by",
        max_length=200,
        blank=True,
        help_text="Who last reviewed the whole page editorially (a name, or the team).",
    )
    # Editorial review (above) and clinical review (below) are separate facts.
    reviewer_role = models.CharField(
        "reviewer's role",
        max_length=200,
        blank=True,
        help_text="Their role, for example 'Editor' or 'Lactation consultant (IBCLC)'.",
    )
    clinical_reviewer = models.CharField(
        "checked by a clinician",
        max_length=200,
        blank=True,
        help_text="The clinician who checked the page; blank until one has.",
    )
    clinical_credential = models.CharField(
        "clinician's credential", max_length=200, blank=True, help_text="For example MD, IBCLC."
    )
    clinically_reviewed_on = models.DateField("clinical check on", null=True, blank=True)
    readability_grade = models.FloatField(
        "reading grade",
        null=True,
        blank=True,
        editable=False,
        help_text="Flesch-Kincaid grade of the text, stored at every save.",
    )
    # Who wrote the current content (four eyes: they may not publish it) and who approved
    # the publication time (the scheduler publishes only what such a person approved).
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    topics = TaggableManager(blank=True, verbose_name="topics")
    publish_at = models.DateTimeField(
        "publish automatically at",
        null=True,
        blank=True,
        help_text="For a page in review: it is published at this time by manage.py "
        "publish_scheduled (run every minute by make serve-prod), if nothing is missing and "
        "a moderator who did not write it approved the time (Schedule).",
    )
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="replaced by",
        help_text="For an archived page: the page that replaces it. Its archive notice "
        "points there.",
    )
    redirect_to_replacement = models.BooleanField(
        "send readers straight to the replacement",
        default=False,
        help_text="Once archived, the old address answers 301 to the replacement instead "
        "of showing the archive notice. Merging sets this.",
    )
    # The topics as plain text, one per line, kept in step with the tags: taggit's links
    # are not part of a revision, this is, so the history shows and restores topics.
    topic_names = models.TextField("topics", blank=True, editable=False)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A new random value at every admin save or workflow step: a moderator who saves over a
    # newer change is told so. Random rather than counted, so that restoring an old
    # revision (which brings back its old value) still moves to a value nobody holds.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ResourceQuerySet.as_manager()

    markdown_fields = ()
    # Each kind's facts, declared once on its class (kinds.py); everything else derives
    # from them: detail and list URL names, the API and sitemap collection, the kind in
    # preview and embed addresses, the short-link prefix.
    url_name = ""
    list_url_name = ""
    collection = ""
    url_kind = ""
    short_prefix = ""
    sitemap_priority = 0.5
    requires_citation = True

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        invariants.before_save(self)
        self.save_dates()
        if self.pk is not None:
            self.topic_names = topic_names_of(type(self), self.pk)
        if kwargs.get("update_fields") is not None:
            extra = {"archived_at", "topic_names", *invariants.DERIVED_FIELDS}
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"resources:{self.url_name}", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        # Read from the stored row too: an object in memory may say otherwise.
        if self.pk is not None:
            invariants.refuse_deleting(type(self)._base_manager.filter(pk=self.pk))
        if self.was_ever_public():
            raise WorkflowError(f"“{self}” was public, so it cannot be deleted: archive it.")
        return super().delete(*args, **kwargs)

    def save_dates(self):
        # The dates follow the status however it was set (workflow step, fixture, shell).
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        if self.status == self.Status.ARCHIVED and self.archived_at is None:
            self.archived_at = timezone.now()
        elif self.status != self.Status.ARCHIVED:
            self.archived_at = None

    def was_ever_public(self):
        """Published at some point: its address is in forums, so it is never deleted."""
        return self.first_published_at is not None or self.has_public_page()

    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def has_public_page(self):
        """Published pages, and archived ones: a link that once worked keeps working."""
        return self.status in self.PUBLIC_PAGE_STATUSES

    @property
    def kind(self):
        return self._meta.verbose_name

    def clean(self):
        super().clean()
        if gates.crisis_terms_in(self):
            self.crisis_help = True  # it cannot be turned off: see gates.py
        errors = {}
        unknown = self.unknown_citation_keys()
        if unknown:
            field_name = self.markdown_fields[0]
            errors[field_name] = (
                f"Unknown reference key(s): {', '.join('@' + k for k in unknown)}. "
                "Add the reference first, or correct the key."
            )
        if (
            self.last_reviewed_on
            and self.next_review_due_on
            and self.next_review_due_on <= self.last_reviewed_on
        ):
            errors["next_review_due_on"] = "The next review must fall after the last review."
        if self.replaced_by_id is not None:
            *_, last = [self, *self.replacement_chain()]
            if last.replaced_by_id is not None:  # the chain stopped where it loops
                errors["replaced_by"] = (
                    "A page cannot be replaced by itself, directly or through the pages "
                    "that replace it."
                )
        elif self.redirect_to_replacement:
            errors["redirect_to_replacement"] = "Choose the page that replaces this one first."
        if errors:
            raise ValidationError(errors)

    def markdown_sources(self):
        return [getattr(self, name) for name in self.markdown_fields]

    def alias_list(self):
        return lines(self.aliases)

    def cited_keys(self):
        return markup.cited_keys(*self.markdown_sources())

    def unknown_citation_keys(self):
        keys = self.cited_keys()
        known = set(references().filter(key__in=keys).values_list("key", flat=True))
        return [key for key in keys if key not in known]

    def cited_reference_map(self):
        """Cited key -> the published reference it stands for.

        A key of a reference merged into another stands for the survivor, so pages citing
        either key keep their source after a merge.
        """
        keys = self.cited_keys()
        found = {}
        for ref in references().with_public_page().filter(key__in=keys):
            landing = ref.landing_page()
            if landing.is_published():
                found[ref.key] = landing
        return {key: found[key] for key in keys if key in found}

    def cited_references(self):
        """Published references cited here, in order of first citation, each once."""
        return distinct(self.cited_reference_map().values())

    def rendered(self):
        cited = self.cited_reference_map()
        references = distinct(cited.values())
        position = {ref.pk: number for number, ref in enumerate(references, start=1)}
        numbers = {key: position[ref.pk] for key, ref in cited.items()}
        fields = {
            name: markup.render_markdown(getattr(self, name), numbers)
            for name in self.markdown_fields
        }
        return Rendered(fields=fields, references=references)

    def search_text(self):
        """The page's words as the reader sees them, section headings included."""
        parts = []
        for name in self.markdown_fields:
            text = markup.plain_text(getattr(self, name))
            if text and len(self.markdown_fields) > 1:
                parts.append(f"{self._meta.get_field(name).verbose_name.capitalize()}:")
            parts.append(text)
        return " ".join(parts)

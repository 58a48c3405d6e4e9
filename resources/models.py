import secrets
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from taggit.managers import TaggableManager

from . import citations, gates, invariants, markup
from .querysets import ResourceQuerySet
from .topics import topic_names_of
from .validators import normalize_doi, validate_doi, validate_pmid


def new_version():
    return secrets.randbelow(2**31 - 2) + 2


def distinct(objects):
    """The objects in their order, each once (two citation keys may stand for one source)."""
    return list({obj.pk: obj for obj in objects}.values())


class WorkflowError(ValidationError):
    """A step the workflow does not allow, or a resource not ready for it."""


@dataclass
class Rendered:
    """A resource's Markdown fields as safe HTML, with its numbered reference list."""

    fields: dict[str, SafeString] = field(default_factory=dict)
    references: list = field(default_factory=list)


class Resource(models.Model):
    """What every kind of resource has: identity, summary, status and review dates."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "Everyone (plain language)"
        CLINICIANS = "clinicians", "For clinicians"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

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
    url_name = ""
    short_prefix = ""
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

    def replacement_chain(self):
        """The pages that replace this one, in turn; it stops at the end or where it loops."""
        seen, obj = {self.pk}, self.replaced_by
        while obj is not None and obj.pk not in seen:
            yield obj
            seen.add(obj.pk)
            obj = obj.replaced_by

    def live_replacement(self):
        """The published page that replaces this one, following a chain of replacements."""
        return next((obj for obj in self.replacement_chain() if obj.is_published()), None)

    def landing_page(self):
        """Where a reader following a link to this resource lands.

        Itself, unless it is archived with "send readers straight to the replacement" (a
        merge) and a live replacement exists: then that replacement.
        """
        if self.status == self.Status.ARCHIVED and self.redirect_to_replacement:
            return self.live_replacement() or self
        return self

    # Workflow ---------------------------------------------------------------------------
    # Draft -> in review -> published -> archived, and back to draft from any of them.
    TRANSITIONS = {
        "submit": ({"draft"}, "review"),
        "publish": ({"review"}, "published"),
        "archive": ({"published"}, "archived"),
        "return_to_draft": ({"review", "published", "archived"}, "draft"),
        # Merging retires a resource whatever its state; see services.merge_resources.
        "merge": ({"draft", "review", "published", "archived"}, "archived"),
    }

    # The steps keep their names; the rules (roles, four eyes, gates, drafts of live pages)
    # are in resources/drafts.py, which every path goes through.
    def submit_for_review(self, *, by):
        from . import drafts

        drafts.submit(self, by=by)

    def publish(self, *, by, override_readability=False):
        from . import drafts

        drafts.approve_and_publish(self, by=by, override_readability=override_readability)

    def archive(self, *, by):
        from . import drafts

        drafts.archive(self, by=by)

    def return_to_draft(self, *, by):
        from . import drafts

        drafts.unpublish(self, by=by)

    def missing_for_publication(self):
        missing = []
        if not self.summary.strip():
            missing.append("add a summary")
        if self.requires_citation and not self.cited_keys():
            missing.append("cite at least one reference")
        if self.cited_keys() and self.unknown_citation_keys():
            missing.append("fix unknown reference keys " + ", ".join(self.unknown_citation_keys()))
        if not self.last_reviewed_on:
            missing.append("set the last-reviewed date")
        if not self.reviewed_by.strip():
            missing.append("name who reviewed it")
        return missing

    def merge_into(self, survivor, *, by):
        """Retire this resource in favour of `survivor`: its links answer 301 there."""
        self.replaced_by = survivor
        self.redirect_to_replacement = True
        self._step("merge", by, comment=f"Merged into “{survivor}”")

    def change_topics(self, *, by, add=(), remove=()):
        """Add topic names and remove topics as one recorded change.

        The search index and the page cache follow through the tagging signals; the new
        version makes a moderator who had the page open reload before saving over it.
        """
        with reversion.create_revision():
            self.topics.add(*add)
            self.topics.remove(*remove)
            self.version = new_version()
            self.save(update_fields=["version", "updated_at"])
            reversion.set_user(by)
            added = f"added {', '.join(map(str, add))}" if add else ""
            removed = f"removed {', '.join(map(str, remove))}" if remove else ""
            reversion.set_comment("Topics " + "; ".join(filter(None, [added, removed])))

    def _check_step(self, step):
        allowed_from, target = self.TRANSITIONS[step]
        if self.status not in allowed_from:
            raise WorkflowError(
                f"“{self.title}” is {self.get_status_display().lower()}: it cannot go to "
                f"{self.Status(target).label.lower()} from there."
            )
        return target

    def _step(self, step, by, comment="", event=None):
        target = self._check_step(step)
        previous = self.status
        self.status = target
        self.version = new_version()
        # Status, revision and workflow event commit together, whoever calls the step.
        with transaction.atomic():
            with reversion.create_revision():
                self.save()
                reversion.set_user(by)
                reversion.set_comment(
                    comment or f"{self.Status(previous).label} → {self.Status(target).label}"
                )
            WorkflowEvent.objects.create(
                content_object=self, from_status=previous, to_status=target, by=by,
                **(event or {}),
            )  # fmt: skip

    def workflow_events(self):
        return WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(self), object_id=self.pk
        ).select_related("by")

    def short_code(self):
        return f"{self.short_prefix}{self.pk}"

    def get_short_url(self):
        """A permanent link that survives any change of title or slug."""
        return reverse("resources:short_link", kwargs={"code": self.short_code()})

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
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def cited_keys(self):
        return markup.cited_keys(*self.markdown_sources())

    def unknown_citation_keys(self):
        keys = self.cited_keys()
        known = set(Reference.objects.filter(key__in=keys).values_list("key", flat=True))
        return [key for key in keys if key not in known]

    def cited_reference_map(self):
        """Cited key -> the published reference it stands for.

        A key of a reference merged into another stands for the survivor, so pages citing
        either key keep their source after a merge.
        """
        keys = self.cited_keys()
        found = {}
        for ref in Reference.objects.with_public_page().filter(key__in=keys):
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


@reversion.register()
class Reference(Resource):
    """A bibliographic record: what the site's claims stand on."""

    class Type(models.TextChoices):
        JOURNAL_ARTICLE = "journal", "Journal article"
        BOOK = "book", "Book"
        BOOK_CHAPTER = "chapter", "Book chapter"
        WEBSITE = "website", "Website"
        CONFERENCE = "conference", "Conference presentation"
        PREPRINT = "preprint", "Preprint"
        DATABASE = "database", "Database entry"

    class Design(models.TextChoices):
        REVIEW = "review", "Review"
        OBSERVATIONAL = "observational", "Observational study or survey"
        QUALITATIVE = "qualitative", "Qualitative study"
        CASE_REPORT = "case_report", "Case report or case series"
        EXPERT = "expert", "Expert opinion or commentary"
        LAY = "lay", "Lay or personal source"
        STANDARD = "standard", "Standard or guideline"
        DATA = "data", "Database entry"

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Citation key used in Markdown as [@key], for example heise2011.",
    )
    ref_type = models.CharField("type", max_length=12, choices=Type.choices)
    authors = models.TextField(
        blank=True,
        help_text="One author per line, in order, as 'Family Initials' (Heise AM) "
        "or an organisation's name. Leave blank when the authors are not known.",
    )
    editors = models.TextField(
        blank=True,
        help_text="Editors of an edited book, one per line, as 'Family Initials'.",
    )
    authors_incomplete = models.BooleanField(
        default=False, help_text="The full author list was not retrieved: shown as 'et al.'"
    )
    container_title = models.CharField(
        "journal or book", max_length=300, blank=True, help_text="Journal, book or website name."
    )
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=30, blank=True, help_text="For example 85-88, or 6.")
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[validate_doi])
    pmid = models.CharField("PMID", max_length=9, blank=True, validators=[validate_pmid])
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    design = models.CharField(
        "study design",
        max_length=15,
        choices=Design.choices,
        blank=True,
        help_text="What kind of evidence this is; blank when not known.",
    )
    peer_reviewed = models.BooleanField(
        null=True, blank=True, help_text="Yes, no, or unknown when the record seen does not say."
    )
    supports = models.TextField(
        "what it supports", help_text="A short note on what this source supports (Markdown)."
    )
    link_ok = models.BooleanField(
        "link works", null=True, editable=False, help_text="Set by manage.py check_links."
    )
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    link_problem = models.CharField(max_length=200, blank=True, editable=False)
    gaps = models.CharField(
        "what is not confirmed",
        max_length=300,
        blank=True,
        help_text="Details that could not be verified, shown on the page.",
    )

    markdown_fields = ("supports",)
    url_name = "reference_detail"
    short_prefix = "r"
    requires_citation = False

    class Meta(Resource.Meta):
        ordering = ["-year", "title"]
        permissions = [("publish_reference", "Can publish, archive and unpublish references")]

    def save(self, *args, **kwargs):
        # DOIs and PMIDs are validated on every save, not only in forms.
        self.doi = normalize_doi(self.doi)
        if self.doi:
            validate_doi(self.doi)
        if self.pmid:
            validate_pmid(self.pmid)
        super().save(*args, **kwargs)

    def clean(self):
        self.doi = normalize_doi(self.doi)
        self.pmid = (self.pmid or "").strip()
        super().clean()

    def citation_keys(self):
        """This reference's key, and the keys of references merged into it."""
        merged = Reference.objects.filter(
            status=self.Status.ARCHIVED, redirect_to_replacement=True
        ).select_related("replaced_by")
        return [self.key, *(ref.key for ref in merged if ref.landing_page().pk == self.pk)]

    def author_list(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def citation(self):
        return citations.format_citation(self)

    def bibtex(self):
        return citations.to_bibtex(self)

    def ris(self):
        return citations.to_ris(self)

    def evidence_label(self):
        if self.ref_type == self.Type.PREPRINT:
            return "Preprint, not peer-reviewed"
        if self.peer_reviewed is None:
            return "Peer review not confirmed"
        return "Peer-reviewed" if self.peer_reviewed else "Not peer-reviewed"


@reversion.register()
class Article(Resource):
    """An explainer, written in Markdown with inline citations."""

    body = models.TextField(help_text="Markdown. Cite sources inline as [@key] or [@key1; @key2].")
    start_here = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Position in the home page's 'Where to start' list; blank to leave it out.",
    )

    markdown_fields = ("body",)
    url_name = "article_detail"
    short_prefix = "a"

    class Meta(Resource.Meta):
        permissions = [("publish_article", "Can publish, archive and unpublish articles")]


@reversion.register()
class TreatmentStrategy(Resource):
    """Something mothers and clinicians try, with its evidence stated honestly."""

    class Evidence(models.TextChoices):
        ANECDOTE = "anecdote", "Expert opinion or anecdote"
        CASE_REPORTS = "case_reports", "Case reports"
        OBSERVATIONAL = "observational", "Observational studies"
        TRIALS = "trials", "Clinical trials"

    description = models.TextField("what it is", help_text="Markdown with [@key] citations.")
    mechanism = models.TextField("how it is thought to work", blank=True)
    evidence_level = models.CharField(max_length=15, choices=Evidence.choices)
    evidence = models.TextField("what the evidence is", help_text="Markdown with citations.")
    breastfeeding_safety = models.TextField("safety while breastfeeding", blank=True)
    discuss_with_clinician = models.TextField("what to discuss with a clinician", blank=True)

    markdown_fields = (
        "description",
        "mechanism",
        "evidence",
        "breastfeeding_safety",
        "discuss_with_clinician",
    )
    url_name = "strategy_detail"
    short_prefix = "s"

    class Meta(Resource.Meta):
        verbose_name = "treatment strategy"
        verbose_name_plural = "treatment strategies"
        permissions = [
            ("publish_treatmentstrategy", "Can publish, archive and unpublish strategies")
        ]

    def has_trial_evidence(self):
        return self.evidence_level == self.Evidence.TRIALS


class CrisisLineQuerySet(models.QuerySet):
    def shown(self):
        """What readers see: lines a second person approved (a wrong number is the worst
        error this site can make). Changes to a shown line wait as drafts."""
        return self.filter(approved=True)


@reversion.register()
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
    approved = models.BooleanField(
        default=False,
        editable=False,
        help_text="Shown to readers only once someone other than its author approved it.",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = CrisisLineQuerySet.as_manager()

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


@reversion.register()
class SynonymGroup(models.Model):
    """Words readers and experts use for the same thing, applied at search time."""

    terms = models.TextField(
        help_text="One term or phrase per line, for example: D-MER / DMER / "
        "dysphoric milk ejection reflex. A search for any of them finds the others."
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return " / ".join(self.term_list())

    def term_list(self):
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class PendingIndexUpdate(models.Model):
    """An object whose search document must be refreshed.

    Written in the same transaction as the change itself, so the database remembers what
    still has to be indexed even if the process dies before the index write.
    """

    model_label = models.CharField(max_length=60)
    object_pk = models.CharField(max_length=40)
    # Changes on every re-queue: a worker removes a row only if nobody re-queued it meanwhile.
    token = models.UUIDField()
    queued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_label", "object_pk"], name="unique_pending_index_update"
            )
        ]

    def __str__(self):
        return f"{self.model_label}:{self.object_pk}"


class WorkflowEvent(models.Model):
    """One step of a resource's workflow: who moved it from where to where, and when."""

    class Action(models.TextChoices):
        STEP = "", "Status changed"
        SEEDED = "seeded", "Loaded from the seed content"
        PROPOSED = "proposed", "Draft proposed"
        RESTORED = "restored", "Old revision restored as a draft"
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes", "Changes requested"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Approved and published"
        UNPUBLISHED = "unpublished", "Unpublished"
        ARCHIVED = "archived", "Archived"
        DISCARDED = "discarded", "Draft discarded"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=10, choices=Resource.Status.choices)
    to_status = models.CharField(max_length=10, choices=Resource.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=12, choices=Action.choices, blank=True, default="")
    comment = models.TextField(blank=True)
    draft = models.ForeignKey(
        "resources.Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    self_published = models.BooleanField(
        default=False, help_text="Published by its own author (EDITORIAL_ALLOW_SELF_PUBLISH)."
    )
    readability_override = models.BooleanField(
        default=False,
        help_text="Published above the reading-level limit with a recorded exception: a "
        "moderator's override, or the seed loaded as written.",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        what = self.get_action_display() if self.action else ""
        steps = f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return f"{what + ': ' if what else ''}{steps} by {self.by or 'the system'}"


class SlugRedirect(models.Model):
    """An address a resource used to have: it answers 301 to wherever the resource is now."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    old_slug = models.SlugField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "old_slug"], name="unique_old_slug")
        ]

    def __str__(self):
        return self.old_slug

    @staticmethod
    def content_type_of(obj):
        return ContentType.objects.get_for_model(obj)

    @classmethod
    def record(cls, obj, old_slug):
        content_type = ContentType.objects.get_for_model(obj)
        cls.objects.update_or_create(
            content_type=content_type, old_slug=old_slug, defaults={"object_id": obj.pk}
        )

    @classmethod
    def target(cls, model, slug, queryset=None):
        """The (published) object that once lived at this slug, if any."""
        found = cls.objects.filter(
            content_type=ContentType.objects.get_for_model(model), old_slug=slug
        ).first()
        if found is None:
            return None
        queryset = model.objects.published() if queryset is None else queryset
        return queryset.filter(pk=found.object_id).first()


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


# Drafts of live content live in their own module; importing it here registers the model.
from .drafts import Draft  # noqa: E402, F401

# The site's own texts and the topics' admin face live in their own module; importing them
# here is what makes them models of this app.
from .site_content import SiteText, Topic  # noqa: E402, F401

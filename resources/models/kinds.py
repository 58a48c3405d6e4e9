"""The three kinds of resource, each declaring its own facts once."""

import reversion
from django.db import models

from ..content import citations
from ..content.text import lines
from ..content.validators import normalize_doi, validate_doi, validate_pmid
from .resources import Resource


@reversion.register()
class Reference(Resource):
    """A bibliographic record: what the site's claims stand on."""

    class Type(models.TextChoices):
        JOURNAL_ARTICLE = "journal", "Journal article"
        BOOK = "book", "Book"
        BOOK_CHAPTER = "chapter", "Book chapter"
        WEBSITE = "website", "Website"
        CONFERENCE = "conference", "Conference presentation"
        SLIDES = "slides", "Slide deck"
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
    list_url_name = "reference_list"
    collection = "references"
    url_kind = "reference"
    short_prefix = "r"
    sitemap_priority = 0.6
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
        return lines(self.authors)

    def editor_list(self):
        return lines(self.editors)

    def authors_unknown(self):
        return citations.authors_unknown(self)

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
    list_url_name = "article_list"
    collection = "articles"
    url_kind = "article"
    short_prefix = "a"
    sitemap_priority = 0.9

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
    list_url_name = "strategy_list"
    collection = "strategies"
    url_kind = "strategy"
    short_prefix = "s"
    sitemap_priority = 0.8

    class Meta(Resource.Meta):
        verbose_name = "treatment strategy"
        verbose_name_plural = "treatment strategies"
        permissions = [
            ("publish_treatmentstrategy", "Can publish, archive and unpublish strategies")
        ]

    def has_trial_evidence(self):
        return self.evidence_level == self.Evidence.TRIALS


# Every kind, in the order lists and facets show them.
RESOURCE_MODELS = (Article, TreatmentStrategy, Reference)


def kinds_by(fact):
    """{value: kind} for one fact every kind declares: kinds_by("collection")["articles"]."""
    return {getattr(model, fact): model for model in RESOURCE_MODELS}


# The search index's "kind" is the model name; readers see the verbose names.
KIND_LABELS = {m._meta.model_name: m._meta.verbose_name.capitalize() for m in RESOURCE_MODELS}
KIND_PLURALS = {
    m._meta.model_name: m._meta.verbose_name_plural.capitalize() for m in RESOURCE_MODELS
}

"""The app's models, re-exported so that ``resources.models.Article`` keeps working."""

# Drafts of live content: imported last, as they build on everything above.
from .drafts import Draft
from .kinds import (
    KIND_LABELS,
    KIND_PLURALS,
    RESOURCE_MODELS,
    Article,
    Reference,
    TreatmentStrategy,
    kinds_by,
)
from .links import SlugRedirect
from .resources import Rendered, Resource
from .safeguards import FormToken, PreviewLinkGeneration
from .search import PendingIndexUpdate, PinnedPage, SearchQueryDay, SynonymGroup
from .site_content import SiteText, Topic
from .support import CrisisLine, CrisisTerm, Suggestion
from .workflow import Status, WorkflowError, WorkflowEvent, new_version

__all__ = [
    "KIND_LABELS",
    "KIND_PLURALS",
    "RESOURCE_MODELS",
    "Article",
    "CrisisLine",
    "CrisisTerm",
    "Draft",
    "FormToken",
    "PendingIndexUpdate",
    "PinnedPage",
    "PreviewLinkGeneration",
    "Reference",
    "Rendered",
    "Resource",
    "SearchQueryDay",
    "SiteText",
    "SlugRedirect",
    "Status",
    "Suggestion",
    "SynonymGroup",
    "Topic",
    "TreatmentStrategy",
    "WorkflowError",
    "WorkflowEvent",
    "kinds_by",
    "new_version",
]

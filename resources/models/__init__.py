"""The app's models, re-exported so that ``resources.models.Article`` keeps working."""

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
from .search import PendingIndexUpdate, SynonymGroup
from .support import CrisisLine, CrisisTerm, Suggestion
from .workflow import Status, WorkflowError, WorkflowEvent, new_version

__all__ = [
    "KIND_LABELS",
    "KIND_PLURALS",
    "RESOURCE_MODELS",
    "Article",
    "CrisisLine",
    "CrisisTerm",
    "FormToken",
    "PendingIndexUpdate",
    "PreviewLinkGeneration",
    "Reference",
    "Rendered",
    "Resource",
    "SlugRedirect",
    "Status",
    "Suggestion",
    "SynonymGroup",
    "TreatmentStrategy",
    "WorkflowError",
    "WorkflowEvent",
    "kinds_by",
    "new_version",
]

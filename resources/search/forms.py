"""The search form: what a reader's query and filters mean, and the links they lead to.

One table (FACETS) names each filter once: the index field it counts, the URL parameter
that chooses it, its heading and the labels of its values. The page and the API both
clean their input here; the view asks the form for results and links.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from haystack.inputs import Exact
from taggit.models import Tag

from ..models import KIND_LABELS, KIND_PLURALS, TreatmentStrategy
from . import query

MAX_QUERY_LENGTH = 200
MAX_PAGE = 500
KINDS = KIND_PLURALS
EVIDENCE = dict(TreatmentStrategy.Evidence.choices)
PEER_REVIEW = {"yes": "Peer-reviewed", "no": "Not peer-reviewed", "unconfirmed": "Not confirmed"}


@dataclass(frozen=True)
class Facet:
    field: str  # in the index (faceted, filtered as <field>_exact)
    param: str  # in the URL, and the Filters attribute
    heading: str
    labels: dict | None  # value -> label; None: topic names, read when asked

    def accepts(self, value):
        if self.labels is None:  # a topic slug; a renamed topic is followed by the view
            return re.fullmatch(r"[-a-z0-9_]{1,100}", value) is not None
        return value in self.labels


FACETS = (
    Facet("kind", "kind", "Kind", KINDS),
    Facet("topics", "topic", "Topic", None),
    Facet("evidence_level", "evidence", "Evidence level", EVIDENCE),
    Facet("peer_review", "peer_review", "Peer review", PEER_REVIEW),
)


def clean_query(raw):
    """Control characters out, whitespace folded, length bounded."""
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} else ch for ch in str(raw)
    )
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUERY_LENGTH].strip()


def page_number(raw):
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def topic_names():
    return dict(Tag.objects.values_list("slug", "name"))


@dataclass
class Filters:
    """The chosen value of each facet ("" for none), and the parameters that were ignored."""

    kind: str = ""
    topic: str = ""
    evidence: str = ""
    peer_review: str = ""
    ignored: list = field(default_factory=list)

    facet_fields = tuple(facet.field for facet in FACETS)

    @classmethod
    def from_params(cls, params):
        filters = cls()
        for facet in FACETS:
            value = clean_query(params.get(facet.param, ""))
            if value and facet.accepts(value):
                setattr(filters, facet.param, value)
            elif value:
                filters.ignored.append(facet.param)
        return filters

    def chosen(self):
        return [
            (facet, getattr(self, facet.param)) for facet in FACETS if getattr(self, facet.param)
        ]

    def active(self):
        return bool(self.chosen())

    def apply(self, sqs):
        for facet, value in self.chosen():
            sqs = sqs.filter(**{f"{facet.field}_exact": Exact(value)})
        return sqs

    def as_params(self):
        return {facet.param: value for facet, value in self.chosen()}


class SearchForm:
    """A reader's search from the query string: cleaned, with its results and links."""

    def __init__(self, params):
        self.text = clean_query(params.get("q", ""))
        self.filters = Filters.from_params(params)
        self.page = page_number(params.get("page"))

    def url(self, text=None, filters=None, page=1):
        """The shareable address of this search, or of a variation of it."""
        text = self.text if text is None else text
        params = {"q": text, **(self.filters if filters is None else filters).as_params()}
        if page > 1:
            params["page"] = page
        return f"{reverse('search:search')}?{urlencode(params)}"

    def results(self):
        outcome = query.search(self.text, self.filters, page=self.page)
        for result in outcome.results:
            result.kind_label = KIND_LABELS.get(result.kind, "")
        return outcome

    def page_links(self, outcome):
        last = (outcome.hits - 1) // query.PER_PAGE + 1 if outcome.hits else 1
        return {
            "next_url": self.url(page=self.page + 1) if self.page < last else "",
            "prev_url": self.url(page=self.page - 1) if self.page > 1 else "",
            "last_page": last,
        }

    def facet_links(self, counts):
        """Each facet value with its count, a link that toggles it, and whether it is on."""
        groups = []
        for facet in FACETS:
            labels = facet.labels if facet.labels is not None else topic_names()
            values = [
                self.facet_value(facet, labels[value], value, count)
                for value, count in counts.get(facet.field, [])
                if value in labels
            ]
            if values:
                groups.append({"heading": facet.heading, "values": values})
        return groups

    def facet_value(self, facet, label, value, count):
        chosen = getattr(self.filters, facet.param) == value
        toggled = Filters(**{**self.filters.as_params(), facet.param: "" if chosen else value})
        return {
            "label": label,
            "count": count,
            "chosen": chosen,
            "url": self.url(page=1, filters=toggled),
        }

"""What the search engine knows about each published resource.

Haystack keeps the engine behind this seam: nothing outside the search modules knows
that the default engine is Whoosh.
"""

import hashlib
import json

from haystack import indexes

from .models import Article, Reference, TreatmentStrategy

# Ranking tie-breaker, 0-10: explainers first, then strategies, then references by design
# and recency, so a recent review beats an old case report when both match equally.
DESIGN_RANK = {
    Reference.Design.REVIEW: 6,
    Reference.Design.OBSERVATIONAL: 5,
    Reference.Design.STANDARD: 4,
    Reference.Design.QUALITATIVE: 4,
    Reference.Design.DATA: 4,
    Reference.Design.CASE_REPORT: 3,
    Reference.Design.EXPERT: 2,
    Reference.Design.LAY: 1,
}


QUESTION_BOOST = 4


class ResourceIndex(indexes.SearchIndex):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=3)
    title_auto = indexes.EdgeNgramField(model_attr="title")
    # Other names of the page (DMER, LDN…): matched with a title's weight.
    aliases = indexes.CharField(boost=3)
    # The questions this page answers, in a reader's words: matched with the most weight.
    questions = indexes.CharField(model_attr="questions", boost=QUESTION_BOOST)
    # Readable text for result snippets: no author, journal or DOI lines.
    snippet = indexes.CharField(indexed=False)
    # The PostgreSQL engine weighs every indexed text field by its boost (3 and up
    # above 2 above the document text); the words are in the document text too.
    summary = indexes.CharField(model_attr="summary", boost=2)
    kind = indexes.CharField(faceted=True)
    # Slugs, not names: Whoosh splits and stems text facets ("Pumping, work" -> "pump").
    topics = indexes.MultiValueField(faceted=True)
    url = indexes.CharField(indexed=False)
    rank = indexes.IntegerField()
    fingerprint = indexes.CharField(indexed=False)
    # The words "Did you mean" may offer: titles, summaries, aliases, topics, authors.
    spelling = indexes.CharField(stored=False)

    base_rank = 5

    def index_queryset(self, using=None):
        return self.get_model().objects.published().prefetch_related("topics")

    def prepare_kind(self, obj):
        return obj._meta.model_name

    def prepare_topics(self, obj):
        return sorted(tag.slug for tag in obj.topics.all())

    def prepare_aliases(self, obj):
        return ", ".join(obj.alias_list())

    def prepare_url(self, obj):
        return obj.get_absolute_url()

    def prepare_rank(self, obj):
        return self.base_rank

    def prepare_spelling(self, obj):
        topics = " ".join(tag.name for tag in obj.topics.all())
        return " ".join([obj.title, obj.summary, obj.aliases, topics, getattr(obj, "authors", "")])

    def prepare_snippet(self, obj):
        return obj.search_text()

    def prepare_fingerprint(self, obj):
        return ""

    def prepare(self, obj):
        data = super().prepare(obj)
        # A digest of the whole document: `search_verify` compares it with the index.
        content = {k: v for k, v in data.items() if k != "fingerprint"}
        digest = hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode())
        data["fingerprint"] = digest.hexdigest()
        return data


class ArticleIndex(ResourceIndex, indexes.Indexable):
    base_rank = 9

    def get_model(self):
        return Article


class TreatmentStrategyIndex(ResourceIndex, indexes.Indexable):
    evidence_level = indexes.CharField(model_attr="evidence_level", faceted=True)
    base_rank = 8

    def get_model(self):
        return TreatmentStrategy


class ReferenceIndex(ResourceIndex, indexes.Indexable):
    peer_review = indexes.CharField(faceted=True)

    def get_model(self):
        return Reference

    def prepare_snippet(self, obj):
        # What the source supports, in our words: the reader's reason to open it.
        return obj.search_text() or obj.summary

    def prepare_peer_review(self, obj):
        return {True: "yes", False: "no"}.get(obj.peer_reviewed, "unconfirmed")

    def prepare_rank(self, obj):
        recent = 1 if obj.year and obj.year >= 2020 else 0
        return DESIGN_RANK.get(obj.design, 2) + recent

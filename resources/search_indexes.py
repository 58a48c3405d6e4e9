"""What the search engine knows about each published resource.

Haystack keeps the engine behind this seam: nothing outside the search modules knows
that the default engine is Whoosh.
"""

from haystack import indexes

from .models import Article, Reference, TreatmentStrategy


class ResourceIndex(indexes.SearchIndex):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2)
    summary = indexes.CharField(model_attr="summary", indexed=False)
    kind = indexes.CharField(faceted=True)
    # Slugs, not names: Whoosh splits and stems text facets ("Pumping, work" -> "pump").
    topics = indexes.MultiValueField(faceted=True)
    url = indexes.CharField(indexed=False)

    def get_updated_field(self):
        return "updated_at"

    def index_queryset(self, using=None):
        return self.get_model().objects.published().prefetch_related("topics")

    def prepare_kind(self, obj):
        return obj._meta.model_name

    def prepare_topics(self, obj):
        return sorted(tag.slug for tag in obj.topics.all())

    def prepare_url(self, obj):
        return obj.get_absolute_url()


class ArticleIndex(ResourceIndex, indexes.Indexable):
    def get_model(self):
        return Article


class TreatmentStrategyIndex(ResourceIndex, indexes.Indexable):
    evidence_level = indexes.CharField(model_attr="evidence_level", faceted=True)

    def get_model(self):
        return TreatmentStrategy


class ReferenceIndex(ResourceIndex, indexes.Indexable):
    peer_review = indexes.CharField(faceted=True)

    def get_model(self):
        return Reference

    def prepare_peer_review(self, obj):
        return {True: "yes", False: "no"}.get(obj.peer_reviewed, "unconfirmed")

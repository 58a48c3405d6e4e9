from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import RESOURCE_MODELS
from ..models.topics import published_topics


class ResourceSitemap(Sitemap):
    def __init__(self, model, priority):
        self.model = model
        self.priority = priority

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        # The date the whole page was last reviewed, as the page itself shows.
        return item.last_reviewed_on or item.updated_at


class StaticSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return [
            "resources:home", "resources:about", "resources:help_now", "resources:for_forums",
            *(f"resources:{model.list_url_name}" for model in RESOURCE_MODELS),
            "resources:topic_list",
        ]  # fmt: skip

    def location(self, item):
        return reverse(item)


class TopicSitemap(Sitemap):
    priority = 0.4

    def items(self):
        return published_topics()

    def location(self, item):
        return reverse("resources:topic_detail", args=[item.slug])


SITEMAPS = {
    "pages": StaticSitemap(),
    **{m.collection: ResourceSitemap(m, m.sitemap_priority) for m in RESOURCE_MODELS},
    "topics": TopicSitemap(),
}

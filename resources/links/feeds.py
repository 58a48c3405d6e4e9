"""RSS and Atom feeds of new and updated resources, site-wide and per topic."""

from itertools import chain

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from taggit.models import Tag

from ..content.escaping import one_line
from ..models import RESOURCE_MODELS
from .resolve import current_topic_slug

FEED_SIZE = 30


def latest(topic=None):
    items = []
    for model in RESOURCE_MODELS:
        queryset = model.objects.published()
        if topic is not None:
            queryset = queryset.filter(topics=topic)
        items.append(queryset.order_by("-updated_at")[:FEED_SIZE])
    return sorted(chain(*items), key=lambda item: item.updated_at, reverse=True)[:FEED_SIZE]


class LatestResourcesFeed(Feed):
    title = "D-MER Knowledge Base: new and updated pages"
    description = "Articles, treatment strategies and references, newest changes first."

    def link(self):
        return reverse("resources:home")

    def items(self):
        return latest()

    def item_title(self, item):
        return self.text(f"{item.title} ({item.kind})")

    def text(self, text):
        """One line (XML 1.0 cannot carry control characters). RSS readers differ on whether a
        title is text or HTML, so there "<" goes as an entity: it reads the same either way
        and opens no element. Atom says type="text"."""
        text = one_line(text)
        return text if self.feed_type is Atom1Feed else text.replace("<", "&lt;")

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML to every feed reader: the
        # summary is plain text, so it goes in escaped and shows as text, never as markup.
        return escape(one_line(item.summary))

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return item.get_short_url()

    item_guid_is_permalink = False


class LatestResourcesAtomFeed(LatestResourcesFeed):
    feed_type = Atom1Feed
    subtitle = LatestResourcesFeed.description


class TopicFeed(LatestResourcesFeed):
    def __call__(self, request, *args, **kwargs):
        # A renamed or merged topic's feed keeps working for the readers subscribed to it.
        current, moved = current_topic_slug(kwargs["slug"])
        if moved:
            return redirect(request.resolver_match.view_name, slug=current, permanent=True)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, topic):
        return self.text(f"D-MER Knowledge Base: {topic.name}")

    def link(self, topic):
        return reverse("resources:topic_detail", args=[topic.slug])

    def description(self, topic):
        return self.text(f"New and updated pages about {topic.name}.")

    def items(self, topic):
        return latest(topic)


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, topic):
        return self.description(topic)

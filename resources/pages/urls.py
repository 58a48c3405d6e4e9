from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from ..links import embeds, feeds, resolve
from . import previews, suggestions, views


class TopicSlugConverter(SlugConverter):
    """taggit keeps letters of every alphabet in topic slugs ("ωmega"); <slug:> is ASCII only,
    and a page linking to such a topic would fail to reverse its URL."""

    regex = r"[-\w]+"


register_converter(TopicSlugConverter, "topic")
app_name = "resources"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("help-now/", views.help_now, name="help_now"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("strategies/", views.StrategyListView.as_view(), name="strategy_list"),
    path("strategies/<slug:slug>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
    path("references/", views.ReferenceListView.as_view(), name="reference_list"),
    path("references/<slug:slug>/", views.ReferenceDetailView.as_view(), name="reference_detail"),
    path(
        "references/<slug:slug>.bib",
        views.reference_export,
        {"fmt": "bib"},
        name="reference_bibtex",
    ),
    path(
        "references/<slug:slug>.ris", views.reference_export, {"fmt": "ris"}, name="reference_ris"
    ),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<topic:slug>/", views.topic_detail, name="topic_detail"),
    path("topics/<topic:slug>/feed/rss/", feeds.TopicFeed(), name="topic_feed_rss"),
    path("topics/<topic:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic_feed_atom"),
    path("feed/rss/", feeds.LatestResourcesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestResourcesAtomFeed(), name="feed_atom"),
    path("r/<str:code>", resolve.short_link, name="short_link"),
    path("for-forums/", views.for_forums, name="for_forums"),
    path("suggest/", suggestions.suggest, name="suggest"),
    path("suggest/thanks/", suggestions.suggest_thanks, name="suggest_thanks"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("preview/<str:kind>/<int:pk>/", previews.staff_preview, name="staff_preview"),
    path("preview/s/<str:token>/", previews.signed_preview, name="signed_preview"),
    path("embed/<str:kind>/<slug:slug>/", embeds.embed_card, name="embed_card"),
]

from django.urls import path

from . import views

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
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
]

from django.urls import path

from . import search_insights, search_views

app_name = "search"

urlpatterns = [
    path("", search_views.search, name="search"),
    path("suggest/", search_views.suggest, name="suggest"),
    path("opensearch.xml", search_views.opensearch, name="opensearch"),
    path("open/", search_insights.open_result, name="open"),
    path("seen/", search_insights.seen, name="seen"),
]

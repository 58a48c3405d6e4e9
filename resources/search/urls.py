from django.urls import path

from . import views as search_views

app_name = "search"

urlpatterns = [
    path("", search_views.search, name="search"),
    path("suggest/", search_views.suggest, name="suggest"),
    path("opensearch.xml", search_views.opensearch, name="opensearch"),
]

from django.urls import path

from . import insights
from . import views as search_views

app_name = "search"

urlpatterns = [
    path("", search_views.search, name="search"),
    path("suggest/", search_views.suggest, name="suggest"),
    path("opensearch.xml", search_views.opensearch, name="opensearch"),
    path("open/", insights.open_result, name="open"),
    path("seen/", insights.seen, name="seen"),
]

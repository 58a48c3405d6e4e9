from django.urls import path, re_path

from . import views as api

app_name = "api"

urlpatterns = [
    path("", api.root, name="root"),
    path("openapi.json", api.openapi, name="openapi"),
    path("topics/", api.topics, name="topics"),
    path("search/", api.search, name="search"),
    path("<str:name>/", api.collection, name="list"),
    path("<str:name>/<str:slug>/", api.detail, name="detail"),
    # Anything else under /api/ answers in JSON too, never with an HTML page.
    re_path(r"^.*$", api.not_found),
]

"""A URLconf with one view that fails, for the 500-page test."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("simulated failure for the 500 page test")


urlpatterns = [path("broken/", broken), path("", include("kb.urls"))]

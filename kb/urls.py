from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, reverse
from django.views.generic import TemplateView

from resources.links import sharing
from resources.links.sitemaps import SITEMAPS
from resources.serving import health


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"

    def get_context_data(self, **kwargs):
        url = sharing.absolute(self.request, reverse("sitemap"))
        return super().get_context_data(sitemap_url=url, **kwargs)


urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("search/", include("resources.search.urls")),
    path("api/v1/", include("resources.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("", include("resources.pages.urls")),
]

from django.conf import settings

from ..links import sharing


def site(request):
    """Site-wide values every template may use; page_meta is overridden by resource pages."""
    return {"site_name": settings.SITE_NAME, "default_meta": sharing.page_meta(request)}

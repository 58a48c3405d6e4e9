from django.db import models


class ResourceQuerySet(models.QuerySet):
    """Who may see what, defined once.

    Every public surface (pages, lists, topic pages, the search index, feeds, the API)
    starts from ``published()``; ``Resource.is_published()`` answers the same question
    for one object. Only a resource's own address (its page, short link and exports)
    starts from ``with_public_page()``, so that links from forums never break.
    """

    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def with_public_page(self):
        """What still answers at its address: published pages, and archived ones (which
        show a notice, or redirect to what replaced them). Nothing else lists them."""
        return self.filter(status__in=self.model.PUBLIC_PAGE_STATUSES)

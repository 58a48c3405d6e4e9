from django.db import models


class ResourceQuerySet(models.QuerySet):
    """Who may see what, defined once.

    Every public surface (pages, lists, topic pages, the search index, feeds, the API)
    starts from ``published()``; ``Resource.is_published()`` answers the same question
    for one object.
    """

    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

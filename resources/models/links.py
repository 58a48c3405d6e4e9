"""Where a link to a resource lands: old slugs, replacements, short links."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse


class Landing:
    """Where a reader following a link lands (mixed into Resource)."""

    def replacement_chain(self):
        """The pages that replace this one, in turn; it stops at the end or where it loops."""
        seen, obj = {self.pk}, self.replaced_by
        while obj is not None and obj.pk not in seen:
            yield obj
            seen.add(obj.pk)
            obj = obj.replaced_by

    def live_replacement(self):
        """The published page that replaces this one, following a chain of replacements."""
        return next((obj for obj in self.replacement_chain() if obj.is_published()), None)

    def landing_page(self):
        """Where a reader following a link to this resource lands.

        Itself, unless it is archived with "send readers straight to the replacement" (a
        merge) and a live replacement exists: then that replacement.
        """
        if self.status == self.Status.ARCHIVED and self.redirect_to_replacement:
            return self.live_replacement() or self
        return self

    def short_code(self):
        return f"{self.short_prefix}{self.pk}"

    def get_short_url(self):
        """A permanent link that survives any change of title or slug."""
        return reverse("resources:short_link", kwargs={"code": self.short_code()})


class SlugRedirect(models.Model):
    """An address a resource used to have: it answers 301 to wherever the resource is now."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    old_slug = models.SlugField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "old_slug"], name="unique_old_slug")
        ]

    def __str__(self):
        return self.old_slug

    @staticmethod
    def content_type_of(obj):
        return ContentType.objects.get_for_model(obj)

    @classmethod
    def record(cls, obj, old_slug):
        content_type = ContentType.objects.get_for_model(obj)
        cls.objects.update_or_create(
            content_type=content_type, old_slug=old_slug, defaults={"object_id": obj.pk}
        )

    @classmethod
    def target(cls, model, slug, queryset=None):
        """The (published) object that once lived at this slug, if any."""
        found = cls.objects.filter(
            content_type=ContentType.objects.get_for_model(model), old_slug=slug
        ).first()
        if found is None:
            return None
        queryset = model.objects.published() if queryset is None else queryset
        return queryset.filter(pk=found.object_id).first()

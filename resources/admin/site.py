"""The admin's name, the site texts and the crisis terms moderators edit (with history).

Imported by admin/__init__.py, so the admin's autodiscovery picks it up.
"""

from django.contrib import admin
from reversion.admin import VersionAdmin

from ..models import CrisisTerm
from ..models.site_content import SiteText
from .once import SendOnceAdmin

SITE_NAME = "D-MER Knowledge Base: moderation"

admin.site.site_header = SITE_NAME
admin.site.site_title = SITE_NAME
admin.site.index_title = "Moderation"


@admin.register(SiteText)
class SiteTextAdmin(SendOnceAdmin, VersionAdmin):
    """The About page's sections and the ready answers for forums: edit, compare, restore."""

    list_display = ["title", "key", "updated_at"]
    search_fields = ["key", "title", "body"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # Pages find their texts by key: renaming one would hide it from its page.
        return [*self.readonly_fields, "key"] if obj is not None else self.readonly_fields


@admin.register(CrisisTerm)
class CrisisTermAdmin(SendOnceAdmin, VersionAdmin):
    """The words that make a page show the crisis box (and a search show crisis help)."""

    list_display = ["phrase", "pages_only", "note"]
    list_filter = ["pages_only"]
    search_fields = ["phrase", "note"]

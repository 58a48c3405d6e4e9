import logging

from django.core.management.base import BaseCommand

from resources.models import drafts

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Publish what a moderator scheduled (pages in review and drafts of live pages) "
        "whose time has come. A time nobody who may publish approved is ignored."
    )

    def handle(self, *args, **options):
        # Each publication commits on its own with its revision and workflow event; the
        # rules (four eyes, gates) are the same as for a moderator in the admin.
        for published, message in drafts.publish_due():
            if published:
                self.stdout.write(f"published: {message}")
            else:
                # It stays in review; the moderator sees the reason here and in the admin.
                log.warning("Scheduled publication refused: %s", message)
                self.stdout.write(f"not published: {message}")

from django.conf import settings
from django.core.management.base import BaseCommand

from resources.models.search import prune


class Command(BaseCommand):
    help = "Forget search insights older than SEARCH_INSIGHTS_DAYS (also done once a day on write)."

    def handle(self, *args, **options):
        deleted = prune()
        self.stdout.write(
            f"{deleted} day rows older than {settings.SEARCH_INSIGHTS_DAYS} days removed."
        )

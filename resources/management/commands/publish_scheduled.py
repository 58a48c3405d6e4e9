import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from resources.models import RESOURCE_MODELS, WorkflowError

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Publish resources in review whose 'publish automatically at' time has come."

    def handle(self, *args, **options):
        now = timezone.now()
        for model in RESOURCE_MODELS:
            for obj in model.objects.filter(status="review", publish_at__lte=now):
                try:
                    obj.publish(by=None)
                except WorkflowError as error:
                    # It stays in review; the moderator sees the reason here and in the admin.
                    log.warning("Scheduled publication refused: %s", error.message)
                    self.stdout.write(f"not published: {error.message}")
                else:
                    self.stdout.write(f"published: {obj}")

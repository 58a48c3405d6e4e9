from django.core.management.base import BaseCommand

from resources.curation import linkcheck
from resources.models import Reference


class Command(BaseCommand):
    help = "Check every reference URL and DOI and record the result on the reference."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=4, help="Requests at a time.")
        parser.add_argument("--timeout", type=float, default=linkcheck.TIMEOUT)

    def handle(self, *args, workers, timeout, **options):
        checked = linkcheck.check_all(Reference.objects.all(), workers=workers, timeout=timeout)
        broken = [ref for ref in checked if ref.link_ok is False]
        for ref in broken:
            self.stdout.write(f"broken: {ref.key}: {ref.link_problem}")
        self.stdout.write(f"Checked {len(checked)} references: {len(broken)} broken.")

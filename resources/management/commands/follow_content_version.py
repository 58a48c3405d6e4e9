import time

from django.core.management.base import BaseCommand

from resources.serving import caching


class Command(BaseCommand):
    help = (
        "With several machines: start a new generation of this machine's page files "
        "(served by nginx) whenever content changes on any machine (the counter in Redis)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.25, help="seconds between looks")

    def handle(self, *args, interval, **options):
        # nginx answers cached pages without asking Django, so a change made on another
        # machine would reach this one only at its next miss: look for it instead.
        while True:
            caching.content_version()  # swaps the generation when the counter has moved
            time.sleep(interval)

import time

from django.core.management.base import BaseCommand

from resources.serving import caching
from resources.serving import page_files as disk


class Command(BaseCommand):
    help = (
        "With several machines: start a new generation of this machine's page files "
        "(served by nginx) whenever content changes on any machine (the counter in Redis)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.25, help="seconds between looks")

    def handle(self, *args, interval, **options):
        disk.current_generation()  # nginx finds a generation from the start
        seen = caching.shared_counter()
        while True:
            time.sleep(interval)
            now = caching.shared_counter()
            if now != seen:
                disk.start_new_generation()
                seen = now

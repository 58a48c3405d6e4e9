import gzip
import os
import shutil
import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from resources.serving import caching


class Command(BaseCommand):
    help = "Replace everything in the database with a backup from PATH, then rebuild the index."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data may be replaced."
        )

    def handle(self, *args, path, yes, **options):
        if not yes:
            raise CommandError("restore replaces all current data: add --yes to confirm.")
        if not os.path.exists(path):
            raise CommandError(f"No backup at {path}.")
        with tempfile.TemporaryDirectory() as folder:
            plain = os.path.join(folder, "backup.json")
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as source, open(plain, "wb") as target:
                shutil.copyfileobj(source, target)
            # All or nothing: a backup that fails to load leaves the database as it was.
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", plain, verbosity=0)
        call_command("rebuild_index", interactive=False, verbosity=0)
        caching.bump_content_version()
        self.stdout.write(f"Restored {path} and rebuilt the search index.")

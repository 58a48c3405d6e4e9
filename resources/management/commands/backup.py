import gzip

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Everything people made: content, topics, crisis lines, synonyms, users and groups, and the
# admin's change history. Derived or transient data is left out: content types and
# permissions are recreated by migrate, sessions and login-failure records expire, and the
# search index and its pending queue are rebuilt from the database on restore.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "resources.pendingindexupdate",
]


class Command(BaseCommand):
    help = "Write a backup of all content and accounts to PATH (JSON; gzipped if PATH ends .gz)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "wt", encoding="utf-8") as handle:
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                natural_primary=False,
                indent=1,
                stdout=handle,
            )
        self.stdout.write(f"Backup written to {path}")

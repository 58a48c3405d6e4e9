from django.core.management.base import BaseCommand

from resources.search import indexing


class Command(BaseCommand):
    help = "Apply pending search index updates recorded in the database."

    def handle(self, *args, **options):
        done = indexing.apply_pending()
        self.stdout.write(f"Applied {done} pending index update(s).")

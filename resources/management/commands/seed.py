from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from resources.models import Article, Reference

SEED_FIXTURES = ["references", "articles", "strategies", "topics", "crisis_lines", "synonyms"]


class Command(BaseCommand):
    help = "Load the seed content (references, articles, strategies, topics, crisis lines)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds resources, so that re-running "
            "setup never overwrites a moderator's edits.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and any(m.objects.exists() for m in (Article, Reference)):
            self.stdout.write("Seed content already loaded; leaving the database as it is.")
            return
        fixtures = [settings.BASE_DIR / "fixtures" / f"{name}.yaml" for name in SEED_FIXTURES]
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])

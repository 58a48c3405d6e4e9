from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

SEED_FIXTURES = ["references", "articles", "strategies", "topics", "crisis_lines"]


class Command(BaseCommand):
    help = "Load the seed content (references, articles, strategies, topics, crisis lines)."

    def handle(self, *args, **options):
        fixtures = [settings.BASE_DIR / "fixtures" / f"{name}.yaml" for name in SEED_FIXTURES]
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])

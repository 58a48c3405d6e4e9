from django.core.management.base import BaseCommand, CommandError

from resources.search import verification


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: list every missing, stale or ghost "
        "document and exit non-zero on drift."
    )

    def handle(self, *args, **options):
        report = verification.compare()
        for kind in ("missing", "stale", "ghost"):
            for identifier in report[kind]:
                self.stdout.write(f"{kind}: {identifier}")
        total = sum(len(report[kind]) for kind in ("missing", "stale", "ghost"))
        summary = (
            f"{report['checked']} published resources, {report['indexed']} documents indexed, "
            f"{len(report['missing'])} missing, {len(report['stale'])} stale, "
            f"{len(report['ghost'])} ghost, {report['pending']} pending."
        )
        if total:
            raise CommandError(f"Index drift: {summary}")
        self.stdout.write(f"No drift: {summary}")

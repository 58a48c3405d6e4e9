from django.core.management.base import BaseCommand, CommandError

from resources.search import verification


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: list every missing, stale or ghost "
        "document and exit non-zero on drift."
    )

    def handle(self, *args, **options):
        try:
            report = verification.compare()
        except OSError as exc:  # no index folder yet (a fresh clone): rebuild_index makes it
            raise CommandError(f"Search index unreadable: {exc}") from exc
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

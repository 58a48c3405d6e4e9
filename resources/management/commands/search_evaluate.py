from django.core.management.base import BaseCommand

from resources.search import evaluation as search_eval


class Command(BaseCommand):
    help = (
        "Run the search evaluation (lay queries and the page each must find) against the "
        "current index and print MRR@10, top-1 and top-5."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(search_eval.DATA), help="evaluation YAML")
        parser.add_argument("--misses", action="store_true", help="list queries not at 1")

    def handle(self, *args, **options):
        judgements, scores = search_eval.evaluate(options["file"])
        if options["misses"]:
            for j in judgements:
                if j.rank != 1:
                    where = f"at {j.rank}" if j.rank else "not in the top 10"
                    self.stdout.write(f"{j.query!r}: {j.slug} {where}; first: {j.found[:3]}")
        self.stdout.write(
            f"{scores['queries']} queries: MRR@10 {scores['mrr@10']:.3f}, "
            f"top-1 {scores['top1']:.1%}, top-5 {scores['top5']:.1%}"
        )

import reversion
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from taggit.models import Tag

from resources.models import (
    Article,
    CrisisLine,
    Reference,
    SynonymGroup,
    TreatmentStrategy,
    WorkflowEvent,
    gates,
)

SEED_FIXTURES = ["references", "articles", "strategies", "topics", "crisis_lines", "synonyms"]
SEED_COMMENT = (
    "Loaded from the seed content in fixtures/, checked by the editors against the fact "
    "sheet; not checked by a clinician"
)
# What the seed's review amounts to, said plainly on every page (editorial, not clinical).
SEED_REVIEW = {
    "reviewed_by": "D-MER Knowledge Base editors",
    "reviewer_role": "editors, checked against the project fact sheet",
    "clinical_reviewer": "",
    "clinical_credential": "",
    "clinically_reviewed_on": None,
}


class Command(BaseCommand):
    help = (
        "Load the seed content (references, articles, strategies, topics, crisis lines) "
        "through the workflow: each object gets a first revision and a workflow event "
        "saying where it came from."
    )

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
        with transaction.atomic():
            call_command("loaddata", *fixtures, verbosity=options["verbosity"])
            self.enter_through_workflow()

    def enter_through_workflow(self):
        CrisisLine.objects.update(approved=True)
        with reversion.create_revision():
            reversion.set_comment(SEED_COMMENT)
            for model in (Reference, Article, TreatmentStrategy):
                model.objects.update(**SEED_REVIEW)
                for obj in model.objects.all():
                    reversion.add_to_revision(obj)
                    self.record(obj, obj.status, **self.reading_exception(obj))
            for line in CrisisLine.objects.all():
                reversion.add_to_revision(line)
                self.record(line, "published")
            for obj in [*SynonymGroup.objects.all(), *Tag.objects.all()]:
                reversion.add_to_revision(obj)

    def reading_exception(self, obj):
        # Seed pages above the limit are loaded as written and say so; the grade is shown
        # in the admin so that editors can simplify them.
        if not gates.above_limit(obj):
            return {}
        return {
            "readability_override": True,
            "comment": f"{SEED_COMMENT}. Reads at grade {gates.reading_grade(obj):g}, above "
            "the limit for pages for everyone: loaded as written, to be simplified",
        }

    def record(self, obj, status, comment=SEED_COMMENT, **flags):
        WorkflowEvent.objects.create(
            content_object=obj, from_status="draft", to_status=status, by=None,
            action=WorkflowEvent.Action.SEEDED, comment=comment, **flags,
        )  # fmt: skip

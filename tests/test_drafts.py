"""The editorial service API: drafts of live pages, four eyes, requests for changes, gates."""

from django.test import TestCase, override_settings
from reversion.models import Version

from resources.curation import editorial
from resources.models import Article, Reference, Resource, WorkflowError, WorkflowEvent, gates

from .factories import make_article, make_reference, make_staff

Status = Resource.Status
Action = WorkflowEvent.Action
HARD = (
    "Physiological neuroendocrine dysregulation characteristically precipitates transient "
    "dysphoric manifestations, notwithstanding considerable interindividual variability "
    "[@src2020]."
)


class DraftWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        cls.moderator = make_staff("mod", "Moderators")
        cls.second = make_staff("mod2", "Moderators")
        make_reference(key="src2020")

    def setUp(self):
        self.live = make_article(body="Live text [@src2020].", topics=["Coping"])

    def test_a_correction_goes_from_proposal_through_changes_requested_to_live(self):
        draft = editorial.propose(self.live, {"body": "Draft text."}, by=self.editor)
        editorial.submit(draft, by=self.editor)
        with self.assertRaisesMessage(WorkflowError, "Say what needs changing"):
            editorial.request_changes(draft, by=self.moderator, comment="  ")
        editorial.request_changes(draft, by=self.moderator, comment="Cite the source, please.")
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.comment), ("changes", "Cite the source, please."))
        with self.assertRaisesMessage(WorkflowError, "Changes were requested"):
            editorial.approve_and_publish(draft, by=self.second)
        draft = editorial.propose(self.live, {"body": "Draft text [@src2020]."}, by=self.editor)
        self.assertEqual(draft.state, "draft")
        editorial.submit(draft, by=self.editor)
        self.assertEqual(Article.objects.get(pk=self.live.pk).body, "Live text [@src2020].")
        editorial.approve_and_publish(draft, by=self.second)
        self.live.refresh_from_db()
        self.assertEqual(self.live.body, "Draft text [@src2020].")
        self.assertEqual(self.live.written_by, self.editor)
        actions = [e.action for e in self.live.workflow_events()]
        self.assertEqual(
            actions, [Action.PUBLISHED, Action.SUBMITTED, Action.CHANGES_REQUESTED,
                      Action.SUBMITTED, Action.PROPOSED],
        )  # fmt: skip
        changes = self.live.workflow_events().get(action=Action.CHANGES_REQUESTED)
        self.assertEqual(changes.comment, "Cite the source, please.")
        self.assertEqual(
            Version.objects.get_for_object(self.live).first().revision.user, self.second
        )

    def test_a_scheduled_draft_of_a_live_page_goes_live_in_the_approvers_name(self):
        import datetime
        import io

        from django.core.management import call_command
        from django.utils import timezone

        draft = editorial.propose(self.live, {"body": "Later text [@src2020]."}, by=self.editor)
        past = timezone.now() - datetime.timedelta(minutes=1)
        with self.assertRaisesMessage(WorkflowError, "may not publish"):
            editorial.schedule(draft, past, by=self.editor)
        editorial.schedule(draft, past, by=self.moderator)
        revised = editorial.propose(
            self.live, {"body": "Changed again [@src2020]."}, by=self.editor
        )
        self.assertIsNone(revised.scheduled_by)  # a change after the approval withdraws it
        call_command("publish_scheduled", stdout=io.StringIO())
        self.assertEqual(Article.objects.get(pk=self.live.pk).body, "Live text [@src2020].")
        editorial.schedule(revised, past, by=self.moderator)
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        self.assertIn(f"published: {self.live.title}", out.getvalue())
        self.assertEqual(Article.objects.get(pk=self.live.pk).body, "Changed again [@src2020].")
        event = self.live.workflow_events().first()
        self.assertEqual((event.action, event.by), (Action.PUBLISHED, self.moderator))
        self.assertIn("published automatically", event.comment)

    def test_topics_travel_with_the_draft(self):
        draft = editorial.propose(self.live, {"topics": ["Sleep", "Coping"]}, by=self.editor)
        self.assertEqual(list(self.live.topics.names()), ["Coping"])
        editorial.approve_and_publish(draft, by=self.moderator)
        self.assertEqual(sorted(self.live.topics.names()), ["Coping", "Sleep"])
        self.assertEqual(
            Version.objects.get_for_object(self.live).first().field_dict["topic_names"],
            "Coping\nSleep",
        )

    def test_editors_cannot_approve_and_nobody_approves_their_own_writing(self):
        draft = editorial.propose(self.live, {"title": "Mine"}, by=self.moderator)
        with self.assertRaisesMessage(WorkflowError, "may not publish"):
            editorial.approve_and_publish(draft, by=self.editor)
        with self.assertRaisesMessage(WorkflowError, "four eyes"):
            editorial.approve_and_publish(draft, by=self.moderator)
        page = make_article(status=Status.REVIEW, body="x [@src2020].", written_by=self.second)
        with self.assertRaisesMessage(WorkflowError, "four eyes"):
            page.publish(by=self.second)
        self.assertEqual(Article.objects.get(pk=page.pk).status, Status.REVIEW)

    @override_settings(EDITORIAL_ALLOW_SELF_PUBLISH=True)
    def test_a_one_person_site_may_self_publish_and_the_history_says_so(self):
        draft = editorial.propose(self.live, {"title": "Mine"}, by=self.moderator)
        editorial.approve_and_publish(draft, by=self.moderator)
        event = self.live.workflow_events().first()
        self.assertTrue(event.self_published)
        self.assertIn("self-published: no second person approved it", event.comment)

    def test_restoring_a_revision_of_a_live_page_is_a_draft(self):
        import reversion

        with reversion.create_revision():
            self.live.save()
        old = Version.objects.get_for_object(self.live).first()
        Article.objects.filter(pk=self.live.pk).update(body="Newer text [@src2020].")
        draft = editorial.restore_as_draft(self.live, old, by=self.editor)
        self.assertEqual(draft.data["fields"]["body"], "Live text [@src2020].")
        self.assertEqual(Article.objects.get(pk=self.live.pk).body, "Newer text [@src2020].")
        self.assertEqual(self.live.workflow_events().first().action, Action.RESTORED)

    def test_a_crisis_line_change_is_a_draft_and_a_new_line_waits(self):
        from .factories import make_crisis_line

        line = make_crisis_line(dial="988")
        editorial.propose(line, {"dial": "000"}, by=self.moderator)
        self.assertEqual(type(line).objects.shown().get(pk=line.pk).dial, "988")
        editorial.approve_and_publish(line, by=self.second)
        self.assertEqual(type(line).objects.shown().get(pk=line.pk).dial, "000")
        new = make_crisis_line(name="New line", approved=False, written_by=self.moderator)
        self.assertFalse(type(line).objects.shown().filter(pk=new.pk).exists())
        with self.assertRaisesMessage(WorkflowError, "four eyes"):
            editorial.approve_and_publish(new, by=self.moderator)
        editorial.approve_and_publish(new, by=self.second)
        self.assertTrue(type(line).objects.shown().filter(pk=new.pk).exists())


class GateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_staff("mod", "Moderators")
        make_reference(key="src2020")

    def problems(self, **fields):
        fields.setdefault("body", "Plain words [@src2020].")
        return gates.publication_problems(make_article(status=Status.REVIEW, **fields))

    def test_a_ready_page_has_no_problems(self):
        self.assertEqual(self.problems(), [])

    def test_each_gate_says_what_is_wrong_in_plain_words(self):
        figure = self.problems(body="Plain words [@src2020].\n\nAbout 20% of mothers have it.")
        self.assertEqual(
            figure, ["cite a source in the paragraph of “About 20% of mothers have it.”"]
        )
        make_reference(key="draftref", status=Status.DRAFT)
        self.assertEqual(
            self.problems(body="Words [@draftref]."),
            ["publish the cited references first: @draftref"],
        )
        self.assertEqual(self.problems(reviewer_role=""), ["give the reviewer's role"])
        page = make_article(status=Status.REVIEW, body="Some mothers feel suicidal [@src2020].")
        self.assertTrue(page.crisis_help)  # forced on at save
        page.crisis_help = False  # in memory only: the gate still refuses
        self.assertIn("must show the crisis-help box", gates.publication_problems(page)[0])

    def test_readability_above_the_limit_needs_a_recorded_override(self):
        hard = make_article(status=Status.REVIEW, body=HARD)
        self.assertGreater(hard.readability_grade, 9)
        with self.assertRaisesMessage(WorkflowError, "above the limit of 9"):
            hard.publish(by=self.moderator)
        hard.publish(by=self.moderator, override_readability=True)
        event = hard.workflow_events().first()
        self.assertTrue(event.readability_override)
        self.assertIn("with a moderator's override", event.comment)
        self.assertIn("override", Version.objects.get_for_object(hard).first().revision.comment)
        for_clinicians = self.problems(body=HARD, audience=Resource.Audience.CLINICIANS)
        self.assertEqual(for_clinicians, [])
        self.assertEqual(gates.publication_problems(make_reference(supports=HARD)), [])

    def test_the_advice_between_target_and_limit_is_not_a_blocker(self):
        page = make_article(body="Plain words [@src2020].")
        self.assertEqual(gates.readability_note(page), "")
        self.assertIsInstance(Reference.objects.first().readability_grade, float)

"""The workflow on the edit screen: buttons for who may press them, a confirmation for
each, refusals in plain words with nothing lost, live publishing gates, the reading
grade, and the pending draft compared with the live page."""

from django.test import TestCase
from django.urls import reverse

from resources.curation import editorial
from resources.models import CrisisTerm, Resource
from resources.models.drafts import Draft

from .factories import admin_form_data, make_article, make_reference, make_staff

Status = Resource.Status


def url(name, *args):
    return reverse(f"admin:resources_article_{name}", args=args)


class WorkflowScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        cls.moderator = make_staff("mod", "Moderators")
        cls.second = make_staff("mod2", "Moderators")
        make_reference(key="src2020")
        CrisisTerm.objects.get_or_create(phrase="suicidal thoughts")

    def setUp(self):
        self.live = make_article(title="Live page", body="Old words [@src2020].")

    def propose(self, user, **changes):
        """`user` saves the live page's change form: a draft of the change."""
        self.client.force_login(user)
        self.live.refresh_from_db()
        data = admin_form_data(editorial.preview(self.live), user, **changes)
        self.client.post(url("change", self.live.pk), data)
        return editorial.open_draft(self.live)

    def step(self, user, name, **data):
        self.client.force_login(user)
        return self.client.post(url("workflow", self.live.pk, name), data)

    def panel(self, user):
        self.client.force_login(user)
        html = self.client.get(url("change", self.live.pk)).content.decode()
        start = html.index('class="module workflow-panel"')
        return html[start : html.index("</section>", start)]

    def test_an_editors_proposal_leaves_the_live_page_and_offers_submit(self):
        draft = self.propose(self.editor, body="New words [@src2020].")
        self.assertEqual(draft.state, Draft.State.DRAFT)
        self.assertIn("Old words", self.client.get(self.live.get_absolute_url()).content.decode())
        panel = self.panel(self.editor)
        self.assertIn("Readers still see the live page", panel)
        self.assertIn(">Submit for review</a>", panel)
        self.assertNotIn("Approve and publish", panel)
        self.assertEqual(self.step(self.editor, "approve").status_code, 403)
        page = self.client.get(url("workflow", self.live.pk, "submit"))
        self.assertContains(page, "Submit for review?")
        self.step(self.editor, "submit")
        self.assertEqual(editorial.open_draft(self.live).state, Draft.State.REVIEW)

    def test_request_changes_needs_a_comment_shown_to_the_author_and_in_the_history(self):
        self.propose(self.editor, body="New words [@src2020].")
        self.step(self.editor, "submit")
        refused = self.step(self.moderator, "request_changes", comment="  ")
        self.assertContains(refused, "Say what needs changing", status_code=200)
        self.assertEqual(editorial.open_draft(self.live).state, Draft.State.REVIEW)
        done = self.step(self.moderator, "request_changes", comment="Say <who> wrote it.")
        self.assertRedirects(done, url("change", self.live.pk), fetch_redirect_response=False)
        self.assertEqual(editorial.open_draft(self.live).state, Draft.State.CHANGES)
        panel = self.panel(self.editor)
        self.assertIn("Changes requested", panel)
        self.assertIn("Say &lt;who&gt; wrote it.", panel)
        history = self.client.get(url("history", self.live.pk)).content.decode()
        self.assertIn("Say &lt;who&gt; wrote it.", history)
        self.assertIn("Changes requested", history)

    def test_four_eyes_the_writer_is_not_offered_approval_and_is_refused(self):
        self.propose(self.moderator, body="The new words are short [@src2020].")
        self.assertNotIn("Approve and publish", self.panel(self.moderator))
        refused = self.step(self.moderator, "approve")
        self.assertContains(refused, "someone else must approve it")
        self.live.refresh_from_db()
        self.assertIn("Old words", self.live.body)
        self.assertIn("Approve and publish", self.panel(self.second))
        self.step(self.second, "approve")
        self.live.refresh_from_db()
        self.assertEqual(self.live.body, "The new words are short [@src2020].")

    def test_the_draft_is_compared_with_the_live_page(self):
        self.propose(self.editor, body="Old words [@src2020].\n\nA new paragraph.")
        self.client.force_login(self.moderator)
        html = self.client.get(url("draft_diff", self.live.pk)).content.decode()
        self.assertIn("<ins>+ A new paragraph.</ins>", html)
        self.assertIn("  Old words [@src2020].", html)
        self.assertNotIn("<h2>Title</h2>", html)
        self.live.refresh_from_db()
        change = self.client.get(url("change", self.live.pk)).content.decode()
        self.assertIn("Compare the draft with the live page", change)

    def test_schedule_needs_a_time_and_records_it(self):
        self.propose(self.editor, body="New words [@src2020].")
        refused = self.step(self.moderator, "schedule", at="")
        self.assertContains(refused, "Choose the date and time")
        self.step(self.moderator, "schedule", at="2030-01-02T08:30")
        draft = editorial.open_draft(self.live)
        self.assertEqual(draft.publish_at.isoformat(), "2030-01-02T08:30:00+00:00")
        self.assertEqual(draft.scheduled_by, self.moderator)

    def test_unpublish_and_archive_ask_first(self):
        page = self.client.get(url("workflow", self.live.pk, "unpublish"))
        self.client.force_login(self.moderator)
        page = self.client.get(url("workflow", self.live.pk, "unpublish"))
        self.assertContains(page, "Take this page offline?")
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.PUBLISHED)
        self.step(self.moderator, "archive", comment="Replaced by a better page.")
        self.live.refresh_from_db()
        self.assertEqual(self.live.status, Status.ARCHIVED)
        self.assertEqual(self.step(self.editor, "unpublish").status_code, 403)

    def test_an_unknown_step_is_not_found(self):
        self.client.force_login(self.moderator)
        self.assertEqual(self.client.get(url("workflow", self.live.pk, "delete")).status_code, 404)


class LiveGatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("ed", "Editors")
        make_reference(key="src2020")
        CrisisTerm.objects.get_or_create(phrase="suicidal thoughts")

    def setUp(self):
        self.client.force_login(self.editor)
        self.page = make_article(status=Status.DRAFT, body="Plain words [@src2020].")

    def gates(self, **changes):
        data = admin_form_data(self.page, self.editor, **changes)
        response = self.client.post(url("gates", self.page.pk), data)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_the_gates_follow_what_is_typed_and_nothing_is_saved(self):
        self.assertEqual(self.gates()["problems"], [])
        typed = self.gates(body="Some mothers have suicidal thoughts [@src2020].")
        self.assertIn("suicidal thoughts", typed["crisis_terms"])  # the box is automatic
        self.assertEqual(self.gates()["crisis_terms"], [])
        figure = self.gates(body="Plain words [@src2020].\n\nAbout 9% of mothers have it.")
        self.assertTrue(any("About 9% of mothers" in p for p in figure["problems"]))
        self.page.refresh_from_db()
        self.assertEqual(self.page.body, "Plain words [@src2020].")

    def test_the_reading_grade_comes_with_it(self):
        long = (
            "Notwithstanding considerable interindividual variability, physiological "
            "dopaminergic fluctuations plausibly precipitate transient dysphoria. "
        ) * 3
        answer = self.gates(body=long + "[@src2020]")
        self.assertTrue(answer["grade_applies"])
        self.assertGreater(answer["grade"], 9)
        self.assertFalse(self.gates(audience="clinicians", body=long)["grade_applies"])

    def test_gates_for_a_new_page_and_refusals(self):
        response = self.client.post(url("gates"), {"title": "New", "body": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("add a summary", response.json()["problems"])
        self.assertEqual(self.client.get(url("gates")).status_code, 405)
        self.client.logout()
        self.assertEqual(self.client.post(url("gates")).status_code, 302)

    def test_the_change_list_shows_the_reading_grade(self):
        html = self.client.get(url("changelist")).content.decode()
        self.assertIn("column-reading_grade", html)
        self.assertIn('class="field-reading_grade"', html)

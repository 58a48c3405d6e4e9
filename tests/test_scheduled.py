"""Scheduled publishing takes effect without anyone present, and only as a moderator approved."""

import datetime
import io

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from resources.curation import editorial
from resources.models import Resource

from .factories import make_article, make_reference, make_staff

Status = Resource.Status
MINUTE = datetime.timedelta(minutes=1)


class ScheduledPublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_reference(key="src2020")
        cls.moderator = make_staff("mod", "Moderators")
        cls.editor = make_staff("ed", "Editors")

    def run_scheduler(self):
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        return out.getvalue()

    def in_review(self, title, **fields):
        return make_article(title=title, status=Status.REVIEW, body="Claim [@src2020].", **fields)

    def test_due_pages_are_published_and_future_ones_wait(self):
        now = timezone.now()
        due, later = self.in_review("Due"), self.in_review("Later")
        editorial.schedule(due, now - MINUTE, by=self.moderator)
        editorial.schedule(later, now + 60 * MINUTE, by=self.moderator)
        draft = make_article(
            title="Draft", status=Status.DRAFT, body="Claim [@src2020].", publish_at=now - MINUTE
        )
        output = self.run_scheduler()
        self.assertIn("published: Due", output)
        for article, status in (
            (due, Status.PUBLISHED),
            (later, Status.REVIEW),
            (draft, Status.DRAFT),
        ):
            article.refresh_from_db()
            self.assertEqual(article.status, status, article.title)
        published = due.workflow_events().get(to_status=Status.PUBLISHED)
        self.assertEqual(published.by, self.moderator)  # the person who approved the time
        self.assertIn("published automatically at the time mod approved", published.comment)

    def test_a_time_nobody_approved_is_ignored(self):
        page = self.in_review("Unconfirmed", publish_at=timezone.now() - MINUTE)
        with self.assertLogs("resources.management.commands.publish_scheduled", "WARNING"):
            output = self.run_scheduler()
        self.assertIn("no moderator has approved it", output)
        page.refresh_from_db()
        self.assertEqual(page.status, Status.REVIEW)

    def test_changing_the_time_or_the_text_after_approval_withdraws_it(self):
        page = self.in_review("Approved then changed")
        editorial.schedule(page, timezone.now() - MINUTE, by=self.moderator)
        page.refresh_from_db()
        self.assertEqual(page.scheduled_by, self.moderator)
        page.body = "Other words [@src2020]."
        page.save()
        page.refresh_from_db()
        self.assertIsNone(page.scheduled_by)
        self.run_scheduler()
        page.refresh_from_db()
        self.assertEqual(page.status, Status.REVIEW)

    def test_only_a_publisher_who_did_not_write_it_may_schedule(self):
        page = self.in_review("Mine", written_by=self.moderator)
        with self.assertRaisesMessage(editorial.WorkflowError, "four eyes"):
            editorial.schedule(page, timezone.now(), by=self.moderator)
        with self.assertRaisesMessage(editorial.WorkflowError, "may not publish"):
            editorial.schedule(page, timezone.now(), by=self.editor)
        page.refresh_from_db()
        self.assertIsNone(page.scheduled_by)

    def test_a_page_not_ready_at_its_time_stays_in_review_with_the_reason(self):
        page = self.in_review("Unready")
        editorial.schedule(page, timezone.now() - MINUTE, by=self.moderator)
        type(self.source).objects.filter(pk=self.source.pk).update(status=Status.DRAFT)
        with self.assertLogs("resources.management.commands.publish_scheduled", "WARNING"):
            output = self.run_scheduler()
        self.assertIn("publish the cited references first: @src2020", output)
        page.refresh_from_db()
        self.assertEqual(page.status, Status.REVIEW)

"""Scheduled publishing takes effect without anyone present."""

import datetime
import io

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from resources.models import Resource

from .factories import make_article, make_reference

Status = Resource.Status


class ScheduledPublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_reference(key="src2020")

    def run_scheduler(self):
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        return out.getvalue()

    def test_due_pages_are_published_and_future_ones_wait(self):
        now = timezone.now()
        due = make_article(
            title="Due",
            status=Status.REVIEW,
            body="Claim [@src2020].",
            publish_at=now - datetime.timedelta(minutes=1),
        )
        later = make_article(
            title="Later",
            status=Status.REVIEW,
            body="Claim [@src2020].",
            publish_at=now + datetime.timedelta(hours=1),
        )
        draft = make_article(
            title="Draft",
            status=Status.DRAFT,
            body="Claim [@src2020].",
            publish_at=now - datetime.timedelta(minutes=1),
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
        (event,) = due.workflow_events()
        self.assertIsNone(event.by)

    def test_a_page_not_ready_stays_in_review_with_the_reason(self):
        page = make_article(
            title="Unready", status=Status.REVIEW, body="No citation.", publish_at=timezone.now()
        )
        with self.assertLogs("resources.management.commands.publish_scheduled", "WARNING"):
            output = self.run_scheduler()
        self.assertIn("cite at least one reference", output)
        page.refresh_from_db()
        self.assertEqual(page.status, Status.REVIEW)

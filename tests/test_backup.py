"""Backup and restore round-trip everything, on SQLite and on PostgreSQL."""

import io
import tempfile
from pathlib import Path

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.test import TransactionTestCase

from resources.models import Article, CrisisLine, Reference, SynonymGroup
from resources.search import verification

from .search_helpers import reset_index


class BackupRestoreTests(TransactionTestCase):
    def setUp(self):
        reset_index()
        call_command("seed", verbosity=0)
        self.moderator = User.objects.create_user("mod", "m@example.org", "a-long-passphrase")
        group = Group.objects.create(name="Moderators")
        group.permissions.add(*ContentType.objects.get_for_model(Article).permission_set.all())
        self.moderator.groups.add(group)
        article = Article.objects.get(slug="what-is-d-mer")
        article.title = "What is D-MER? (edited)"
        article.save()
        article.topics.add("Edited topic")
        LogEntry.objects.log_actions(
            user_id=self.moderator.pk,
            queryset=[article],
            action_flag=CHANGE,
            change_message="Edited the title",
            single_object=True,
        )
        self.folder = Path(tempfile.mkdtemp())

    def snapshot(self):
        article = Article.objects.get(slug="what-is-d-mer")
        user = User.objects.get(username="mod")
        return {
            "articles": Article.objects.count(),
            "references": Reference.objects.count(),
            "crisis": CrisisLine.objects.count(),
            "synonyms": SynonymGroup.objects.count(),
            "title": article.title,
            "topics": sorted(article.topics.names()),
            "password": user.password,
            "groups": list(user.groups.values_list("name", flat=True)),
            "permissions": user.groups.get().permissions.count(),
            "history": list(LogEntry.objects.values_list("change_message", "object_repr")),
        }

    def round_trip(self, name):
        before = self.snapshot()
        path = str(self.folder / name)
        call_command("backup", path, stdout=io.StringIO())
        # Disaster strikes.
        Article.objects.all().delete()
        User.objects.all().delete()
        LogEntry.objects.all().delete()
        self.assertEqual(Article.objects.count(), 0)
        call_command("restore", path, yes=True, stdout=io.StringIO())
        self.assertEqual(self.snapshot(), before)
        report = verification.compare()
        self.assertEqual((report["missing"], report["stale"], report["ghost"]), ([], [], []))
        self.assertTrue(User.objects.get(username="mod").check_password("a-long-passphrase"))

    def test_round_trip_plain_json(self):
        self.round_trip("kb.json")

    def test_round_trip_gzipped(self):
        self.round_trip("kb.json.gz")

    def test_restore_needs_confirmation_and_an_existing_file(self):
        with self.assertRaises(CommandError):
            call_command("restore", str(self.folder / "x.json"))
        with self.assertRaises(CommandError):
            call_command("restore", str(self.folder / "missing.json"), yes=True)

    def test_a_broken_backup_changes_nothing(self):
        broken = self.folder / "broken.json"
        broken.write_text('[{"model": "resources.article", "pk": 1, "fields": {"nope": 1}}]')
        before = self.snapshot()
        with self.assertRaises(DeserializationError):
            call_command("restore", str(broken), yes=True, stdout=io.StringIO())
        self.assertEqual(self.snapshot(), before)

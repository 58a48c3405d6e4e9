"""Retiring pages without breaking links: archive notices, replacements and merges."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import TestCase
from haystack.query import SearchQuerySet

from resources.curation.services import merge_resources
from resources.models import Article, Resource, WorkflowError, WorkflowEvent

from .factories import (
    admin_url,
    ensure_roles,
    make_article,
    make_editor,
    make_moderator,
    make_reference,
    make_strategy,
    post_admin_action,
)
from .search_helpers import reset_index, sync

Status = Resource.Status
CHANGELIST = admin_url("resources_article_changelist")


class ArchiveNoticeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")

    def test_archived_page_points_to_its_live_replacement(self):
        new = make_article(title="The new guide")
        old = make_article(title="The old guide", body="Old advice.")
        old.replaced_by = new
        old.save()
        old.archive(by=self.moderator)
        html = self.client.get(old.get_absolute_url()).content.decode()
        self.assertIn("This page has been archived", html)
        self.assertIn(f'<a href="{new.get_absolute_url()}">The new guide</a>', html)
        self.assertIn("Old advice.", html)  # the text stays readable below the notice
        self.assertIn("No longer reviewed", html)

    def test_replacement_that_is_itself_archived_points_on_to_the_live_one(self):
        newest = make_article(title="Newest guide")
        middle = make_article(title="Middle guide", replaced_by=newest, status=Status.ARCHIVED)
        oldest = make_article(title="Oldest guide", replaced_by=middle, status=Status.ARCHIVED)
        self.assertEqual(oldest.live_replacement(), newest)
        html = self.client.get(oldest.get_absolute_url()).content.decode()
        self.assertIn(f'<a href="{newest.get_absolute_url()}">Newest guide</a>', html)

    def test_replacement_that_went_back_to_draft_is_not_offered(self):
        draft = make_article(title="Being rewritten", status=Status.DRAFT)
        old = make_article(title="Retired", replaced_by=draft, status=Status.ARCHIVED)
        html = self.client.get(old.get_absolute_url()).content.decode()
        self.assertNotIn("Being rewritten", html)
        self.assertIn("search the knowledge base", html)

    def test_a_page_cannot_replace_itself_even_through_a_chain(self):
        a = make_article()
        b = make_article(replaced_by=a)
        a.replaced_by = b
        with self.assertRaisesMessage(ValidationError, "cannot be replaced by itself"):
            a.full_clean()
        a.replaced_by = a
        with self.assertRaisesMessage(ValidationError, "cannot be replaced by itself"):
            a.full_clean()

    def test_redirect_needs_a_replacement(self):
        article = make_article(redirect_to_replacement=True)
        with self.assertRaisesMessage(ValidationError, "Choose the page that replaces"):
            article.full_clean()

    def test_page_taken_back_to_draft_says_it_is_being_revised(self):
        article = make_article(status=Status.REVIEW, body="x [@r]", slug="revised")
        make_reference(key="r")
        article.publish(by=self.moderator)
        article.return_to_draft(by=self.moderator)
        response = self.client.get("/articles/revised/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "This page is being revised", status_code=404)
        never = make_article(status=Status.DRAFT, slug="never-public")
        response = self.client.get(never.get_absolute_url())
        self.assertNotContains(response, "being revised", status_code=404)

    def test_api_marks_archived_resources_and_names_the_replacement(self):
        new = make_article(title="New")
        old = make_article(title="Old", replaced_by=new, status=Status.ARCHIVED)
        data = self.client.get(f"/api/v1/articles/{old.slug}/").json()
        self.assertTrue(data["archived"])
        self.assertTrue(data["replaced_by"].endswith(new.get_absolute_url()))
        live = self.client.get(f"/api/v1/articles/{new.slug}/").json()
        self.assertEqual((live["archived"], live["replaced_by"]), (False, None))
        self.assertNotIn(
            "Old", [r["title"] for r in self.client.get("/api/v1/articles/").json()["results"]]
        )


class MergeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_roles()
        cls.moderator = make_moderator()
        cls.editor = make_editor()

    def setUp(self):
        reset_index()

    def post_merge(self, user, chosen, keep=None):
        self.client.force_login(user)
        data = {} if keep is None else {"keep": keep.pk, "confirm": "yes"}
        with self.captureOnCommitCallbacks(execute=True):
            return post_admin_action(self.client, Article, "merge", chosen, **data)

    def test_moderator_merges_two_articles_and_old_links_land_on_the_survivor(self):
        keep = make_article(title="Coping with D-MER", slug="coping", topics=["Coping"])
        gone = make_article(
            title="Living with D-MER", slug="living", topics=["Daily life"],
            aliases="DMER tips", crisis_help=True,
        )  # fmt: skip
        confirm = self.post_merge(self.moderator, [keep, gone])
        self.assertContains(confirm, "Choose the article that survives")
        self.assertContains(confirm, "Text is not combined")
        done = self.post_merge(self.moderator, [keep, gone], keep=keep)
        self.assertContains(done, "Merged “Living with D-MER” into “Coping with D-MER”")
        self.client.logout()

        self.assertRedirects(self.client.get("/articles/living/"), "/articles/coping/", 301)
        self.assertRedirects(self.client.get(gone.get_short_url()), "/articles/coping/", 301)
        self.assertRedirects(
            self.client.get("/api/v1/articles/living/"), "/api/v1/articles/coping/", 301,
            fetch_redirect_response=False,
        )  # fmt: skip
        keep.refresh_from_db()
        gone.refresh_from_db()
        self.assertEqual(gone.status, Status.ARCHIVED)
        self.assertEqual(gone.replaced_by, keep)
        self.assertEqual(set(keep.topics.names()), {"Coping", "Daily life"})
        self.assertEqual(keep.alias_list(), ["Living with D-MER", "DMER tips"])
        self.assertTrue(keep.crisis_help)
        event = WorkflowEvent.objects.get(object_id=gone.pk, to_status=Status.ARCHIVED)
        self.assertEqual(event.by, self.moderator)

        sync()
        titles = [r.title for r in SearchQuerySet().filter(content="living")]
        self.assertEqual(titles, ["Coping with D-MER"])  # found by the retired title

    def test_merge_keeps_the_history_of_both(self):
        from reversion.models import Version

        keep, gone = make_article(), make_article()
        merge_resources(keep=keep, retired=[gone], by=self.moderator)
        self.assertIn("Merged in", Version.objects.get_for_object(keep).first().revision.comment)
        self.assertIn("Merged into", Version.objects.get_for_object(gone).first().revision.comment)

    def test_survivor_must_be_published(self):
        draft = make_article(status=Status.DRAFT)
        live = make_article()
        with self.assertRaisesMessage(WorkflowError, "merge into a published page"):
            merge_resources(keep=draft, retired=[live], by=self.moderator)
        live.refresh_from_db()
        self.assertEqual(live.status, Status.PUBLISHED)
        response = self.post_merge(self.moderator, [draft, live], keep=draft)
        self.assertContains(response, "merge into a published page")
        self.assertEqual(Article.objects.get(pk=live.pk).status, Status.PUBLISHED)

    def test_only_the_same_kind_can_be_merged(self):
        with self.assertRaisesMessage(WorkflowError, "same kind"):
            merge_resources(keep=make_article(), retired=[make_strategy()], by=self.moderator)

    def test_one_selected_is_refused(self):
        response = self.post_merge(self.moderator, [make_article()])
        self.assertContains(response, "Select at least two to merge.")

    def test_editor_cannot_merge(self):
        a, b = make_article(), make_article()
        response = self.post_merge(self.editor, [a, b], keep=a)
        self.assertNotContains(response, "Merged")
        b.refresh_from_db()
        self.assertEqual(b.status, Status.PUBLISHED)
        self.assertEqual(self.client.get(b.get_absolute_url()).status_code, 200)

    def test_merged_reference_keys_still_cite_the_survivor(self):
        keep = make_reference(key="heise2011", title="Heise case report")
        dup = make_reference(key="heise2011dup", title="Heise duplicate")
        article = make_article(body="One [@heise2011dup]. Two [@heise2011].")
        merge_resources(keep=keep, retired=[dup], by=self.moderator)
        rendered = article.rendered()
        self.assertEqual(rendered.references, [keep])
        self.assertEqual(str(rendered.fields["body"]).count('href="#ref-1"'), 2)
        html = self.client.get(keep.get_absolute_url()).content.decode()
        self.assertIn(article.title, html)  # cited by, through the merged key
        self.assertRedirects(
            self.client.get(f"/references/{dup.slug}.bib"), f"/references/{keep.slug}.bib", 301,
            fetch_redirect_response=False,
        )  # fmt: skip


class OddAddressTests(TestCase):
    def test_odd_slugs_get_a_clear_not_found(self):
        for url in ["/api/v1/articles/%00/", "/api/v1/articles/a%00b/", "/r/a%00", "/r/a99999"]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_null_characters_in_query_strings_are_dropped_not_a_server_error(self):
        moderator = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")
        article = make_article(title="Pumping at work", topics=["Pumping"])
        self.assertEqual(self.client.get("/api/v1/articles/?topic=pump%00ing").status_code, 200)
        self.client.force_login(moderator)
        for url in [
            admin_url("resources_article_changelist") + "?q=pump%00",
            admin_url("resources_article_topic_suggestions") + "?q=pu%00mp",
            admin_url("resources_article_diff", article.pk) + "?a=abc&b=%00",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        found = self.client.get(admin_url("resources_article_changelist") + "?q=pump%00")
        self.assertContains(found, "Pumping at work")

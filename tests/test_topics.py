"""Topics: case-insensitive, no commas, renamed and merged without breaking links."""

from django.test import TestCase
from haystack.query import SearchQuerySet
from taggit.models import Tag

from resources.models import Article

from .factories import (
    admin_url,
    article_admin_form,
    make_article,
    make_editor,
    make_moderator,
    post_admin_action,
)
from .search_helpers import reset_index, sync

TOPICS = admin_url("taggit_tag_changelist")


class TopicTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        cls.editor = make_editor()

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_topics_ignore_capitals(self):
        article = make_article(topics=["Pumping"])
        article.topics.add("pumping", "PUMPING")
        self.assertEqual(Tag.objects.filter(name__iexact="pumping").count(), 1)

    def test_commas_are_refused_with_a_clear_message(self):
        article = make_article()
        response = self.client.post(
            admin_url("resources_article_change", article.pk),
            article_admin_form(article, topics='"Pumping, work"'),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Topic names cannot contain commas", response.content.decode())
        tag = Tag.objects.create(name="Work", slug="work")
        response = self.client.post(
            f"{TOPICS}{tag.pk}/change/", {"name": "Work, home", "slug": "work"}
        )
        self.assertIn("Topic names cannot contain commas", response.content.decode())

    def test_renaming_a_topic_keeps_its_old_address(self):
        make_article(topics=["Coping"])
        tag = Tag.objects.get(name="Coping")
        response = self.client.post(
            f"{TOPICS}{tag.pk}/change/", {"name": "Coping day to day", "slug": "coping-day-to-day"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertRedirects(
            self.client.get("/topics/coping/"), "/topics/coping-day-to-day/", status_code=301
        )

    def test_merging_retags_everything_and_redirects_the_old_topic(self):
        first = make_article(title="First", topics=["Pumping"])
        second = make_article(title="Second", topics=["Expressing"])
        make_article(title="Third", topics=["Pumping"])
        keep, gone = Tag.objects.get(name="Pumping"), Tag.objects.get(name="Expressing")
        post_admin_action(self.client, Tag, "merge_topics", [keep, gone], follow=False)
        self.assertFalse(Tag.objects.filter(pk=gone.pk).exists())
        self.assertEqual(sorted(second.topics.names()), ["Pumping"])
        self.assertEqual(sorted(first.topics.names()), ["Pumping"])
        self.assertRedirects(
            self.client.get("/topics/expressing/"), "/topics/pumping/", status_code=301
        )

    def test_only_unused_topics_are_removed(self):
        make_article(topics=["Used"])
        unused = Tag.objects.create(name="Unused", slug="unused")
        used = Tag.objects.get(name="Used")
        post_admin_action(self.client, Tag, "delete_unused", [used, unused], follow=False)
        self.assertTrue(Tag.objects.filter(pk=used.pk).exists())
        self.assertFalse(Tag.objects.filter(pk=unused.pk).exists())

    def test_editors_cannot_manage_topics(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(TOPICS).status_code, 403)


class TopicFieldTests(TestCase):
    """The topic field reads names separated by commas, and suggests existing topics."""

    SUGGEST = admin_url("resources_article_topic_suggestions")

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        cls.editor = make_editor()
        make_article(topics=["Sleep", "Pumping"])
        make_article(topics=["Sleep"])
        make_article(topics=["Night feeds", "Breastfeeding aversion"])

    def suggest(self, q, entered=""):
        response = self.client.get(self.SUGGEST, {"q": q, "entered": entered})
        self.assertEqual(response.status_code, 200)
        return response.json()["results"]

    def test_a_two_word_topic_stays_one_topic(self):
        self.client.force_login(self.moderator)
        article = make_article()
        response = self.client.post(
            admin_url("resources_article_change", article.pk),
            article_admin_form(article, topics="Daily life"),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(article.topics.names()), ["Daily life"])
        form = self.client.get(admin_url("resources_article_change", article.pk)).content.decode()
        self.assertIn('value="Daily life"', form)  # shown back without quotes

    def test_existing_topics_are_suggested_whatever_the_capitals(self):
        self.client.force_login(self.editor)  # editors tag their drafts too
        self.assertEqual(self.suggest("SLE"), ["Sleep"])
        self.assertEqual(self.suggest("feed"), ["Breastfeeding aversion", "Night feeds"])
        # Most used first: Sleep tags two pages.
        self.assertEqual(self.suggest("ee"), ["Sleep", "Breastfeeding aversion", "Night feeds"])
        self.assertEqual(self.suggest("   "), [])
        self.assertEqual(self.suggest("zzz"), [])

    def test_names_already_in_the_field_are_not_suggested_again(self):
        self.client.force_login(self.moderator)
        self.assertEqual(
            self.suggest("ee", entered="sleep, "), ["Breastfeeding aversion", "Night feeds"]
        )

    def test_names_that_start_with_the_text_come_first(self):
        self.client.force_login(self.moderator)
        make_article(topics=["Asleep at the breast", "Asleep early"])
        self.assertEqual(self.suggest("sle")[0], "Sleep")

    def test_readers_get_no_suggestions(self):
        response = self.client.get(self.SUGGEST, {"q": "sle"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(admin_url("login"), response["Location"])

    def test_topic_field_is_wired_to_the_suggestions(self):
        self.client.force_login(self.moderator)
        html = self.client.get(admin_url("resources_article_add")).content.decode()
        self.assertIn(f'data-suggest-url="{self.SUGGEST}"', html)
        self.assertIn('role="combobox"', html)
        self.assertIn("topic-autocomplete.js", html)
        strategy = self.client.get(admin_url("resources_treatmentstrategy_add")).content.decode()
        suggest = admin_url("resources_treatmentstrategy_topic_suggestions")
        self.assertIn(f'data-suggest-url="{suggest}', strategy)

    def test_odd_input_gets_an_answer_not_an_error(self):
        self.client.force_login(self.moderator)
        for q in ["\x00", "%", "_", "'", "x" * 5000, "a,b"]:
            with self.subTest(q=q):
                self.assertIsInstance(self.suggest(q, entered='"unclosed, \x00'), list)


class BulkTopicActionTests(TestCase):
    """Add and remove topics on many pages at once; index, pages and history follow."""

    CHANGELIST = admin_url("resources_article_changelist")

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        cls.editor = make_editor()

    def setUp(self):
        reset_index()

    def act(self, user, action, objects, **data):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            return post_admin_action(self.client, Article, action, objects, **data)

    def indexed_topics(self, article):
        sync()
        (hit,) = [
            r for r in SearchQuerySet().filter(django_id=article.pk) if r.title == article.title
        ]
        return sorted(hit.topics)

    def test_moderator_adds_topics_to_several_pages(self):
        a = make_article(title="Night one", topics=["Coping"])
        b = make_article(title="Night two")
        make_article(topics=["Sleep"])  # an existing topic, typed with other capitals below
        form = self.act(self.moderator, "add_topics", [a, b])
        self.assertContains(form, "Topics to add")
        self.assertContains(form, "data-suggest-url=")
        done = self.act(
            self.moderator, "add_topics", [a, b], apply="yes", topics="sleep, Night feeds"
        )
        self.assertContains(done, "Added Night feeds, Sleep to 2 page(s).")
        self.assertEqual(sorted(a.topics.names()), ["Coping", "Night feeds", "Sleep"])
        self.assertEqual(sorted(b.topics.names()), ["Night feeds", "Sleep"])
        self.assertEqual(Tag.objects.filter(name__iexact="sleep").count(), 1)
        self.assertEqual(self.indexed_topics(b), ["night-feeds", "sleep"])
        self.client.logout()
        self.assertContains(self.client.get("/topics/night-feeds/"), "Night two")
        from reversion.models import Version

        comment = Version.objects.get_for_object(a).first().revision.comment
        self.assertEqual(comment, "Topics added Night feeds, Sleep")

    def test_moderator_removes_a_topic_from_several_pages(self):
        a = make_article(title="Tagged one", topics=["Coping", "Sleep"])
        b = make_article(title="Tagged two", topics=["Sleep"])
        form = self.act(self.moderator, "remove_topics", [a, b])
        self.assertContains(form, "Topics to remove")
        sleep = Tag.objects.get(name="Sleep")
        done = self.act(self.moderator, "remove_topics", [a, b], apply="yes", topics=[sleep.pk])
        self.assertContains(done, "Removed Sleep from 2 page(s).")
        self.assertEqual(list(a.topics.names()), ["Coping"])
        self.assertEqual(list(b.topics.names()), [])
        self.assertEqual(self.indexed_topics(a), ["coping"])

    def test_empty_or_comma_topics_are_refused_and_nothing_changes(self):
        a = make_article(topics=["Coping"])
        empty = self.act(self.moderator, "add_topics", [a], apply="yes", topics="  ")
        self.assertContains(empty, "This field is required")
        comma = self.act(self.moderator, "add_topics", [a], apply="yes", topics='"Work, home"')
        self.assertContains(comma, "Topic names cannot contain commas")
        self.assertEqual(list(a.topics.names()), ["Coping"])
        junk = self.act(self.moderator, "remove_topics", [a], apply="yes", topics=["x", "999"])
        self.assertContains(junk, "is not a valid value")
        self.assertEqual(list(a.topics.names()), ["Coping"])

    def test_editor_tags_drafts_but_not_live_pages(self):
        draft = make_article(title="My draft", status="draft")
        live = make_article(title="Live page")
        done = self.act(self.editor, "add_topics", [draft, live], apply="yes", topics="Sleep")
        self.assertContains(done, "Not changed: “Live page”")
        self.assertContains(done, "Added Sleep to 1 page(s).")
        self.assertEqual(list(draft.topics.names()), ["Sleep"])
        self.assertEqual(list(live.topics.names()), [])

    def test_a_moderator_with_the_page_open_is_told_it_changed(self):
        article = make_article(topics=["Coping"])
        stale = article_admin_form(article, topics="Coping")
        self.act(self.moderator, "add_topics", [article], apply="yes", topics="Sleep")
        response = self.client.post(admin_url("resources_article_change", article.pk), stale)
        self.assertContains(response, "Someone else saved this page after you opened it")
        self.assertEqual(sorted(article.topics.names()), ["Coping", "Sleep"])

    def test_shared_search_and_api_links_follow_a_renamed_topic(self):
        make_article(title="Pumping at work", topics=["Pumping"])
        tag = Tag.objects.get(name="Pumping")
        self.client.force_login(self.moderator)
        self.client.post(f"{TOPICS}{tag.pk}/change/", {"name": "Expressing", "slug": "expressing"})
        self.client.logout()
        response = self.client.get("/search/?q=work&topic=pumping")
        self.assertRedirects(response, "/search/?q=work&topic=expressing", 301)
        api = self.client.get("/api/v1/articles/?topic=pumping")
        self.assertEqual([r["title"] for r in api.json()["results"]], ["Pumping at work"])
        unknown = self.client.get("/api/v1/articles/?topic=never-existed")
        self.assertEqual(unknown.status_code, 400)

"""The redirect guarantee: every URL that was ever public still answers, after renames,
merges and archiving, with 200 or with a 301 that leads to a page answering 200.

Everything happens through the admin, as a moderator does it. A property-based test runs
random sequences of renames, replacements, archives, merges and attempted deletions of
resources, and renames and merges of topics.
"""

from django.contrib.auth.models import User
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from taggit.models import Tag

from resources.api.views import api_url
from resources.models import Article, Reference, Resource, TreatmentStrategy
from resources.models.topics import published_topics

from .factories import admin_form_data, make_article, make_reference, make_strategy

MODELS = (Article, TreatmentStrategy, Reference)
MAX_HOPS = 3


def public_urls():
    """Every address the site answers for now: resource pages and their other forms, topics."""
    urls = set()
    for model in MODELS:
        for obj in model.objects.with_public_page():
            urls |= {obj.get_absolute_url(), obj.get_short_url(), api_url(obj)}
            if model is Reference:
                urls |= {
                    reverse("resources:reference_bibtex", args=[obj.slug]),
                    reverse("resources:reference_ris", args=[obj.slug]),
                }
    for topic in published_topics():
        for name in ("topic_detail", "topic_feed_rss", "topic_feed_atom"):
            urls.add(reverse(f"resources:{name}", args=[topic.slug]))
        urls.add(f"{reverse('search:search')}?topic={topic.slug}")
    return urls


def assert_answers(client, url):
    """200, or 301 followed (at most MAX_HOPS times) to a page that answers 200."""
    response = client.get(url)
    hops = 0
    while response.status_code == 301 and hops < MAX_HOPS:
        response = client.get(response["Location"])
        hops += 1
    assert response.status_code == 200, f"{url} ends in {response.status_code} after {hops} hop(s)"


class Moderator:
    """Drives the admin the way a moderator does."""

    def __init__(self, client, user):
        self.client, self.user = client, user

    def post(self, url, data):
        self.client.force_login(self.user)
        response = self.client.post(url, data)
        self.client.logout()
        return response

    def change_url(self, obj):
        return reverse(f"admin:resources_{obj._meta.model_name}_change", args=[obj.pk])

    def changelist(self, model):
        return reverse(f"admin:resources_{model._meta.model_name}_changelist")

    def rename(self, obj, slug):
        obj.refresh_from_db()
        return self.post(self.change_url(obj), admin_form_data(obj, self.user, slug=slug))

    def set_replacement(self, obj, replacement):
        obj.refresh_from_db()
        data = admin_form_data(obj, self.user, replaced_by=replacement.pk)
        return self.post(self.change_url(obj), data)

    def action(self, model, action, objects, **extra):
        data = {"action": action, "_selected_action": [o.pk for o in objects], **extra}
        return self.post(self.changelist(model), data)

    def merge(self, keep, retired):
        return self.action(type(keep), "merge", [keep, retired], keep=keep.pk, confirm="yes")

    def rename_topic(self, topic, slug):
        data = {"name": topic.name, "slug": slug}
        return self.post(reverse("admin:taggit_tag_change", args=[topic.pk]), data)

    def merge_topics(self, topics):
        data = {"action": "merge_topics", "_selected_action": [t.pk for t in topics]}
        return self.post(reverse("admin:taggit_tag_changelist"), data)


def build_library():
    topics = ["Coping", "Causes", "Weaning"]
    return {
        Article: [make_article(slug=f"article-{i}", topics=topics[i:]) for i in range(3)],
        TreatmentStrategy: [
            make_strategy(slug=f"treatmentstrategy-{i}", topics=topics[:i]) for i in range(2)
        ],
        Reference: [
            make_reference(slug=f"reference-{i}", topics=topics[i : i + 1]) for i in range(3)
        ],
    }


def pick(items, index):
    item = items[index % len(items)]
    item.refresh_from_db()
    return item


KIND = st.sampled_from(MODELS)
INDEX = st.integers(0, 5)
OPERATIONS = st.one_of(
    st.tuples(st.just("rename"), KIND, INDEX, INDEX),
    st.tuples(st.just("replace"), KIND, INDEX, INDEX),
    st.tuples(st.just("archive"), KIND, INDEX),
    st.tuples(st.just("delete"), KIND, INDEX),
    st.tuples(st.just("merge"), KIND, INDEX, INDEX),
    st.tuples(st.just("rename_topic"), st.none(), INDEX, INDEX),
    st.tuples(st.just("merge_topics"), st.none(), INDEX, INDEX),
)


class RedirectGuaranteeTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")

    def assert_all_answer(self, urls):
        for url in sorted(urls):
            with self.subTest(url=url):
                assert_answers(self.client, url)

    def test_every_url_survives_a_moderators_busy_week(self):
        library = build_library()
        moderator = Moderator(self.client, self.user)
        ever = public_urls()
        a0, a1, a2 = library[Article]
        s0, s1 = library[TreatmentStrategy]
        r0, r1, _ = library[Reference]

        steps = [
            lambda: moderator.rename(a0, "article-zero"),
            lambda: moderator.rename(a0, "article-nought"),
            lambda: moderator.rename(r0, "reference-renamed"),
            lambda: moderator.merge(keep=a1, retired=a0),
            lambda: moderator.set_replacement(a2, a1),
            lambda: moderator.action(Article, "archive", [a2]),
            lambda: moderator.action(TreatmentStrategy, "archive", [s1]),
            lambda: moderator.merge(keep=r1, retired=r0),
            lambda: moderator.rename(a1, "article-one-new"),
            lambda: moderator.merge(keep=s0, retired=s1),
            lambda: moderator.rename_topic(Tag.objects.get(name="Coping"), "coping-with-d-mer"),
            lambda: moderator.merge_topics(Tag.objects.filter(name__in=["Causes", "Weaning"])),
        ]
        for step in steps:
            response = step()
            self.assertEqual(response.status_code, 302, response.content.decode()[:500])
            ever |= public_urls()
        self.assertGreater(len(ever), 40)
        self.assert_all_answer(ever)
        # The merged article's oldest address lands on the survivor's newest one.
        response = self.client.get("/articles/article-0/")
        self.assertRedirects(response, "/articles/article-one-new/", status_code=301)
        self.assertContains(self.client.get("/articles/article-2/"), "This page has been archived")

    def test_the_check_itself_fails_on_a_broken_link(self):
        draft = make_article(status=Resource.Status.DRAFT)
        with self.assertRaises(AssertionError):
            assert_answers(self.client, draft.get_absolute_url())
        with self.assertRaises(AssertionError):
            assert_answers(self.client, "/articles/no-such-page/")

    @settings(
        max_examples=25, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )  # fmt: skip
    @given(st.lists(OPERATIONS, min_size=1, max_size=8))
    def test_every_url_ever_public_still_answers_after_any_sequence(self, operations):
        library = build_library()
        moderator = Moderator(self.client, self.user)
        ever = public_urls()
        for name, model, *args in operations:
            objects = library.get(model, [])
            topics = list(Tag.objects.order_by("pk"))
            if name == "rename":
                slug = f"{model._meta.model_name}-{args[1]}"
                moderator.rename(pick(objects, args[0]), slug)
            elif name == "replace":
                moderator.set_replacement(pick(objects, args[0]), pick(objects, args[1]))
            elif name == "archive":
                moderator.action(model, "archive", [pick(objects, args[0])])
            elif name == "delete":  # refused for anything that was ever public
                moderator.action(model, "delete_selected", [pick(objects, args[0])], post="yes")
            elif name == "merge":
                moderator.merge(keep=pick(objects, args[1]), retired=pick(objects, args[0]))
            elif name == "rename_topic" and topics:
                moderator.rename_topic(pick(topics, args[0]), f"topic-{args[1]}")
            elif name == "merge_topics" and topics:
                moderator.merge_topics([pick(topics, args[0]), pick(topics, args[1])])
            ever |= public_urls()
        for url in sorted(ever):
            assert_answers(self.client, url)

"""Who may do what in the admin: every admin page and every action, for a reader (not
logged in), an editor and a moderator, checked on both sides.

The expectations are written out here, row by row, rather than computed from the admin's
own permission methods: the test states the policy and the admin has to meet it. A page
is "allowed" when it answers 200; a reader is sent to the login page; a logged-in person
without the right gets 403. An action is "allowed" when its effect happens, and refused
when nothing changes.
"""

import re

import reversion
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from resources.curation import editorial
from resources.models import (
    Article,
    CrisisLine,
    CrisisTerm,
    Reference,
    Resource,
    SlugRedirect,
    Suggestion,
    SynonymGroup,
    TreatmentStrategy,
)
from resources.models.site_content import SiteText

from .factories import (
    admin_form_data,
    make_article,
    make_crisis_line,
    make_reference,
    make_staff,
    make_strategy,
)

Status = Resource.Status
ANONYMOUS, EDITOR, MODERATOR = "anonymous", "editor", "moderator"
PEOPLE = (ANONYMOUS, EDITOR, MODERATOR)
STAFF = {EDITOR, MODERATOR}
MODS = {MODERATOR}
NOBODY = set()
MAKERS = {Article: make_article, TreatmentStrategy: make_strategy, Reference: make_reference}


def form_token(response):
    """The one-time token of an add form (security's send-once rule), if the page has one."""
    found = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    return found.group(1) if found else ""


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


class Matrix(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = {
            EDITOR: make_staff("ed", "Editors"),
            MODERATOR: make_staff("mod", "Moderators"),
        }
        make_reference(key="src2020")
        cls.pages = {}
        for model, make in MAKERS.items():
            with reversion.create_revision():
                draft = make(status=Status.DRAFT, topics=["Coping"])
                live = make(status=Status.PUBLISHED, topics=["Coping"])
                other = make(status=Status.PUBLISHED)
                review = make(status=Status.REVIEW)
            with reversion.create_revision():
                gone = make(status=Status.DRAFT)
            gone_version = Version.objects.get_for_object(gone).first()
            gone.delete()
            cls.pages[model] = {
                "draft": draft, "live": live, "other": other, "review": review,
                "deleted": gone_version,
                "version": Version.objects.get_for_object(live).first(),
            }  # fmt: skip
        with reversion.create_revision():
            cls.line = make_crisis_line()
            cls.group = SynonymGroup.objects.create(terms="D-MER\nDMER")
        cls.used_topic = Tag.objects.get(name="Coping")
        cls.spare_topic = Tag.objects.create(name="Spare", slug="spare")
        cls.redirect = SlugRedirect.objects.create(
            content_type_id=1, object_id=cls.used_topic.pk, old_slug="old"
        )
        cls.suggestion = Suggestion.objects.create(kind="error", message="A typo on the page.")
        cls.text = SiteText.objects.get(key="about-funding")
        cls.term = CrisisTerm.objects.get_or_create(phrase="suicidal thoughts")[0]

    def as_person(self, person):
        self.client.logout()
        if person != ANONYMOUS:
            self.client.force_login(self.people[person])

    def check_page(self, label, url, allowed, method="get", data=None):
        for person in PEOPLE:
            with self.subTest(label, person=person), transaction.atomic():
                self.as_person(person)
                response = getattr(self.client, method)(url, data or {})
                transaction.set_rollback(True)
                if person in allowed:
                    self.assertEqual(response.status_code, 200, f"{label}: {person} refused")
                elif person == ANONYMOUS:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("admin:login"), response["Location"])
                else:
                    self.assertEqual(response.status_code, 403, f"{label}: {person} let in")

    def check_action(self, label, changelist, data, allowed, happened):
        """Post an action as each person; `happened()` says whether its effect took place."""
        for person in PEOPLE:
            with self.subTest(label, person=person), transaction.atomic():
                self.as_person(person)
                if "form_token" in data:  # an add form: the token its page carries
                    data = {**data, "form_token": form_token(self.client.get(changelist))}
                self.client.post(changelist, data)
                effect = happened()
                transaction.set_rollback(True)
                self.assertEqual(effect, person in allowed, f"{label} by {person}")


class ResourcePageTests(Matrix):
    def test_every_resource_admin_page(self):
        for model, pages in self.pages.items():
            name = f"resources_{model._meta.model_name}"
            draft, live = pages["draft"], pages["live"]
            rows = [
                ("list", admin_url(f"{name}_changelist"), STAFF),
                ("add", admin_url(f"{name}_add"), STAFF),
                ("change a draft", admin_url(f"{name}_change", draft.pk), STAFF),
                ("view a live page", admin_url(f"{name}_change", live.pk), STAFF),
                ("history", admin_url(f"{name}_history", live.pk), STAFF),
                ("compare revisions", admin_url(f"{name}_diff", live.pk), STAFF),
                (
                    "open a live page's old revision (to restore it as a draft)",
                    admin_url(f"{name}_revision", live.pk, pages["version"].pk),
                    STAFF,
                ),
                ("recover deleted (list)", admin_url(f"{name}_recoverlist"), STAFF),
                (
                    "recover a deleted draft",
                    admin_url(f"{name}_recover", pages["deleted"].pk),
                    STAFF,
                ),
                ("delete a draft", admin_url(f"{name}_delete", draft.pk), MODS),
                ("delete a page that was public", admin_url(f"{name}_delete", live.pk), NOBODY),
                ("topic suggestions", admin_url(f"{name}_topic_suggestions") + "?q=cop", STAFF),
                ("citation search", admin_url(f"{name}_citation_search") + "?q=src", STAFF),
                ("the live draft compared", admin_url(f"{name}_draft_diff", live.pk), STAFF),
                ("confirm: submit", admin_url(f"{name}_workflow", draft.pk, "submit"), STAFF),
            ]
            for step in ("approve", "request_changes", "schedule"):
                url = admin_url(f"{name}_workflow", pages["review"].pk, step)
                rows.append((f"confirm: {step}", url, MODS))
            for step in ("unpublish", "archive"):
                rows.append(
                    (f"confirm: {step}", admin_url(f"{name}_workflow", live.pk, step), MODS)
                )
            for label, url, allowed in rows:
                self.check_page(f"{model.__name__}: {label}", url, allowed)
            self.check_page(
                f"{model.__name__}: Markdown preview", admin_url(f"{name}_markdown_preview"),
                STAFF, method="post", data={model.markdown_fields[0]: "Text [@src2020]."},
            )  # fmt: skip
            self.check_page(
                f"{model.__name__}: publishing checks as typed",
                admin_url(f"{name}_gates", draft.pk), STAFF, method="post", data={"title": "x"},
            )  # fmt: skip

    def test_saving_a_draft_and_a_live_page(self):
        """A draft changes when its writers save it; a live page never does: anyone's save
        of it is a draft for a second person to approve."""
        for model, pages in self.pages.items():
            for which, allowed in (("draft", STAFF), ("live", NOBODY)):
                for person in PEOPLE:
                    with self.subTest(f"{model.__name__}: save a {which} page", person=person):
                        changed, drafted = self.save_as(person, pages[which])
                        self.assertEqual(changed, person in allowed)
                        self.assertEqual(drafted, which == "live" and person in STAFF)

    def save_as(self, person, obj):
        """(the row changed, a draft holds the change) after `person` saves `obj`."""
        model = type(obj)
        url = admin_url(f"resources_{model._meta.model_name}_change", obj.pk)
        with transaction.atomic():
            data = admin_form_data(obj, self.people[MODERATOR], title="Retitled by the test")
            self.as_person(person)
            self.client.post(url, data)
            changed = model.objects.get(pk=obj.pk).title == "Retitled by the test"
            draft = editorial.open_draft(obj)
            drafted = draft is not None and draft.data["fields"]["title"] == "Retitled by the test"
            transaction.set_rollback(True)
        return changed, drafted

    def test_restoring_an_old_revision_of_a_live_page_only_proposes_it(self):
        pages = self.pages[Article]
        live = pages["live"]
        url = admin_url("resources_article_revision", live.pk, pages["version"].pk)
        for person in (EDITOR, MODERATOR):
            with self.subTest(person=person), transaction.atomic():
                self.as_person(person)
                data = admin_form_data(live, self.people[MODERATOR], title="Restored")
                self.client.post(url, data)
                row = Article.objects.get(pk=live.pk)
                draft = editorial.open_draft(live)
                transaction.set_rollback(True)
                self.assertEqual((row.status, row.title), (Status.PUBLISHED, live.title))
                self.assertEqual(draft.data["fields"]["title"], "Restored")
                self.assertEqual(draft.author_id, self.people[person].pk)


class ResourceActionTests(Matrix):
    def status(self, obj):
        return type(obj).objects.get(pk=obj.pk).status

    def test_every_resource_action(self):
        for model in self.pages:
            self.check_actions_of(model)

    def check_actions_of(self, model):
        pages = self.pages[model]
        changelist = admin_url(f"resources_{model._meta.model_name}_changelist")
        draft, live, other, review = (pages[k] for k in ("draft", "live", "other", "review"))

        def act(action, *objs, **extra):
            return {"action": action, "_selected_action": [o.pk for o in objs], **extra}

        rows = [
            ("submit for review", act("submit_for_review", draft), STAFF,
             lambda: self.status(draft) == Status.REVIEW),
            ("publish", act("publish", review), MODS,
             lambda: self.status(review) == Status.PUBLISHED),
            ("archive", act("archive", live, confirm="archive"), MODS,
             lambda: self.status(live) == Status.ARCHIVED),
            ("take offline", act("return_to_draft", live, confirm="return_to_draft"), MODS,
             lambda: self.status(live) == Status.DRAFT),
            ("merge", act("merge", live, other, keep=live.pk, confirm="yes"), MODS,
             lambda: self.status(other) == Status.ARCHIVED),
            ("add topics", act("add_topics", draft, apply="1", topics="Matrix"), STAFF,
             lambda: "Matrix" in model.objects.get(pk=draft.pk).topics.names()),
            ("remove topics",
             act("remove_topics", draft, apply="1", topics=[self.used_topic.pk]), STAFF,
             lambda: "Coping" not in model.objects.get(pk=draft.pk).topics.names()),
            ("delete selected drafts", act("delete_selected", draft, post="yes"), MODS,
             lambda: not model.objects.filter(pk=draft.pk).exists()),
            ("delete selected live pages", act("delete_selected", live, post="yes"), NOBODY,
             lambda: not model.objects.filter(pk=live.pk).exists()),
        ]  # fmt: skip
        name = f"resources_{model._meta.model_name}_workflow"
        steps = [
            ("button: submit", (draft, "submit", {}), STAFF,
             lambda: self.status(draft) == Status.REVIEW),
            ("button: approve", (review, "approve", {}), MODS,
             lambda: self.status(review) == Status.PUBLISHED),
            ("button: request changes", (review, "request_changes", {"comment": "Cite it."}),
             MODS, lambda: self.status(review) == Status.DRAFT),
            ("button: schedule", (review, "schedule", {"at": "2030-01-01T09:00"}), MODS,
             lambda: model.objects.get(pk=review.pk).scheduled_by_id is not None),
            ("button: unpublish", (live, "unpublish", {}), MODS,
             lambda: self.status(live) == Status.DRAFT),
            ("button: archive", (live, "archive", {}), MODS,
             lambda: self.status(live) == Status.ARCHIVED),
        ]  # fmt: skip
        for label, (obj, step, data), allowed, happened in steps:
            url = admin_url(name, obj.pk, step)
            self.cite(model, draft, review)
            self.check_action(f"{model.__name__}: {label}", url, data, allowed, happened)
        self.cite(model, draft, review)
        for label, data, allowed, happened in rows:
            self.check_action(f"{model.__name__}: {label}", changelist, data, allowed, happened)

    def cite(self, model, *objs):
        """Pages that may go forward: they cite a source."""
        field = model.markdown_fields[0]
        model.objects.filter(pk__in=[o.pk for o in objs]).update(**{field: "Claim [@src2020]."})


class OtherModelTests(Matrix):
    def test_every_other_admin_page(self):
        line, group, text = self.line, self.group, self.text
        rows = [
            ("crisis lines", admin_url("resources_crisisline_changelist"), STAFF),
            ("add a crisis line", admin_url("resources_crisisline_add"), MODS),
            ("view a crisis line", admin_url("resources_crisisline_change", line.pk), STAFF),
            ("crisis line history", admin_url("resources_crisisline_history", line.pk), STAFF),
            ("recover crisis lines", admin_url("resources_crisisline_recoverlist"), MODS),
            ("delete a crisis line", admin_url("resources_crisisline_delete", line.pk), MODS),
            ("synonym groups", admin_url("resources_synonymgroup_changelist"), STAFF),
            ("add a synonym group", admin_url("resources_synonymgroup_add"), MODS),
            ("synonym history", admin_url("resources_synonymgroup_history", group.pk), STAFF),
            ("delete a synonym group", admin_url("resources_synonymgroup_delete", group.pk), MODS),
            ("topics", admin_url("resources_topic_changelist"), MODS),
            ("add a topic", admin_url("resources_topic_add"), NOBODY),
            ("change a topic", admin_url("resources_topic_change", self.used_topic.pk), MODS),
            ("topic history", admin_url("resources_topic_history", self.used_topic.pk), MODS),
            ("delete an unused topic", admin_url("resources_topic_delete", self.spare_topic.pk),
             MODS),
            ("delete a topic in use", admin_url("resources_topic_delete", self.used_topic.pk),
             NOBODY),
            ("redirects", admin_url("resources_slugredirect_changelist"), MODS),
            ("add a redirect", admin_url("resources_slugredirect_add"), MODS),
            ("change a redirect", admin_url("resources_slugredirect_change", self.redirect.pk),
             MODS),
            ("delete a redirect", admin_url("resources_slugredirect_delete", self.redirect.pk),
             MODS),
            ("suggestions", admin_url("resources_suggestion_changelist"), MODS),
            ("add a suggestion", admin_url("resources_suggestion_add"), NOBODY),
            ("read a suggestion", admin_url("resources_suggestion_change", self.suggestion.pk),
             MODS),
            ("index queue", admin_url("resources_pendingindexupdate_changelist"), MODS),
            ("add to the index queue", admin_url("resources_pendingindexupdate_add"), NOBODY),
            ("site texts", admin_url("resources_sitetext_changelist"), STAFF),
            ("add a site text", admin_url("resources_sitetext_add"), MODS),
            ("view a site text", admin_url("resources_sitetext_change", text.pk), STAFF),
            ("site text history", admin_url("resources_sitetext_history", text.pk), STAFF),
            ("delete a site text", admin_url("resources_sitetext_delete", text.pk), MODS),
            ("crisis terms", admin_url("resources_crisisterm_changelist"), STAFF),
            ("add a crisis term", admin_url("resources_crisisterm_add"), MODS),
            ("crisis term history", admin_url("resources_crisisterm_history", self.term.pk), STAFF),
            ("delete a crisis term", admin_url("resources_crisisterm_delete", self.term.pk), MODS),
            ("accounts", admin_url("auth_user_changelist"), NOBODY),
            ("roles", admin_url("auth_group_changelist"), NOBODY),
            ("login attempts", admin_url("axes_accessattempt_changelist"), NOBODY),
        ]  # fmt: skip
        for label, url, allowed in rows:
            self.check_page(label, url, allowed)
        self.check_page("the admin home", admin_url("index"), STAFF)

    def test_every_other_action_and_save(self):
        def act(name, action, *objs, **extra):
            data = {"action": action, "_selected_action": [o.pk for o in objs], **extra}
            return admin_url(f"resources_{name}_changelist"), data

        def line_change_drafted():
            draft = editorial.open_draft(self.line)
            return draft is not None and draft.data["fields"]["name"] == "Changed line"

        line_data = {
            "region": "USA", "name": "Changed line", "kind": "crisis", "contact": "Call 988",
            "dial": "988", "notes": "", "confidence": "confirmed", "position": 0,
        }  # fmt: skip
        rows = [
            ("propose a change to a crisis line",
             (admin_url("resources_crisisline_change", self.line.pk), line_data), MODS,
             line_change_drafted),
            ("change a crisis line's row directly",
             (admin_url("resources_crisisline_change", self.line.pk), line_data), NOBODY,
             lambda: CrisisLine.objects.get(pk=self.line.pk).name == "Changed line"),
            ("delete crisis lines", act("crisisline", "delete_selected", self.line, post="yes"),
             MODS, lambda: not CrisisLine.objects.filter(pk=self.line.pk).exists()),
            ("add a crisis term",
             (admin_url("resources_crisisterm_add"),
              {"phrase": "end it all", "note": "", "form_token": ""}), MODS,
             lambda: CrisisTerm.objects.filter(phrase="end it all").exists()),
            ("change a site text",
             (admin_url("resources_sitetext_change", self.text.pk),
              {"title": "Funding", "body": "Changed."}), MODS,
             lambda: SiteText.objects.get(pk=self.text.pk).body == "Changed."),
            ("merge topics",
             act("topic", "merge_topics", self.used_topic, self.spare_topic), MODS,
             lambda: not Tag.objects.filter(pk=self.spare_topic.pk).exists()),
            ("delete unused topics", act("topic", "delete_unused", self.spare_topic), MODS,
             lambda: not Tag.objects.filter(pk=self.spare_topic.pk).exists()),
            ("delete a used topic (stock action)",
             act("topic", "delete_selected", self.used_topic, post="yes"), NOBODY,
             lambda: not Tag.objects.filter(pk=self.used_topic.pk).exists()),
            ("dismiss suggestions", act("suggestion", "dismiss", self.suggestion), MODS,
             lambda: Suggestion.objects.get(pk=self.suggestion.pk).state == "dismissed"),
            ("turn a suggestion into a draft", act("suggestion", "make_draft", self.suggestion),
             MODS, lambda: Article.objects.filter(slug__startswith="suggestion-").exists()),
        ]  # fmt: skip
        for label, (url, data), allowed, happened in rows:
            self.check_action(label, url, data, allowed, happened)

"""Small factories: one call, sensible defaults, override what the test is about."""

import datetime
import itertools

from resources.models import Article, CrisisLine, Reference, Resource, TreatmentStrategy

_counter = itertools.count(1)
PUBLISHED = Resource.Status.PUBLISHED


def _common(prefix, overrides):
    n = next(_counter)
    fields = {
        "title": f"{prefix} {n}",
        "slug": f"{prefix.lower().replace(' ', '-')}-{n}",
        "summary": f"Summary of {prefix.lower()} {n}.",
        "status": PUBLISHED,
        "last_reviewed_on": datetime.date(2026, 1, 1),
        "next_review_due_on": datetime.date(2029, 1, 1),
        "reviewed_by": "A. Reviewer, IBCLC",
    }
    fields.update(overrides)
    return fields


def make_reference(topics=(), **overrides):
    fields = _common("Reference", overrides)
    fields.setdefault("key", fields["slug"])
    fields.setdefault("ref_type", Reference.Type.JOURNAL_ARTICLE)
    fields.setdefault("authors", "Heise AM\nWiessinger D")
    fields.setdefault("supports", "What this source supports.")
    fields.setdefault("peer_reviewed", True)
    reference = Reference.objects.create(**fields)
    reference.topics.add(*topics)
    return reference


def make_article(topics=(), **overrides):
    fields = _common("Article", overrides)
    fields.setdefault("body", "Some text.")
    article = Article.objects.create(**fields)
    article.topics.add(*topics)
    return article


def make_strategy(topics=(), **overrides):
    fields = _common("Strategy", overrides)
    fields.setdefault("description", "What it is.")
    fields.setdefault("evidence", "What the evidence is.")
    fields.setdefault("evidence_level", TreatmentStrategy.Evidence.ANECDOTE)
    strategy = TreatmentStrategy.objects.create(**fields)
    strategy.topics.add(*topics)
    return strategy


def make_crisis_line(**overrides):
    fields = {
        "region": "USA",
        "name": "988 Suicide & Crisis Lifeline",
        "kind": CrisisLine.Kind.CRISIS,
        "contact": "Call or text 988",
        "dial": "988",
    }
    fields.update(overrides)
    return CrisisLine.objects.create(**fields)


def article_admin_form(article, **changes):
    """The POST a moderator's browser sends from an article's admin change form."""
    data = {
        "title": article.title, "slug": article.slug, "summary": article.summary,
        "body": article.body, "topics": "Coping", "last_reviewed_on": "2026-01-01",
        "next_review_due_on": "2029-01-01", "reviewed_by": article.reviewed_by or "x",
        "aliases": "", "start_here": "", "loaded_version": article.version,
        # The browser sends each select's chosen option: the audience the page has.
        "questions": article.questions, "audience": article.audience,
    }  # fmt: skip
    data.update(changes)
    return data


def ensure_roles():
    """Recreate the Editors and Moderators groups after a test flushed the database.

    TransactionTestCase empties every table, including the rows data migrations created;
    the permissions themselves come back with the flush's post_migrate signal.
    """
    import importlib

    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("resources.migrations.0008_roles").ROLES
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(codename__in=codenames))


def admin_form_data(obj, user, **changes):
    """The POST the admin change form of any resource sends, unchanged but for `changes`."""
    import datetime as dt

    from django.contrib import admin
    from django.test import RequestFactory
    from taggit.utils import edit_string_for_tags

    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[type(obj)]
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "topics":
            value = edit_string_for_tags(obj.topics.all())
        if value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def make_staff(username, role):
    """A staff account in one of the roles ("Editors" or "Moderators"); password pw-<name>-123."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=f"pw-{username}-123", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


# Personas --------------------------------------------------------------------------------


def make_reader(username="reader"):
    """An account with no staff status: a reader who signed in somewhere, not a curator."""
    from django.contrib.auth.models import User

    return User.objects.create_user(username, password=f"pw-{username}-123")


def make_editor(username="ed"):
    return make_staff(username, "Editors")


def make_moderator(username="mod"):
    return make_staff(username, "Moderators")


# The admin ---------------------------------------------------------------------------------


def admin_url(name, *args):
    """An admin page's address wherever ADMIN_URL puts the admin, e.g. admin_url(
    "resources_article_changelist") or admin_url("resources_article_change", pk)."""
    from django.urls import reverse

    return reverse(f"admin:{name}", args=args)


def changelist_url(model):
    return admin_url(f"{model._meta.app_label}_{model._meta.model_name}_changelist")


def post_admin_action(client, model, action, objects, follow=True, **extra):
    """Run an admin action on `objects` of `model` as the client's user, as the browser does."""
    data = {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    return client.post(changelist_url(model), data, follow=follow)


# What a reader sees on a 404: the plain one, or the page gone back to draft for rework.
NOT_FOUND = "We could not find that page"
BEING_REVISED = "This page is being revised"


def assert_plain_not_found(case, response):
    """A plain "not found" page (never "being revised", which would say the page exists)."""
    case.assertContains(response, NOT_FOUND, status_code=404)
    case.assertNotContains(response, BEING_REVISED, status_code=404)

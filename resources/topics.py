"""How the admin's topic field reads and writes topic names.

taggit splits a string without commas on spaces, so a moderator typing the single topic
"Daily life" would get two topics. Here names are separated by commas only; a name with a
comma must be quoted (and is then refused by the form, with a message).
"""

from django.db.models import Count
from taggit.models import Tag
from taggit.utils import _parse_tags

SUGGESTION_LIMIT = 10


def parse_topics(text):
    text = (text or "").strip()
    if "," not in text and '"' not in text:
        return [text] if text else []
    return _parse_tags(text)


def topics_to_string(tags):
    names = sorted(tag.name for tag in tags)
    return ", ".join(f'"{name}"' if "," in name or '"' in name else name for name in names)


def suggest(fragment, exclude=()):
    """Existing topics for what a moderator has started typing, most used first.

    Names starting with the fragment come before names merely containing it; capitals
    never matter, so "SLEEP" suggests "Sleep" rather than creating a duplicate.
    """
    fragment = fragment.strip()
    if not fragment:
        return []
    excluded = {name.casefold() for name in exclude}
    matches = (
        Tag.objects.filter(name__icontains=fragment)
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")
    )
    names = [tag.name for tag in matches[: SUGGESTION_LIMIT * 3]]
    names = [name for name in names if name.casefold() not in excluded]
    starts = [name for name in names if name.casefold().startswith(fragment.casefold())]
    return (starts + [name for name in names if name not in starts])[:SUGGESTION_LIMIT]

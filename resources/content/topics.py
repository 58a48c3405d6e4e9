"""How the admin's topic field reads and writes topic names.

taggit splits a string without commas on spaces, so a moderator typing the single topic
"Daily life" would get two topics. Here names are separated by commas only; a name with a
comma must be quoted (and is then refused by the form, with a message).
"""

from taggit.utils import _parse_tags

from .text import lines


def parse_topics(text):
    text = (text or "").strip()
    if "," not in text and '"' not in text:
        return [text] if text else []
    return _parse_tags(text)


def topics_to_string(tags):
    names = sorted(tag.name for tag in tags)
    return ", ".join(f'"{name}"' if "," in name or '"' in name else name for name in names)


def names_from_text(value):
    return lines(value)

"""Small helpers for the public resource pages."""

from django import template

register = template.Library()


@register.filter
def lines(text):
    """The non-blank lines of a one-per-line field (questions, aliases), stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]

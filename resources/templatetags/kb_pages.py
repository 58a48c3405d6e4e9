"""Small helpers for the public resource pages."""

from django import template

from ..content import text

register = template.Library()


register.filter("lines", text.lines)

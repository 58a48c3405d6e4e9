"""Readable differences between two saved revisions of a resource."""

import difflib

IGNORED = {"version", "created_at", "updated_at", "id"}


def field_diffs(older, newer):
    """[(field, [(kind, line), ...])] for every field that differs; kind is '+', '-' or ' '."""
    before, after = older.field_dict, newer.field_dict
    model = newer.content_type.model_class()
    changes = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in IGNORED or before.get(name) == after.get(name):
            continue
        old_lines = _lines(before.get(name))
        new_lines = _lines(after.get(name))
        lines = [
            (line[0], line[2:]) for line in difflib.ndiff(old_lines, new_lines) if line[:1] in "+- "
        ]
        changes.append((field.verbose_name, lines))
    return changes


def _lines(value):
    if value is None:
        return []
    return str(value).splitlines() or [""]

"""Publishing gates: what must be true before a page goes live, in plain words.

One function, ``publication_problems``, is asked by every path that publishes (the admin,
its list actions, a draft's approval, ``publish_scheduled``, the shell), and the edit form
shows the same list. It works on an unsaved copy too, so a draft is checked as it would
be published, not as the live row is.

Readability uses the Flesch-Kincaid grade from textstat (resources.content.readability):
maintained, tested formulas, and the measure NHS and US plain-language guidance quote.
References are exempt from the figure and readability rules: a reference page describes
its source, in the source's own terms.
"""

from django.conf import settings

from ..content import claims, readability, safety


def crisis_terms_in(obj):
    """The crisis terms (suicidal thoughts, self-harm, severe D-MER...) the page's text uses."""
    from .support import CrisisTerm

    text = "\n".join([obj.title, obj.summary, *obj.markdown_sources()])
    return safety.matching_terms(text, list(CrisisTerm.objects.values_list("phrase", flat=True)))


def reading_grade(obj):
    return readability.grade("\n\n".join(source or "" for source in obj.markdown_sources()))


def reading_level_applies(obj):
    return obj.requires_citation and obj.audience == obj.Audience.PUBLIC


def above_limit(obj):
    return reading_level_applies(obj) and reading_grade(obj) > readability.PUBLIC_LIMIT


def readability_note(obj):
    """Advice (not a blocker) for a public page above the target but within the limit."""
    if not reading_level_applies(obj):
        return ""
    grade = reading_grade(obj)
    if grade <= readability.PUBLIC_TARGET:
        return ""
    return (
        f"Reads at grade {grade:g}; the target for pages for everyone is "
        f"{readability.PUBLIC_TARGET:g} or lower: shorter sentences and everyday words help."
    )


def publication_problems(obj, *, override_readability=False):
    """Everything that stops this page from being published, each as a plain sentence."""
    problems = list(obj.missing_for_publication())
    terms = crisis_terms_in(obj)
    if terms and not obj.crisis_help:
        problems.append(f"it mentions {', '.join(terms)}: it must show the crisis-help box")
    if obj.requires_citation:
        for sentence in claims.uncited_figures("\n\n".join(obj.markdown_sources())):
            problems.append(f"cite a source in the paragraph of “{sentence}”")
    problems += _unpublished_sources(obj)
    if not (obj.reviewer_role or "").strip():
        problems.append("give the reviewer's role")
    if above_limit(obj) and not override_readability:
        problems.append(
            f"it reads at grade {reading_grade(obj):g}, above the limit of "
            f"{readability.PUBLIC_LIMIT:g} for pages for everyone: simplify it, or a "
            "moderator publishes it with a recorded reading-level override"
        )
    return problems


def _unpublished_sources(obj):
    keys = obj.cited_keys()
    if not keys:
        return []
    unknown = set(obj.unknown_citation_keys())
    live = set(obj.cited_reference_map())
    waiting = [key for key in keys if key not in unknown and key not in live]
    if not waiting:
        return []
    return ["publish the cited references first: " + ", ".join(f"@{key}" for key in waiting)]


def self_publish_allowed():
    """A one-person site may publish its own writing; the history then says so."""
    return getattr(settings, "EDITORIAL_ALLOW_SELF_PUBLISH", False)

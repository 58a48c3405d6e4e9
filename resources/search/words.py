"""How a reader's words become a query: engine-agnostic, through Haystack's SQ objects.

Mothers ask questions ("how many mothers get dmer", "can i take antidepressants while
breastfeeding"). Requiring every word, "how", "many" and "can i" included, would miss the
page that answers, so question words and filler are dropped before the words are required
(unless nothing else is left). The *questions this page answers* are a field of their own,
matched with a high weight, so the page that lists a reader's question comes first.
"""

import re

from haystack.inputs import AutoQuery
from haystack.query import SQ

# Question words, pronouns and helpers that carry no topic. Negations ("not", "no",
# "never") and feeling words stay: they change what is asked.
FILLER_WORDS = """
a about am an and any anyone anything are as at be been being but by can could did do does
doing for from get gets getting had has have having he her here hers him his how i if im in
into is it its ive just me my myself of on or our out she should so some someone something
that the their them then there these they this those to too us very was way we were what
whats when where which who why will with would you your yours ok okay normal really thing
things many much lot lots
"""
FILLER = frozenset(FILLER_WORDS.split())
# The library's subject, as readers write it (normalised: lower case, hyphens as spaces).
SUBJECT = re.compile(r"(?<=\s)(?:dysphoric milk ejection reflex|d mer|dmer)(?=\s)")
# Fields matched for every word: the document text, and again the title, the aliases and
# the questions, whose weights lift pages whose names or questions hold the words.
BOOSTED_FIELDS = ("title", "aliases", "questions")


def keywords(text, subject=False):
    """The words that say what is asked: filler and the subject out, unless nothing is left.

    Every page here is about D-MER, so its name says nothing about which page is wanted
    ("dmer when pumping" asks about pumping); worse, "DMER" is written as such on one
    page only, so requiring it would lift that page above the one that answers.
    """
    words = text.split()
    kept = [word for word in words if word not in FILLER]
    topical = [] if subject else SUBJECT.sub(" ", f" {' '.join(kept)} ").split()
    return topical or kept or words


def every_word(alternatives):
    """Pages holding every keyword of any alternative wording."""
    query = SQ()
    for number, alternative in enumerate(alternatives):
        words = " ".join(keywords(alternative))
        query |= SQ(content=AutoQuery(words))
        # Rewrites through synonyms are matched in the text only: "dmer" rewritten to
        # "dysphoric milk ejection reflex" would otherwise lift every reference whose
        # title starts with those four words above the page the reader asked for.
        for name in BOOSTED_FIELDS if number == 0 else ():
            query |= SQ(**{name: AutoQuery(words)})
        # The reader's question word for word, filler included, among a page's
        # questions: the strongest sign that this page answers it.
        if keywords(alternative) != alternative.split():
            query |= SQ(questions=AutoQuery(alternative))
    return query


def any_word(alternatives, subject=False):
    """Pages holding any keyword (the subject's name too, if asked): the fallback."""
    query = SQ()
    for word in sorted({w for alt in alternatives for w in keywords(alt, subject)}):
        query |= SQ(content=AutoQuery(word)) | SQ(questions=AutoQuery(word))
    return query


def drops_subject(alternatives):
    """Did the required words leave out the subject's name (so a fallback may take it)?"""
    return any(keywords(alt) != keywords(alt, subject=True) for alt in alternatives)

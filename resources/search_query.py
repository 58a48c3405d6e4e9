"""How a reader's words become a query: engine-agnostic, through Haystack's SQ objects.

Mothers ask questions ("how many mothers get dmer", "can i take antidepressants while
breastfeeding"). Requiring every word, "how", "many" and "can i" included, would miss the
page that answers, so question words and filler are dropped before the words are required
(unless nothing else is left). The *questions this page answers* are a field of their own,
matched with a high weight, so the page that lists a reader's question comes first.
"""

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
# Fields matched for every word: the document text, and again the title and the
# questions, whose weights lift pages whose title or questions hold the words.
BOOSTED_FIELDS = ("title", "questions")


def keywords(text):
    """The words that say what is asked: filler out, unless it is all filler."""
    words = text.split()
    kept = [word for word in words if word not in FILLER]
    return kept or words


def every_word(alternatives):
    """Pages holding every keyword of any alternative wording."""
    query = SQ()
    for alternative in alternatives:
        words = " ".join(keywords(alternative))
        query |= SQ(content=AutoQuery(words))
        for name in BOOSTED_FIELDS:
            query |= SQ(**{name: AutoQuery(words)})
    return query


def any_word(alternatives):
    """Pages holding any keyword: the fallback when no page holds them all."""
    query = SQ()
    for word in sorted({w for alt in alternatives for w in keywords(alt)}):
        query |= SQ(content=AutoQuery(word)) | SQ(questions=AutoQuery(word))
    return query

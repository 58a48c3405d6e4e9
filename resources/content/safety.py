"""Does a text speak of suicidal thoughts or self-harm? Matching against the crisis terms.

The terms are data (CrisisTerm, moderators extend them); this module only compares text.
Both sides are folded the same way: lower case, accents and apostrophes dropped, any
other punctuation a space, so "Self-Harm", "self harm" and "don\u2019t want to be here" all
match their entries. A term matches whole words only ("suicide" is not in "suicidefree").
"""

import re
import unicodedata

NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = text.casefold().replace("'", "").replace("\u2019", "")
    return " ".join(NON_WORD.sub(" ", text).split())


def matching_terms(text, terms):
    """The terms (as given) found in the text, in the order given."""
    haystack = f" {fold(text)} "
    return [term for term in terms if fold(term) and f" {fold(term)} " in haystack]

"""Does a search query come from a reader in crisis? Crisis intent, above any engine.

The phrases are the shared CrisisTerm rows (the publishing gate reads the same list;
phrases marked *pages only*, such as "severe D-MER", describe pages, not readers, and are
skipped here). A page's text is matched exactly (content.safety); a query is typed in a
hurry, by someone frightened, often on a phone, so it is matched more loosely:

- capitals, accents and apostrophes ignored ("Don't", "dont", "DON\u2019T");
- stems ("suicidal", "suicide", "suicidality"; "ending my life" for "end my life");
- one typing slip in a longer word ("sucidal", "suicdie");
- words split or joined ("kill my self", "killmyself");
- text-speak ("want 2 die", "i wanna die", "dont want to b here").

Nothing here knows the search engine: the view asks `crisis_terms_in(query)` and shows
the crisis box and the crisis page first, whichever backend answers the rest.
"""

from functools import lru_cache

from django.db.models import Q

from ..content.safety import fold
from ..models import RESOURCE_MODELS, CrisisTerm

# Words typed for other words; the replacements may be several words.
SHORTHAND = {
    "2": "to",
    "u": "you",
    "ur": "your",
    "b": "be",
    "im": "i am",
    "wanna": "want to",
    "gonna": "going to",
    "r": "are",
    "were": "was",
    "dying": "die",
    "died": "die",
    "dead": "dead",
    "kms": "kill myself",
}
SLIP_FROM = 5  # words this long may carry one typing slip
# The crisis page is found by this topic, never by a number: the one that says it is about
# suicidal thoughts, with its crisis-help box on.
CRISIS_TOPIC = "suicidal-thoughts"


def words_of(text):
    found = []
    for word in fold(text).split():
        found += SHORTHAND.get(word, word).split()
    return found


@lru_cache(maxsize=4096)
def stem(word):
    from whoosh.lang.porter import stem as porter  # a pure function: no index involved

    return porter(word)


def one_slip(a, b):
    """True if a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@lru_cache(maxsize=8192)
def same_word(typed, wanted):
    if typed == wanted or stem(typed) == stem(wanted):
        return True
    return min(len(typed), len(wanted)) >= SLIP_FROM and (
        one_slip(typed, wanted) or one_slip(stem(typed), stem(wanted))
    )


def matches_at(typed, start, wanted):
    """How many typed words from `start` spell the wanted words, or 0."""
    i = start
    j = 0
    while j < len(wanted):
        if i >= len(typed):
            return 0
        if same_word(typed[i], wanted[j]):
            i, j = i + 1, j + 1
        elif i + 1 < len(typed) and same_word(typed[i] + typed[i + 1], wanted[j]):
            i, j = i + 2, j + 1  # "my self" for "myself"
        elif j + 1 < len(wanted) and same_word(typed[i], wanted[j] + wanted[j + 1]):
            i, j = i + 1, j + 2  # "selfharm" for "self harm"
        else:
            return 0
    return i - start


def phrase_in(typed, phrase):
    wanted = words_of(phrase)
    return bool(wanted) and any(matches_at(typed, i, wanted) for i in range(len(typed)))


def search_phrases():
    return list(CrisisTerm.objects.filter(pages_only=False).values_list("phrase", flat=True))


def crisis_terms_in(query, phrases=None):
    """The crisis phrases (as stored) that this query expresses, loosely matched."""
    phrases = search_phrases() if phrases is None else phrases
    typed = words_of(query)
    if not typed:
        return []
    return [phrase for phrase in phrases if phrase_in(typed, phrase)]


def crisis_pages():
    """Published pages about suicidal thoughts with crisis help on, articles first."""
    pages = []
    for model in RESOURCE_MODELS:
        found = model.objects.published().filter(Q(crisis_help=True) & Q(topics__slug=CRISIS_TOPIC))
        pages += list(found.distinct().order_by("pk"))
    return pages

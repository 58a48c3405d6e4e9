"""The site's own texts as first shipped, and how pages read the current ones.

Moderators edit these as SiteText rows (with history). The migration that created the
table seeded it from DEFAULTS; a page reads its rows and falls back to DEFAULTS for any
row that is missing (a fresh test database, a row deleted by mistake), never a blank.
"""

from ..models.site_content import SiteText

ABOUT = "about-"
FORUM_ANSWER = "forums-answer-"

# (key, title, Markdown body). The About page shows its sections in this order.
DEFAULTS = [
    (
        "about-purpose",
        "What this site is for",
        "A curated, searchable library about Dysphoric Milk Ejection Reflex (D-MER) for "
        "mothers, lactation consultants, clinicians and the volunteers who answer questions "
        "on breastfeeding forums. It explains D-MER in plain words, lists the research behind "
        "its claims, and describes the treatment strategies people try together with how "
        "well each has been tested.",
    ),
    (
        "about-editorial",
        "Editorial policy",
        "- **Claims have sources.** Statements are written in our own words and cite the "
        "study, book or web page behind them, with its DOI or link where one exists. A few "
        "sentences are our own advice or view, and say so. Each source has its own page with a "
        "full citation and BibTeX and RIS downloads.\n"
        "- **Evidence is labelled.** Sources are marked peer-reviewed, preprint (not "
        "peer-reviewed) or not peer-reviewed. Each treatment strategy states its evidence "
        "level, from expert opinion or anecdote to clinical trials, and says plainly when no "
        "trial has tested it for D-MER.\n"
        "- **What is not confirmed is said to be unconfirmed,** or left out. Hypotheses are "
        "presented as hypotheses.\n"
        "- **Nothing goes live unreviewed.** Pages move from draft to review to published. "
        "Each page shows when the whole page was last reviewed, by whom, and when the next "
        "review is due; we aim to review every page at least every three years. These dates "
        "are set by people, never automatically.\n"
        "- **Authority.** The first pages were written by the site's editors from a checked "
        "fact sheet of published sources. They have not yet been reviewed by a clinician; "
        "each page names who reviewed it and in what role.",
    ),
    (
        "about-disclaimer",
        "Disclaimer",
        "The information here supports, and does not replace, the relationship between you "
        "and your own doctor, midwife, health visitor or lactation consultant. It is general "
        "information, not medical advice for any one person. Do not start, stop or change any "
        "medicine without talking to a clinician who knows your situation. We are not "
        "responsible for the content of the external sites we link to, and a link is not an "
        "endorsement of any product.",
    ),
    (
        "about-funding",
        "Funding and advertising",
        "This site shows **no advertising** and takes no advertising money or sponsorship. It "
        "sells nothing and recommends no product for gain. Any funding the project receives, "
        "and any conflict of interest of its editors or reviewers, will be listed on this "
        "page.",
    ),
    (
        "about-privacy",
        "Privacy",
        "Reading this site needs no account. We use no analytics, no advertising trackers, no "
        "third-party fonts or scripts, and no cookies for readers (the suggestion form alone "
        "sets a security cookie against forged posts); your searches are not stored against "
        "you. Only the editors who log in to curate the site get a session cookie. The "
        "suggestion form keeps what you write and, only if you give it, an email address for "
        "a reply; your network address is never stored.",
    ),
    (
        "about-feedback",
        "Feedback",
        "Found an error, a broken link or a source we should read? Please [tell us with the "
        "suggestion form](/suggest/). Every report is read by an editor, and corrections to "
        "medical content are reviewed before they go live.",
    ),
    (
        "about-crisis",
        "Crisis and support lines",
        "If you are having thoughts of suicide or of harming yourself, contact emergency "
        "services or a crisis line now. Support lines listed below are for help and "
        "information; they are not emergency services.",
    ),
    (
        "forums-answer-01",
        "What is this awful feeling just before my milk lets down?",
        "It may be D-MER: a sudden wave of sadness, dread or anger that comes with letdown "
        "and passes within minutes. The first case report says it appears to have a physical "
        "cause. [Read the page](/articles/what-is-d-mer/)",
    ),
    (
        "forums-answer-02",
        "Is it postpartum depression?",
        "D-MER comes with letdown and lifts within minutes. Low mood that stays between feeds "
        "is something else. The two can also happen together, so it is worth raising with a "
        "doctor or midwife either way. [Read the page](/articles/what-d-mer-is-not/)",
    ),
    (
        "forums-answer-03",
        "Will it go away?",
        "Mild D-MER usually eases within about three months; stronger D-MER can last longer. "
        "The page sets out what two sources say. "
        "[Read the page](/articles/d-mer-spectrum-intensity-and-duration/)",
    ),
    (
        "forums-answer-04",
        "What can I do about it?",
        "The sources describe learning about it and tracking what makes it worse or better. "
        "Support from health workers and other mothers with D-MER can help. No approach has "
        "been tested in a trial. [Read the page](/articles/coping-with-d-mer/)",
    ),
    (
        "forums-answer-05",
        "Does low-dose naltrexone help?",
        "It is one clinician's proposal with no published evidence for D-MER. The page gives "
        "what is known about naltrexone while breastfeeding. "
        "[Read the page](/strategies/low-dose-naltrexone/)",
    ),
    (
        "forums-answer-06",
        "A member mentions thoughts of suicide.",
        "Point them to crisis lines straight away and say that help is available. This page "
        "puts the numbers first. [Crisis and support lines](/help-now/)",
    ),
]


def texts(prefix):
    """The current texts whose key starts with ``prefix``, in key order; defaults fill gaps."""
    rows = {text.key: text for text in SiteText.objects.filter(key__startswith=prefix)}
    for key, title, body in DEFAULTS:
        if key.startswith(prefix) and key not in rows:
            rows[key] = SiteText(key=key, title=title, body=body)
    return [rows[key] for key in sorted(rows)]


def about_sections():
    """[(anchor, text)] for the About page: the shipped sections in their order, then any
    section a moderator added."""
    current = {text.key: text for text in texts(ABOUT)}
    order = [key for key, _, _ in DEFAULTS if key.startswith(ABOUT)]
    order += [key for key in current if key not in order]
    return [(key[len(ABOUT) :], current[key]) for key in order]

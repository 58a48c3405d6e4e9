"""Figures that need a source: every sentence giving a number about people must be cited.

A figure is a percentage, a dose, a sample size ("n = 12"), a ratio of people ("1 in 16
mothers") or a count of people ("1,469 mothers"). The rule is per paragraph, as a reader
checks it: a paragraph that gives a figure carries a citation ([@key]) somewhere in it.
A table is one paragraph; a heading is never a claim.
"""

import re

PEOPLE = (
    r"(?:mothers?|women|woman|people|persons?|participants?|respondents?|parents?|"
    r"babies|baby|infants?|children|cases?|men|partners?|fathers?|patients?)"
)
FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s?%"
    r"|\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|g|ml|mL)\b"
    r"|\bn\s?=\s?\d"
    r"|\b\d[\d,]*\s+in\s+\d[\d,]*\b"
    rf"|\b\d[\d,]*\s+(?:\w+\s+)?{PEOPLE}\b"
    r"|\b(?:per\s?cent|percent)\b",
    re.IGNORECASE,
)
CITATION = re.compile(r"\[@[^\]]+\]")
SENTENCE = re.compile(r"(?<=[.!?])\s+")
HEADING = re.compile(r"^\s*#")


def paragraphs(markdown_text):
    blocks = re.split(r"\n\s*\n", markdown_text or "")
    return [block.strip() for block in blocks if block.strip() and not HEADING.match(block)]


def uncited_figures(markdown_text):
    """The sentences that give a figure in a paragraph with no citation, in order."""
    found = []
    for block in paragraphs(markdown_text):
        if CITATION.search(block):
            continue
        found += [s.strip() for s in SENTENCE.split(block) if FIGURE.search(s)]
    return found

"""A reference as a formatted citation (Vancouver-like), BibTeX and RIS."""

import re

from .escaping import bibtex_url, one_line

INITIALS_RE = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})$")

BIBTEX_TYPES = {
    "journal": "article",
    "book": "book",
    "chapter": "incollection",
    "website": "online",
    "conference": "inproceedings",
    "slides": "misc",
    "preprint": "unpublished",
    "database": "misc",
}
RIS_TYPES = {
    "journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "website": "ELEC",
    "conference": "CONF",
    "slides": "SLIDE",
    "preprint": "UNPB",
    "database": "DBASE",
}
# A journal article or a talk always has authors: blank there means they were not seen.
# A website, book or database entry may be cited by its title alone.
ALWAYS_AUTHORED = ("journal", "chapter", "conference", "preprint", "slides")
UNKNOWN_AUTHORS = "[authors not confirmed]"
BIBTEX_SPECIALS = str.maketrans(
    {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": "", "}": "", "\\": ""}
)


def split_author(name):
    """'Heise AM' -> ('Heise', ['A', 'M']); an organisation keeps its whole name."""
    match = INITIALS_RE.match(name)
    if not match:
        return name, []
    return match["family"], list(match["initials"])


def page_range(pages):
    parts = re.split(r"\s*[-\u2013]\s*", pages.strip(), maxsplit=1)
    start = parts[0]
    end = parts[1] if len(parts) > 1 else ""
    return start, end


def authors_unknown(ref):
    """No author is recorded and the record says, or its kind implies, that there were some."""
    if ref.author_list() or ref.editor_list():
        return False
    return ref.authors_incomplete or ref.ref_type in ALWAYS_AUTHORED


def sentence(text):
    """The text ending in one full stop: 'Tell Us?' stays 'Tell Us?', never 'Tell Us?.'."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def editors_phrase(ref):
    editors = ref.editor_list()
    if not editors:
        return ""
    return f"{', '.join(editors)}, {'editors' if len(editors) > 1 else 'editor'}"


def names_part(ref):
    """Vancouver: the authors; an edited book with no authors starts with its editors."""
    authors = ", ".join(ref.author_list())
    if authors and ref.authors_incomplete:
        return f"{authors}, et al."
    if authors:
        return f"{authors}."
    if ref.ref_type != ref.Type.BOOK_CHAPTER and ref.editor_list():
        return f"{editors_phrase(ref)}."
    return f"{UNKNOWN_AUTHORS}." if authors_unknown(ref) else ""


def title_part(ref):
    title = ref.title.strip().rstrip(".")
    if ref.ref_type == ref.Type.SLIDES:
        title += " [slide deck]" if ref.year else " [slide deck, undated]"
    return sentence(title)


def source_part(ref):
    source = ref.container_title
    if not source:
        return ""
    if ref.ref_type == ref.Type.DATABASE:
        source = f"In: {source} [Internet]"
    if ref.ref_type == ref.Type.BOOK_CHAPTER:
        editors = editors_phrase(ref)
        source = f"In: {editors}. {source}" if editors else f"In: {source}"
    if ref.ref_type == ref.Type.PREPRINT:
        source = f"{source} [preprint]"
    return sentence(source)


def date_part(ref):
    """'2018;13(1):85-88'; a database that keeps growing runs from its first year: '2006-'."""
    date = str(ref.year) if ref.year else ""
    if date and ref.ref_type == ref.Type.DATABASE:
        date += "\u2013"  # en dash: an open-ended date range
    if ref.volume:
        date += f";{ref.volume}"
        if ref.issue:
            date += f"({ref.issue})"
    if ref.pages:
        date += f":{ref.pages}"
    return date


def format_citation(ref):
    parts = [names_part(ref), title_part(ref), source_part(ref)]
    date = date_part(ref)
    publisher = ref.publisher if ref.ref_type != ref.Type.JOURNAL_ARTICLE else ""
    # "Publisher; date." with no dangling semicolon when one of them is missing.
    if publisher or date:
        parts.append(sentence("; ".join(part for part in (publisher, date) if part)))
    if ref.doi:
        parts.append(f"doi:{ref.doi}.")
    if ref.pmid:
        parts.append(f"PMID: {ref.pmid}.")
    if ref.isbn:
        parts.append(f"ISBN {ref.isbn}.")
    if ref.url and not ref.doi:
        parts.append(f"Available from: {ref.url}")
    return " ".join(part for part in parts if part)


def notes(ref):
    """What an export must carry that its fields cannot: unseen authors, preprint, no date."""
    found = []
    if authors_unknown(ref):
        found.append("Authors not confirmed")
    if ref.ref_type == ref.Type.PREPRINT:
        found.append("Preprint, not peer-reviewed")
    if ref.ref_type == ref.Type.SLIDES and not ref.year:
        found.append("Undated slide deck")
    return found


def bibtex_escape(value):
    """No brace can close the field early; on one line, so nothing starts a new field."""
    return one_line(value).translate(BIBTEX_SPECIALS)


def bibtex_name(name):
    family, initials = split_author(name)
    if not initials and " " in family:
        # Braces keep "Health On the Net Foundation" one name; a lone family name with
        # no initials known ("Cox") is read by BibTeX as a family name, as it should be.
        return "{" + bibtex_escape(family) + "}"
    if not initials:
        return bibtex_escape(family)
    family = bibtex_escape(family)
    if " and " in family.lower():  # braced, or it would split into two authors
        family = "{" + family + "}"
    return f"{family}, {' '.join(i + '.' for i in initials)}"


def to_bibtex(ref):
    fields = []
    names = [bibtex_name(name) for name in ref.author_list()]
    if ref.authors_incomplete and names:
        names.append("others")
    if names:
        fields.append(("author", " and ".join(names)))
    if ref.editor_list():
        fields.append(("editor", " and ".join(bibtex_name(name) for name in ref.editor_list())))
    fields.append(("title", "{" + bibtex_escape(ref.title) + "}"))
    container = {
        "journal": "journal",
        "chapter": "booktitle",
        "conference": "booktitle",
    }.get(ref.ref_type, "howpublished" if ref.ref_type != "book" else "series")
    if ref.container_title:
        fields.append((container, bibtex_escape(ref.container_title)))
    for name, value in [
        ("publisher", ref.publisher),
        ("year", ref.year or ""),
        ("volume", ref.volume),
        ("number", ref.issue),
        ("pages", re.sub(r"\s*[-\u2013]+\s*", "--", ref.pages).strip("-")),
        ("doi", ref.doi),
        ("isbn", ref.isbn),
        ("url", ref.url),
        ("pmid", ref.pmid),
    ]:
        if value:
            fields.append((name, bibtex_escape(value) if name != "url" else bibtex_url(value)))
    fields += [("note", bibtex_escape(note)) for note in notes(ref)]
    if ref.ref_type == ref.Type.SLIDES and not ref.container_title:
        fields.append(("howpublished", "Slide deck"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = re.sub(r"[^A-Za-z0-9_.:-]", "", ref.key) or "reference"
    return f"@{BIBTEX_TYPES[ref.ref_type]}{{{key},\n{body}\n}}\n"


def ris_name(name):
    family, initials = split_author(name)
    if not initials:
        return family
    return f"{family}, {'.'.join(initials)}."


def to_ris(ref):
    lines = [("TY", RIS_TYPES[ref.ref_type])]
    lines += [("AU", ris_name(name)) for name in ref.author_list()]
    lines += [("ED", ris_name(name)) for name in ref.editor_list()]
    lines.append(("TI", ref.title))
    if ref.container_title:
        tag = "JO" if ref.ref_type == ref.Type.JOURNAL_ARTICLE else "T2"
        lines.append((tag, ref.container_title))
    if ref.year:
        lines.append(("PY", str(ref.year)))
    if ref.pages:
        start, end = page_range(ref.pages)
        lines.append(("SP", start))
        if end:
            lines.append(("EP", end))
    for tag, value in [
        ("VL", ref.volume),
        ("IS", ref.issue),
        ("PB", ref.publisher),
        ("DO", ref.doi),
        ("SN", ref.isbn),
        ("UR", ref.url or ref.doi_url()),
        ("AN", ref.pmid),
    ]:
        if value:
            lines.append((tag, value))
    lines += [("N1", note) for note in notes(ref)]
    lines.append(("ER", ""))
    # One line per tag: a CR/LF inside a value would start a second record.
    return "".join(f"{tag}  - {one_line(value)}".rstrip() + "\r\n" for tag, value in lines)

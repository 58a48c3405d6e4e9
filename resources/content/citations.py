"""A reference as a formatted citation (Vancouver-like), BibTeX and RIS."""

import re

INITIALS_RE = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})$")

BIBTEX_TYPES = {
    "journal": "article",
    "book": "book",
    "chapter": "incollection",
    "website": "online",
    "conference": "inproceedings",
    "preprint": "unpublished",
    "database": "misc",
}
RIS_TYPES = {
    "journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "website": "ELEC",
    "conference": "CONF",
    "preprint": "UNPB",
    "database": "DBASE",
}
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


def format_citation(ref):
    authors = ", ".join(ref.author_list())
    if ref.authors_incomplete:
        authors = f"{authors}, et al" if authors else "[Authors not confirmed]"
    parts = [f"{authors}." if authors else "", f"{ref.title.rstrip('.')}."]
    source = ref.container_title
    if ref.ref_type == ref.Type.BOOK_CHAPTER and source:
        source = f"In: {source}"
    if ref.ref_type == ref.Type.PREPRINT and source:
        source = f"{source} [preprint]"
    if source:
        parts.append(f"{source}.")
    if ref.publisher and ref.ref_type != ref.Type.JOURNAL_ARTICLE:
        parts.append(f"{ref.publisher};")
    date = str(ref.year) if ref.year else ""
    if ref.volume:
        date += f";{ref.volume}"
        if ref.issue:
            date += f"({ref.issue})"
    if ref.pages:
        date += f":{ref.pages}"
    if date:
        parts.append(f"{date}.")
    if ref.doi:
        parts.append(f"doi:{ref.doi}.")
    if ref.pmid:
        parts.append(f"PMID: {ref.pmid}.")
    if ref.isbn:
        parts.append(f"ISBN {ref.isbn}.")
    if ref.url and not ref.doi:
        parts.append(f"Available from: {ref.url}")
    return " ".join(part for part in parts if part)


def bibtex_escape(value):
    return str(value).translate(BIBTEX_SPECIALS)


def bibtex_name(name):
    family, initials = split_author(name)
    if not initials:
        return "{" + bibtex_escape(family) + "}"
    return f"{bibtex_escape(family)}, {' '.join(i + '.' for i in initials)}"


def to_bibtex(ref):
    fields = []
    names = [bibtex_name(name) for name in ref.author_list()]
    if ref.authors_incomplete and names:
        names.append("others")
    if names:
        fields.append(("author", " and ".join(names)))
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
        ("pages", re.sub(r"\s*[-\u2013]+\s*", "--", ref.pages)),
        ("doi", ref.doi),
        ("isbn", ref.isbn),
        ("url", ref.url),
        ("pmid", ref.pmid),
    ]:
        if value:
            fields.append((name, bibtex_escape(value) if name != "url" else value))
    if ref.ref_type == ref.Type.PREPRINT:
        fields.append(("note", "Preprint, not peer-reviewed"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{BIBTEX_TYPES[ref.ref_type]}{{{ref.key},\n{body}\n}}\n"


def ris_name(name):
    family, initials = split_author(name)
    if not initials:
        return family
    return f"{family}, {'.'.join(initials)}."


def to_ris(ref):
    lines = [("TY", RIS_TYPES[ref.ref_type])]
    lines += [("AU", ris_name(name)) for name in ref.author_list()]
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
    if ref.ref_type == ref.Type.PREPRINT:
        lines.append(("N1", "Preprint, not peer-reviewed"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)

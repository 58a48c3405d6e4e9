import re

from django.core.exceptions import ValidationError

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")


def normalize_doi(value):
    """Accept what people paste (``doi:``, ``https://doi.org/``) and keep the bare DOI."""
    value = (value or "").strip()
    value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
    return value


def validate_doi(value):
    if not DOI_RE.match(normalize_doi(value)):
        raise ValidationError(
            "%(value)s is not a DOI. A DOI starts with 10., a registrant code of 4 to 9 "
            "digits, a slash and a suffix, for example 10.1186/1746-4358-6-6.",
            params={"value": value},
            code="invalid_doi",
        )


def validate_pmid(value):
    if not PMID_RE.match((value or "").strip()):
        raise ValidationError(
            "%(value)s is not a PubMed ID. A PMID is a number of 1 to 9 digits, "
            "for example 21645333.",
            params={"value": value},
            code="invalid_pmid",
        )

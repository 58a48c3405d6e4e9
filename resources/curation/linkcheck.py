"""Checking every reference's URL and DOI: politely, in parallel, with retries."""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import timezone

USER_AGENT = "DMER-KB-linkcheck/1.0 (+https://github.com/; checks that cited sources resolve)"
TIMEOUT = 10
RETRIES = 2


def fetch_status(url, timeout=TIMEOUT):
    """The final HTTP status of a HEAD (or GET when HEAD is refused), or an error text."""
    last_problem = ""
    for _ in range(RETRIES + 1):
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return response.status, ""
            except urllib.error.HTTPError as error:
                if method == "HEAD" and error.code in (403, 405, 501):
                    continue  # some servers refuse HEAD: try GET
                if error.code < 500:
                    return error.code, f"HTTP {error.code}"
                last_problem = f"HTTP {error.code}"
                break
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                last_problem = str(getattr(error, "reason", error))[:150] or "no answer"
                break
    return None, last_problem


def targets(reference):
    urls = []
    if reference.url:
        urls.append(reference.url)
    if reference.doi:
        urls.append(settings.DOI_RESOLVER.rstrip("/") + "/" + reference.doi)
    return urls


def check(reference, timeout=TIMEOUT):
    problems = []
    for url in targets(reference):
        status, problem = fetch_status(url, timeout)
        if status is None or status >= 400:
            problems.append(f"{url}: {problem}")
    reference.link_ok = not problems if targets(reference) else None
    reference.link_problem = "; ".join(problems)[:200]
    reference.link_checked_at = timezone.now()
    return reference


def check_all(references, workers=4, timeout=TIMEOUT):
    """Check references with at most `workers` requests at a time; save the results."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        checked = list(pool.map(lambda ref: check(ref, timeout), references))
    for reference in checked:
        # Only the check's own fields: a moderator's edit made meanwhile is not overwritten.
        type(reference).objects.filter(pk=reference.pk).update(
            link_ok=reference.link_ok,
            link_problem=reference.link_problem,
            link_checked_at=reference.link_checked_at,
        )
    return checked

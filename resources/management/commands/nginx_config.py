"""Print the nginx configuration that `make serve-prod` runs in front of gunicorn.

Generated from the settings, so the security headers nginx adds to the pages it serves
from the page cache are the same ones Django adds to everything else.
"""

import re

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string


def csp_header():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def host_patterns(allowed_hosts):
    """nginx regexes for ALLOWED_HOSTS as Django reads them: "example.org", ".example.org"
    (it and its subdomains), "*"; any port; letters, digits, dots and dashes only."""
    port = r"\.?(:[0-9]{1,5})?$"
    patterns = []
    for host in allowed_hosts:
        if host == "*":
            patterns.append(r"~^[A-Za-z0-9][A-Za-z0-9.-]*" + port)
        elif host.startswith("."):
            patterns.append(r"~*^([a-z0-9-]+\.)*" + re.escape(host[1:]) + port)
        elif re.fullmatch(r"[A-Za-z0-9.-]+", host):
            patterns.append("~*^" + re.escape(host) + port)
    return patterns


def security_headers(hsts):
    headers = [
        ("Content-Security-Policy", csp_header()),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
        ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY),
    ]
    lines = [f'      add_header {name} "{value}";\n' for name, value in headers]
    if hsts:  # $hsts: empty unless the TLS proxy said https, and then nginx sends nothing
        lines.append("      add_header Strict-Transport-Security $hsts;\n")
    return "".join(lines)


class Command(BaseCommand):
    help = "Print an nginx configuration: page cache files first, gunicorn for the rest."

    def add_arguments(self, parser):
        parser.add_argument("--listen", default="127.0.0.1:8000")
        parser.add_argument("--upstream", default="127.0.0.1:8001")
        parser.add_argument("--run-dir", required=True)
        parser.add_argument("--workers", default="auto")

    def handle(self, *args, listen, upstream, run_dir, workers, **options):
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        hsts = hsts if settings.SECURE_HSTS_SECONDS else ""
        self.stdout.write(render_to_string("deploy/nginx.conf", {
            "listen": listen, "upstream": upstream, "run_dir": run_dir, "workers": workers,
            "static_root": settings.STATIC_ROOT, "page_cache_dir": settings.PAGE_CACHE_DIR,
            "hsts": hsts, "security_headers": security_headers(hsts),
            "trusted_proxies": settings.TRUSTED_PROXIES,
            "behind_tls_proxy": bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)),
            "host_patterns": host_patterns(settings.ALLOWED_HOSTS),
            "http_ok": 0 if settings.SECURE_SSL_REDIRECT else 1,
        }))  # fmt: skip

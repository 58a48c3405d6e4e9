"""Print the nginx configuration that `make serve-prod` runs in front of gunicorn.

Generated from the settings, so the security headers nginx adds to the pages it serves
from the page cache are the same ones Django adds to everything else.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string


def csp_header():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


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
        self.stdout.write(render_to_string("deploy/nginx.conf", {
            "listen": listen, "upstream": upstream, "run_dir": run_dir, "workers": workers,
            "static_root": settings.STATIC_ROOT, "page_cache_dir": settings.PAGE_CACHE_DIR,
            "csp": csp_header(), "hsts": hsts if settings.SECURE_HSTS_SECONDS else "",
            "referrer_policy": settings.SECURE_REFERRER_POLICY,
            "coop": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        }))  # fmt: skip

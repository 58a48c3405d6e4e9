"""The production command end to end: nginx serves cached pages, never a stale one."""

import gzip
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase, override_settings

from resources.models import Resource

from .factories import make_article
from .search_helpers import reset_index

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="kb-serve-prod-"))
WORK.chmod(0o755)
PAGES = WORK / "run" / "pages"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@override_settings(PAGE_CACHE_DIR=str(PAGES), PAGE_CACHE_SECONDS=600)
class ServeProdTests(TransactionTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(WORK, ignore_errors=True)

    def setUp(self):
        reset_index()
        self.article = make_article(title="Served", slug="served", body="First words.")
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATA_DIR": str(WORK),
            "STATIC_ROOT": str(WORK / "static"),
            "PAGE_CACHE_DIR": str(PAGES),
            "SEARCH_PATH": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
            "BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
            "WORKERS": "2",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
            "PAGE_CACHE_SECONDS": "600",
        }
        self.server = subprocess.Popen(
            [str(ROOT / "deploy" / "serve-prod.sh")],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if fetch(self.url("/healthz"))[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.fail("serve-prod did not start")

    def tearDown(self):
        os.killpg(self.server.pid, signal.SIGTERM)
        self.server.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def test_cached_pages_come_from_nginx_and_never_go_stale(self):
        status, headers, _ = fetch(self.url("/articles/served/"))
        self.assertEqual((status, headers["X-Cache"]), (200, "MISS"))
        status, headers, body = fetch(self.url("/articles/served/"))
        self.assertEqual((status, headers["X-Cache"]), (200, "FILE"))
        self.assertIn(b"First words.", body)
        self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        again = fetch(self.url("/articles/served/"), {"If-None-Match": headers["ETag"]})
        self.assertEqual(again[0], 304)

        self.article.body = "Corrected words."
        self.article.save()  # a moderator's correction: a new page generation at commit
        status, headers, body = fetch(self.url("/articles/served/"))
        self.assertEqual(headers["X-Cache"], "MISS")
        self.assertIn(b"Corrected words.", body)

        self.article.status = Resource.Status.ARCHIVED
        self.article.save()  # archived: the same address now carries the archive notice
        status, headers, body = fetch(self.url("/articles/served/"))
        self.assertEqual((status, headers["X-Cache"]), (200, "MISS"))
        self.assertIn(b"This page has been archived", body)

    def test_static_files_are_compressed_with_far_future_headers(self):
        html = fetch(self.url("/"))[2].decode()
        css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html).group(1)
        status, headers, body = fetch(self.url(css), {"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertIn("max-age=31536000", headers["Cache-Control"])
        self.assertIn(b"prefers-color-scheme", gzip.decompress(body))

    def test_writes_and_sessions_always_reach_django(self):
        fetch(self.url("/articles/served/"))
        status, headers, _ = fetch(self.url("/articles/served/"), {"Cookie": "sessionid=abc"})
        self.assertEqual(status, 200)
        self.assertNotEqual(headers.get("X-Cache"), "FILE")

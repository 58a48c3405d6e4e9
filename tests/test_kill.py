"""Kill the server in the middle of a stream of admin saves: nothing committed is lost."""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import TransactionTestCase
from haystack.query import SearchQuerySet

from resources.models import Article
from resources.search import verification

from .factories import admin_url, article_admin_form, make_article
from .search_helpers import reset_index

ROOT = Path(__file__).resolve().parent.parent


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


class KillTests(TransactionTestCase):
    def setUp(self):
        reset_index()
        self.article = make_article(title="Stream target", slug="stream", body="Save 0.")
        user = User.objects.create_superuser("mod", "m@example.org", "pw-mod-123")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        self.csrf = _get_new_csrf_string()
        self.cookie = f"sessionid={session.session_key}; csrftoken={self.csrf}"

    def start_server(self, port):
        env = {
            **os.environ,
            "DEBUG": "0",
            "DATABASE_URL": database_url(),
            "SEARCH_PATH": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "PAGE_CACHE_SECONDS": "0",
            "STATIC_MANIFEST": "0",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kb.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                return server
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        server.kill()
        self.fail("gunicorn did not start")

    def save(self, port, n):
        current = Article.objects.get(pk=self.article.pk)
        form = article_admin_form(current, body=f"Save {n}.", csrfmiddlewaretoken=self.csrf)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}" + admin_url("resources_article_change", self.article.pk),
            data=urllib.parse.urlencode(form).encode(),
            headers={"Cookie": self.cookie},
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(request, timeout=10)
        except urllib.error.HTTPError as redirect:
            return redirect.code == 302
        return False

    def test_every_committed_save_survives_and_reaches_the_index(self):
        port = free_port()
        server = self.start_server(port)
        acknowledged = 0
        killer = threading.Timer(
            random.uniform(1.5, 3.0), lambda: os.killpg(server.pid, signal.SIGKILL)
        )
        killer.start()
        try:
            for n in range(1, 10_000):
                if not self.save(port, n):
                    self.fail(f"save {n} was refused")
                acknowledged = n
        except (urllib.error.URLError, ConnectionError, OSError):
            pass  # the server died mid-stream, as intended
        finally:
            killer.cancel()
            server.wait(timeout=30)
        self.assertGreater(acknowledged, 3, "the server died before the stream got going")
        connection.close()
        body = Article.objects.get(pk=self.article.pk).body
        saved = int(body.split()[1].rstrip("."))
        # Every acknowledged save is in the database (one more may have committed unanswered).
        self.assertIn(saved, (acknowledged, acknowledged + 1))

        # Restart: the production command applies pending index updates before serving.
        subprocess.run(
            [sys.executable, "manage.py", "search_sync"],
            cwd=ROOT,
            check=True,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "SEARCH_PATH": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
            },
            capture_output=True,
        )
        results = list(SearchQuerySet().filter(content=f"Save {saved}"))
        self.assertIn("Stream target", [r.title for r in results])
        report = verification.compare()
        self.assertEqual(
            (report["missing"], report["stale"], report["ghost"], report["pending"]),
            ([], [], [], 0),
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

"""Issue 14's proxy findings, through real nginx in front of gunicorn (`make serve-prod`).

Readers get addresses of their own by connecting from different loopback addresses
(127.0.0.11, 127.0.0.12, ...: all of 127/8 is the loopback interface), so nginx sees what it
would see from the internet. The site runs as it would behind a TLS proxy: BEHIND_TLS_PROXY
and SECURE_SSL_REDIRECT on, and requests that came "over HTTPS" carry X-Forwarded-Proto.
"""

import datetime
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from resources.curation import editorial
from resources.models import Resource, Suggestion

from .factories import ensure_roles, make_article, make_moderator, make_reference
from .search_helpers import reset_index
from .test_serve_prod import database_url, free_port

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}


class Response:
    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read().decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name)

    def cookies(self):
        return dict(
            cookie.split(";", 1)[0].split("=", 1)
            for cookie in self.headers.get_all("Set-Cookie") or []
        )


def request(port, path, method="GET", headers=None, body=None, source="127.0.0.1", host=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=20, source_address=(source, 0)
    )
    try:
        all_headers = {"Host": host or f"127.0.0.1:{port}", **(headers or {})}
        if body is not None:
            body = urllib.parse.urlencode(body)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=all_headers)
        return Response(connection.getresponse())
    finally:
        connection.close()


class HiddenInputs(HTMLParser):
    """The hidden inputs of the first <form method="post"> (CSRF and one-time tokens)."""

    def __init__(self, html):
        super().__init__()
        self.values = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value", ""))


class Browser:
    """One reader at one address: keeps its cookies, sends forms as a browser would."""

    def __init__(self, port, source, headers=HTTPS):
        self.port, self.source, self.headers, self.cookies = port, source, dict(headers), {}

    def go(self, path, method="GET", body=None, port=None, extra=None):
        headers = {**self.headers, **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = f"https://127.0.0.1:{port or self.port}"
        response = request(port or self.port, path, method, headers, body, self.source)
        self.cookies.update(response.cookies())
        return response

    def submit(self, path, fields, port=None):
        form = self.go(path, port=port)
        assert form.status == 200, (form.status, form.body[:300])
        return self.go(path, "POST", {**HiddenInputs(form.body).values, **fields}, port=port)


@override_settings(PAGE_CACHE_SECONDS=600)
class ServeProdSecurityTests(TransactionTestCase):
    """One serve-prod for the whole class (starting it takes seconds)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = Path(tempfile.mkdtemp(prefix="kb-serve-sec-"))
        cls.work.chmod(0o755)
        cls.pages = cls.work / "run" / "pages"
        cls.port, cls.upstream = free_port(), free_port()
        cls.log = open(cls.work / "serve-prod.log", "w+")  # noqa: SIM115 (closed in tearDownClass)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATA_DIR": str(cls.work),
            "STATIC_ROOT": str(cls.work / "static"),
            "PAGE_CACHE_DIR": str(cls.pages),
            "SEARCH_PATH": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
            "BIND": f"127.0.0.1:{cls.port}",
            "GUNICORN_BIND": f"127.0.0.1:{cls.upstream}",
            "WORKERS": "2",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "BEHIND_TLS_PROXY": "1",
            "SECURE_SSL_REDIRECT": "1",
            "LOG_LEVEL": "WARNING",
            "PAGE_CACHE_SECONDS": "600",
            "SCHEDULE_SECONDS": "3",
        }
        env.pop("TRUSTED_PROXIES", None)
        env.pop("REDIS_URL", None)  # the database cache: the default without Redis
        cls.server = subprocess.Popen(
            [str(ROOT / "deploy" / "serve-prod.sh")],
            cwd=ROOT, env=env, start_new_session=True,
            stdout=cls.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if request(cls.port, "/healthz", headers=HTTPS).status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        cls.tearDownClass()
        raise AssertionError("serve-prod did not start")

    @classmethod
    def tearDownClass(cls):
        os.killpg(cls.server.pid, signal.SIGTERM)
        cls.server.wait(timeout=30)
        cls.log.close()
        shutil.rmtree(cls.work, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        reset_index()

    def get(self, path, source="127.0.0.1", headers=HTTPS, **kwargs):
        return request(self.port, path, headers=headers, source=source, **kwargs)

    def cached(self, path):
        """Fetch twice: the second answer comes from nginx's page files."""
        self.get(path)
        response = self.get(path)
        self.assertEqual(response.header("X-Cache"), "FILE", path)
        return response

    # Finding 1: the real client address, and counts every worker shares.

    def suggest(self, reader, port=None):
        fields = {"kind": "error", "message": f"A typo {secrets.token_hex(4)}.", "website": ""}
        return reader.submit("/suggest/", fields, port=port).status

    def test_seven_readers_each_get_their_own_five_suggestions(self):
        for n in range(7):
            reader = Browser(self.port, f"127.0.1.{n + 1}")
            answers = [self.suggest(reader) for _ in range(6)]
            self.assertEqual(answers, [302] * 5 + [429], f"reader {n + 1}")
        self.assertEqual(Suggestion.objects.count(), 35)

    def test_a_reader_cannot_choose_an_address_with_x_forwarded_for(self):
        for port in (self.port, self.upstream):  # through nginx, and straight to gunicorn
            reader = Browser(self.port, "127.0.2.1" if port == self.port else "127.0.2.2")
            answers = []
            for n in range(8):
                reader.headers["X-Forwarded-For"] = f"203.0.113.{n + 1}"
                answers.append(self.suggest(reader, port=port))
            self.assertEqual(answers.count(302), 5, f"port {port}: {answers}")

    def test_workers_share_one_count_straight_to_gunicorn(self):
        reader = Browser(self.port, "127.0.3.1")
        answers = [self.suggest(reader, port=self.upstream) for _ in range(20)]
        self.assertEqual(answers.count(302), 5, answers)
        self.assertEqual(Suggestion.objects.count(), 5)

    def login(self, browser, password):
        fields = {"username": "moderator", "password": password, "next": "/admin/"}
        return browser.submit("/admin/login/", fields).status

    def test_wrong_passwords_from_one_address_do_not_lock_out_another(self):
        User.objects.create_superuser("moderator", password="right-horse-battery-9")
        attacker = Browser(self.port, "127.0.4.1")
        answers = [self.login(attacker, f"wrong-{n}") for n in range(5)]
        self.assertEqual(answers, [200] * 4 + [429])
        self.assertEqual(self.login(attacker, "right-horse-battery-9"), 429)  # locked there
        moderator = Browser(self.port, "127.0.4.2")
        self.assertEqual(self.login(moderator, "right-horse-battery-9"), 302)
        self.assertEqual(moderator.go("/admin/").status, 200)

    # Finding 6: nginx's page files obey ALLOWED_HOSTS and the HTTPS redirect.

    def test_an_unknown_host_never_gets_a_cached_page(self):
        make_article(title="Hosted", slug="hosted")
        self.cached("/articles/hosted/")
        response = self.get("/articles/hosted/", host="evil.example")
        self.assertEqual(response.status, 400)
        self.assertNotEqual(response.header("X-Cache"), "FILE")
        self.assertNotIn("Hosted", response.body)

    def test_plain_http_is_redirected_even_when_the_page_is_cached(self):
        make_article(title="Secure", slug="secure")
        self.cached("/articles/secure/")
        response = self.get("/articles/secure/", headers={})
        self.assertEqual(response.status, 301)
        self.assertEqual(
            response.header("Location"), f"https://127.0.0.1:{self.port}/articles/secure/"
        )

    def test_absolute_urls_keep_a_non_standard_port(self):
        make_article(title="Ported", slug="ported")
        for response in (self.get("/articles/ported/"), self.get("/articles/ported/")):
            canonical = re.search(r'<link rel="canonical" href="([^"]+)"', response.body)[1]
            self.assertEqual(canonical, f"https://127.0.0.1:{self.port}/articles/ported/")

    # Finding 7: a scheduled publication drops the pages nginx serves, and says why not.

    def test_scheduled_publication_reaches_cached_lists_and_logs_refusals(self):
        make_reference(key="sched2026")
        make_article(title="Already here", slug="already-here", topics=["Coping"])
        self.assertNotIn("Scheduling", self.cached("/").body)
        self.assertNotIn("Soon published", self.cached("/articles/").body)
        soon = make_article(
            title="Soon published", slug="soon-published", status=Resource.Status.REVIEW,
            topics=["Scheduling"], body="Cited [@sched2026].",
        )  # fmt: skip
        # Scheduling is an approval: a moderator who did not write it sets the time.
        at = timezone.now() + datetime.timedelta(seconds=1)
        ensure_roles()
        editorial.schedule(soon, at, by=make_moderator("scheduler"))
        make_article(
            title="Never ready", slug="never-ready", status=Resource.Status.REVIEW,
            body="No citation.", publish_at=timezone.now(),
        )  # fmt: skip
        deadline = time.time() + 30
        while time.time() < deadline and "Soon published" not in self.get("/articles/").body:
            time.sleep(0.5)
        self.assertIn("Soon published", self.get("/articles/").body)
        self.assertIn("Scheduling", self.get("/").body)  # the topic list on the home page
        self.log.flush()
        log = Path(self.log.name).read_text()
        self.assertIn("Scheduled publication refused", log)

    def test_a_command_from_another_shell_refreshes_the_page_files(self):
        article = make_article(title="Shell", slug="shell", body="Old words.")
        self.assertIn("Old words.", self.cached("/articles/shell/").body)
        code = (
            f"from resources.models import Article; a = Article.objects.get(pk={article.pk}); "
            "a.body = 'New words.'; a.save()"
        )
        env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "0"}
        env.pop("PAGE_CACHE_DIR", None)  # a moderator's shell knows nothing of nginx's files
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", code],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        self.assertIn("New words.", self.get("/articles/shell/").body)

    # Finding 8: the oEmbed card stays frameable when it comes from the cache.

    def test_cached_embed_card_can_still_be_framed(self):
        make_article(title="Embedded", slug="embedded")
        first, second = (self.get("/embed/article/embedded/") for _ in range(2))
        self.assertEqual(second.header("X-Cache"), "HIT")
        for response in (first, second):
            self.assertIsNone(response.header("X-Frame-Options"))
            self.assertIn("frame-ancestors *", response.header("Content-Security-Policy"))
        self.assertEqual(self.cached("/articles/embedded/").header("X-Frame-Options"), "DENY")

    # Finding 10: static files carry the security headers, with one max-age.

    def test_static_files_carry_security_headers(self):
        css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', self.get("/").body)[1]
        response = self.get(css)
        self.assertEqual(response.status, 200)
        self.assertEqual(
            response.headers.get_all("Cache-Control"), ["public, max-age=31536000, immutable"]
        )
        self.assertIsNone(response.header("Expires"))
        self.assertIn("max-age=31536000", response.header("Strict-Transport-Security"))
        self.assertIn("default-src 'self'", response.header("Content-Security-Policy"))
        self.assertEqual(response.header("X-Content-Type-Options"), "nosniff")

"""Two web servers, one site: separate data folders, one PostgreSQL database, one Redis.

An edit saved through one server is found by search on the other within a second, and the
pages either server had cached are replaced.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import redis
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from django.test import SimpleTestCase, TransactionTestCase

from resources.models import Article

from .factories import article_admin_form, make_article, make_reference
from .search_helpers import ON_POSTGRES, EngineMixin, reset_index
from .test_kill import ROOT, NoRedirect, database_url, free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        return False


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode(), response.headers.get("X-Cache")


@unittest.skipUnless(ON_POSTGRES, "two machines share the index in PostgreSQL")
@unittest.skipUnless(redis_answers(), f"two machines share the page cache in Redis ({REDIS_URL})")
class TwoServerTests(EngineMixin, TransactionTestCase):
    engine = "postgres"

    def setUp(self):
        reset_index()
        make_reference(key="shared2026", slug="shared-2026")
        self.article = make_article(
            title="Shared index", slug="shared", body="About kookaburra [@shared2026]."
        )
        # Four eyes: one moderator's save of the live page is a draft, a second approves it.
        self.csrf = _get_new_csrf_string()
        self.writer = self.cookie_for(User.objects.create_superuser("mod", "m@x.org", "pw-1"))
        self.approver = self.cookie_for(User.objects.create_superuser("mod2", "n@x.org", "pw-2"))

    def cookie_for(self, user):
        session = SessionStore()
        session.update(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
            }
        )
        session.create()
        return f"sessionid={session.session_key}; csrftoken={self.csrf}"

    def start_server(self):
        port, data = free_port(), tempfile.mkdtemp(prefix="kb-machine-")
        env = {
            **os.environ,
            "DEBUG": "0",
            "DATABASE_URL": database_url(),
            "SEARCH_ENGINE": "postgres",
            "DATA_DIR": data,
            "SEARCH_PATH": os.path.join(data, "whoosh_index"),  # unused: proves it is unused
            "REDIS_URL": REDIS_URL,
            "PAGE_CACHE_SECONDS": "600",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "0",
        }
        command = [sys.executable, "-m", "gunicorn", "kb.wsgi", "--bind", f"127.0.0.1:{port}"]
        server = subprocess.Popen(
            [*command, "--workers", "1", "--log-level", "error"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.addCleanup(server.wait, 30)
        self.addCleanup(server.terminate)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                get(port, "/healthz")
                return port
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        self.fail("gunicorn did not start")

    def save(self, port, **changes):
        current = Article.objects.get(pk=self.article.pk)
        form = article_admin_form(current, csrfmiddlewaretoken=self.csrf, **changes)
        self.post(port, "change/", form, self.writer)
        # The test's two-word text reads above grade 9: the approver records an override.
        approval = {"csrfmiddlewaretoken": self.csrf, "override_readability": "on"}
        self.post(port, "workflow/approve/", approval, self.approver)

    def post(self, port, action, form, cookie):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/admin/resources/article/{self.article.pk}/{action}",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Cookie": cookie},
        )
        try:
            answer = urllib.request.build_opener(NoRedirect).open(request, timeout=10)
        except urllib.error.HTTPError as redirect:
            self.assertEqual(redirect.code, 302, "the admin refused the save")
            return
        errors = re.findall(r'class="errornote"[^>]*>(.*?)<', answer.read().decode(), re.S)
        self.fail(f"the admin did not redirect after {action}: {errors}")

    def test_edit_on_one_server_is_found_and_served_fresh_on_the_other(self):
        first, second = self.start_server(), self.start_server()
        page, search = self.article.get_absolute_url(), "/search/?q=platypus&exact=0"
        for port in (first, second):
            get(port, page)
            html, cache = get(port, page)
            self.assertEqual(cache, "HIT")
            self.assertIn("kookaburra", html)
            self.assertNotIn("Shared index", get(port, search)[0])

        self.save(first, body="About platypus [@shared2026].")
        saved_at = time.monotonic()
        while "Shared index" not in get(second, search)[0]:
            self.assertLess(time.monotonic() - saved_at, 1.0, "the other server never found it")
            time.sleep(0.05)

        for port in (first, second):
            html, cache = get(port, page)
            self.assertEqual(cache, "MISS", "a page from before the edit was served")
            self.assertIn("platypus", html)
            self.assertNotIn("kookaburra", html)


@unittest.skipUnless(redis_answers(), f"machines share the content version in Redis ({REDIS_URL})")
class PageFilesFollowTests(SimpleTestCase):
    """Behind nginx each machine serves its own page files: an edit elsewhere replaces them."""

    def machine(self, *args):
        files = tempfile.mkdtemp(prefix="kb-page-files-")
        env = {**os.environ, "REDIS_URL": REDIS_URL, "PAGE_CACHE_DIR": files}
        command = [sys.executable, "manage.py", *args]
        return files, env, command

    def current(self, files):
        link = os.path.join(files, "current")
        return os.readlink(link) if os.path.islink(link) else None

    def test_a_change_on_one_machine_replaces_the_page_files_of_another(self):
        files, env, command = self.machine("follow_content_version", "--interval", "0.05")
        follower = subprocess.Popen(command, cwd=ROOT, env=env)
        self.addCleanup(follower.wait, 10)
        self.addCleanup(follower.terminate)
        deadline = time.monotonic() + 20
        while self.current(files) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        before = self.current(files)
        self.assertIsNotNone(before, "the follower never started")
        time.sleep(0.5)
        self.assertEqual(self.current(files), before, "files replaced with nothing changed")

        _, other_env, bump = self.machine(
            "shell", "-c", "from resources.serving.caching import bump_content_version as b; b()"
        )
        subprocess.run(bump, cwd=ROOT, env=other_env, check=True, capture_output=True)
        changed_at = time.monotonic()
        while self.current(files) == before:
            self.assertLess(time.monotonic() - changed_at, 1.0, "this machine kept old pages")
            time.sleep(0.05)

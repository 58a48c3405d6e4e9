"""The link checker against a local HTTP server that answers 200, 301, 404, 500 and hangs."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management import call_command
from django.test import TestCase, override_settings

from resources.models import Reference

from .factories import admin_url, make_reference

SEEN_AGENTS = []


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        path = self.path.rsplit("/", 1)[-1]
        if path == "hang":
            time.sleep(3)
        codes = {"ok": 200, "moved": 301, "gone": 404, "broken": 500, "hang": 200}
        code = codes.get(path, 404)
        self.send_response(code)
        if code == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class LinkCheckTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def test_results_are_recorded_on_each_reference(self):
        refs = {
            name: make_reference(key=name, url=f"{self.base}/{name}")
            for name in ("ok", "moved", "gone", "broken", "hang")
        }
        with override_settings(DOI_RESOLVER=f"{self.base}/doi"):
            out = io.StringIO()
            call_command("check_links", timeout=0.5, workers=3, stdout=out)
        states = {name: Reference.objects.get(pk=ref.pk) for name, ref in refs.items()}
        self.assertTrue(states["ok"].link_ok)
        self.assertTrue(states["moved"].link_ok)  # a redirect to a working page is fine
        self.assertFalse(states["gone"].link_ok)
        self.assertIn("HTTP 404", states["gone"].link_problem)
        self.assertFalse(states["broken"].link_ok)
        self.assertIn("HTTP 500", states["broken"].link_problem)
        self.assertFalse(states["hang"].link_ok)
        self.assertTrue(all(s.link_checked_at for s in states.values()))
        self.assertIn("3 broken", out.getvalue())
        self.assertTrue(all(agent.startswith("DMER-KB-linkcheck") for agent in SEEN_AGENTS))

    def test_dois_are_resolved_too(self):
        ok = make_reference(key="doi-ok", url="", doi="10.1234/ok")
        gone = make_reference(key="doi-gone", url="", doi="10.1234/gone")
        with override_settings(DOI_RESOLVER=f"{self.base}/doi/"):
            call_command("check_links", timeout=1, stdout=io.StringIO())
        self.assertTrue(Reference.objects.get(pk=ok.pk).link_ok)
        self.assertFalse(Reference.objects.get(pk=gone.pk).link_ok)

    def test_broken_links_show_on_the_admin_home(self):
        make_reference(key="bad", url=f"{self.base}/gone")
        with override_settings(DOI_RESOLVER=f"{self.base}/doi"):
            call_command("check_links", timeout=1, stdout=io.StringIO())
        from django.contrib.auth.models import User

        self.client.force_login(User.objects.create_superuser("r", "r@example.org", "pw"))
        html = self.client.get(admin_url("index")).content.decode()
        self.assertIn("References with broken links: 1", html)
        listing = self.client.get(admin_url("resources_reference_changelist") + "?link_ok__exact=0")
        self.assertIn('<td class="field-key">bad</td>', listing.content.decode())

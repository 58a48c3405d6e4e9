"""Load benchmark: the site under its production command against nginx serving a file.

Run with `make bench-web`. It builds a throw-away copy of the site with the seed content
in a temporary folder, starts `make serve-prod`'s gunicorn command on 127.0.0.1:8100 and
nginx on 127.0.0.1:8101 serving the same article saved as a static file, then drives
both with wrk (loopback only, bounded in time) and prints requests per second and
p50/p99 latency at 50 and 200 connections, with the article's ratio to nginx.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SITE, STATIC = "127.0.0.1:8100", "127.0.0.1:8101"
DURATION = os.environ.get("BENCH_SECONDS", "10")
ARTICLE = "/articles/what-is-d-mer/"
PAGES = {
    "home": "/",
    "article": ARTICLE,
    "search": "/search/?q=sad+when+milk+lets+down",
}


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def wait_for(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


DISTINCT_QUERIES = """
local words = {"dopamine", "pumping", "naltrexone", "prolactin", "anxiety", "weaning",
  "letdown", "sadness", "coping", "prevalence", "oxytocin", "hypothesis", "symptoms"}
local n = 0
request = function()
  n = n + 1
  local a = words[(n % #words) + 1]
  local b = words[(math.floor(n / #words) % #words) + 1]
  return wrk.format("GET", "/search/?q=" .. a .. "+" .. b .. "&n=" .. n .. "-" .. math.random(1e9))
end
"""


def wrk(url, connections, script=None):
    extra = ["-s", script] if script else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=int(DURATION) + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, to_ms(latency["50"]), to_ms(latency["99"]), int(errors.group(1)) if errors else 0


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def page_weight(url):
    """Bytes of the HTML (gzip) and of each same-site asset it links, and the request count."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        html_bytes = len(response.read())
        html = urllib.request.urlopen(url).read().decode()
    assets = re.findall(
        r'<(?:link[^>]+rel="(?:stylesheet|icon)"[^>]+href|script[^>]+src)="([^"]+)"', html
    )
    total = html_bytes
    for asset in assets:
        req = urllib.request.Request(f"http://{SITE}{asset}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as response:
            total += len(response.read())
    # What the browser would fetch: scripts, images, frames, stylesheets and icons.
    fetched = re.findall(r'<(?:script|img|iframe)[^>]+src="([^"]+)"', html) + assets
    third_party = [
        a
        for a in fetched
        if a.startswith(("http:", "https:", "//")) and not a.startswith(f"http://{SITE}")
    ]
    return 1 + len(assets), total, html_bytes, third_party


def main():
    work = Path(tempfile.mkdtemp(prefix="kb-web-bench-"))
    work.chmod(0o755)  # nginx's worker processes must read the saved article
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATA_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "ERROR",
        "BIND": SITE,
    }
    redis = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True)
    if redis.returncode == 0 and "PONG" in redis.stdout:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
    server = nginx = None
    try:
        run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"], env)
        run([str(BIN / "python"), "manage.py", "seed", "-v0"], env)
        run([str(BIN / "python"), "manage.py", "rebuild_index", "--noinput", "-v0"], env)
        server = subprocess.Popen(
            [str(ROOT / "deploy" / "serve-prod.sh")],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        article_html = wait_for(f"http://{SITE}{ARTICLE}", timeout=120)
        (work / "www").mkdir()
        (work / "www" / "article.html").write_bytes(article_html)
        conf = work / "nginx.conf"
        conf.write_text(f"""
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  include /etc/nginx/mime.types;
  gzip on;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp;
  fastcgi_temp_path {work}/tmp; uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  server {{ listen {STATIC}; root {work}/www; location / {{ try_files /article.html =404; }} }}
}}
""")
        (work / "tmp").mkdir()
        nginx = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"], start_new_session=True
        )
        wait_for(f"http://{STATIC}/")

        print(
            f"web benchmark: {os.cpu_count()} cores, deploy/serve-prod.sh (nginx + gunicorn), "
            f"cache {'Redis' if 'REDIS_URL' in env else 'database'}, "
            f"wrk -t2 for {DURATION} s per row\n"
        )
        for name in ("home", "article"):
            requests, total, html, third = page_weight(f"http://{SITE}{PAGES[name]}")
            print(
                f"page weight, {name}: {requests} requests, {total:,} bytes gzipped "
                f"(HTML {html:,}); third-party requests: {len(third)}"
            )
        print(f"\n{'page':10}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        results = {}
        for connections in (50, 200):
            for name, path in PAGES.items():
                for url in (f"http://{SITE}{path}",) * 1:
                    wrk(url, connections)  # warm this page in every worker
                rps, p50, p99, errors = wrk(f"http://{SITE}{path}", connections)
                results[name, connections] = (rps, p99)
                print(f"{name:10}{connections:>6}{rps:>10.0f}{p50:>9.1f}{p99:>9.1f}{errors:>9}")
            script = work / "distinct.lua"
            script.write_text(DISTINCT_QUERIES)
            rps, p50, p99, errors = wrk(f"http://{SITE}/", connections, str(script))
            print(f"{'search*':10}{connections:>6}{rps:>10.0f}{p50:>9.1f}{p99:>9.1f}{errors:>9}")
            rps, p50, p99, errors = wrk(f"http://{STATIC}/", connections)
            results["nginx", connections] = (rps, p99)
            print(f"{'nginx file':10}{connections:>6}{rps:>10.0f}{p50:>9.1f}{p99:>9.1f}{errors:>9}")
        article_rps, article_p99 = results["article", 200]
        nginx_rps = results["nginx", 200][0]
        print(
            f"\narticle at 200 connections: p99 {article_p99:.1f} ms (target under 100), "
            f"{article_rps / nginx_rps:.2f} of nginx's throughput (target at least 0.25)"
        )
        print(
            f"search at 200 connections: p99 {results['search', 200][1]:.1f} ms (target under 250)"
        )
    finally:
        for process in (server, nginx):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""One settings file, read from the environment.

Safe embedded defaults for a first run (SQLite and a Whoosh index under ./data);
production values come from the environment (see README, "Production settings").
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env("DATA_DIR", BASE_DIR / "data"))

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "taggit",
    "reversion",
    "haystack",
    "resources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A %00 in an address is dropped (or a 404 in the path): PostgreSQL refuses it.
    "resources.serving.hygiene.NullCharacterMiddleware",
    # Static files compressed (gzip and brotli) with far-future cache headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for HTML and JSON (Django's middleware pads responses against BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and If-None-Match / If-Modified-Since for every GET: pages and the API.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Whole pages for anonymous readers, dropped the moment content changes (serving/caching.py).
    "resources.serving.caching.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Login throttling: must come last.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.25"))
# Locked: this username from this address only, so nobody can lock a moderator out from
# elsewhere; the address is the real client's (resources/addresses.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "resources.serving.addresses.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"

ROOT_URLCONF = "kb.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "resources.pages.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "kb.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kb.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout keep concurrent writers from failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so that tests can start other processes on the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-kb.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not env_bool("STATIC_MANIFEST", not DEBUG)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600
# Development and tests serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", not DEBUG)

# Redis when REDIS_URL is set, the database otherwise: either way one cache that every
# worker and every process (publish_scheduled, restore, the shell) shares, so a content
# change or a rate-limit count made in one is seen by all. (Local memory is per process.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }
    if env("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kb_cache"}
}
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "600"))
# With nginx in front (make serve-prod), cached HTML pages are also written here and served
# by nginx without reaching Python (resources/serving/page_files.py); empty turns this off.
PAGE_CACHE_DIR = env("PAGE_CACHE_DIR", "")

# Topics are case-insensitive: "Pumping" and "pumping" are one topic.
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "resources.content.topics.parse_topics"
TAGGIT_STRING_FROM_TAGS = "resources.content.topics.topics_to_string"

# The search engine is chosen here and nowhere else (README, "Choosing the engine"): Whoosh,
# embedded, for one machine; "postgres" (the index in DATABASE_URL's database) for several.
# Any other value is a Haystack engine's dotted path.
SEARCH_ENGINES = {
    "whoosh": "resources.search.backends.whoosh.KBWhooshEngine",
    "postgres": "resources.search.backends.postgres.PostgresSearchEngine",
}
SEARCH_ENGINE = env("SEARCH_ENGINE", "whoosh")
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": SEARCH_ENGINES.get(SEARCH_ENGINE, SEARCH_ENGINE),
        "PATH": env("SEARCH_PATH", str(DATA_DIR / "whoosh_index")),
        "URL": env("SEARCH_URL", ""),
        "INDEX_NAME": env("SEARCH_INDEX_NAME", "dmer_kb"),
        # Our backend corrects only unknown words, so this costs nothing on good queries.
        "INCLUDE_SPELLING": True,
        # rebuild_index hands the backend one batch per model: one commit, no re-merging.
        "BATCH_SIZE": 20000,
    }
}
# Index updates are queued in the database inside the writing transaction and applied after
# commit (resources/search/indexing.py), never by Haystack's realtime processor.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 10
# Search insights (anonymous counts per query per day) are kept this many days.
SEARCH_INSIGHTS_DAYS = int(env("SEARCH_INSIGHTS_DAYS", "90"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS is only ever sent on HTTPS requests, that is when the site is behind TLS.
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies (addresses or networks) whose X-Forwarded-For names the real client: login
# throttling, the suggestion limit and the logs use it (resources/addresses.py). Empty:
# the connection's own address. serve-prod adds nginx's own address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(proxy, strict=False)
    except ValueError:
        message = f"TRUSTED_PROXIES: {proxy!r} is not an address or network."
        raise ImproperlyConfigured(message) from None

# A strict policy: no inline script anywhere (JavaScript lives in static files), no
# third-party origins at all (readers' privacy).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d [%(client)s]: %(message)s"
        }
    },
    "filters": {"client": {"()": "resources.serving.addresses.ClientAddressFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

SITE_NAME = "D-MER Knowledge Base"
CONTACT_EMAIL = env("CONTACT_EMAIL", "")
# The public address, e.g. https://dmer.example.org, for canonical links and previews when the
# site runs behind a proxy; empty means "the host the request came to".
SITE_URL = env("SITE_URL", "")
PREVIEW_LINK_DAYS = int(env("PREVIEW_LINK_DAYS", "7"))
# Where manage.py check_links resolves DOIs.
DOI_RESOLVER = env("DOI_RESOLVER", "https://doi.org/")

# Editorial workflow: nobody publishes what they wrote themselves (four eyes). A site run by
# one person can relax this; each such publication is then marked self-published.
EDITORIAL_ALLOW_SELF_PUBLISH = env_bool("EDITORIAL_ALLOW_SELF_PUBLISH", False)

"""Newsroom settings, read from the environment with development defaults.

Production leaves ``DEBUG`` off and sets ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``SITE_URL`` and
``DATABASE_URL``; see the README for the full list. With ``DEBUG`` off the site refuses to start
without ``SECRET_KEY``, and an ``https://`` ``SITE_URL`` turns on everything a site behind a TLS
proxy needs (``manage.py check --deploy`` reports nothing).
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _secret_key():
    """SECRET_KEY from the environment; in development (DEBUG on) a random key kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        # One line, not a traceback: the person starting the server needs to know what to set.
        sys.exit(
            "SECRET_KEY is not set: production (DEBUG off) needs a long random SECRET_KEY in the "
            "environment; for development set DEBUG=1 (make run does)."
        )
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


def _site_url():
    """SITE_URL from the environment, else the address ``make run`` last served on, if any."""
    if url := os.environ.get("SITE_URL"):
        return url.rstrip("/")
    try:
        return (VAR_DIR / "site_url").read_text().strip().rstrip("/") or DEFAULT_SITE_URL
    except (FileNotFoundError, NotADirectoryError):
        return DEFAULT_SITE_URL


DEFAULT_SITE_URL = "http://127.0.0.1:8000"
DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address of the site, used where there is no request: commands, e-mails, feeds.
SITE_URL = _site_url()
# Served over HTTPS, behind a TLS proxy: secure cookies, HSTS and the redirect to https follow.
HTTPS = not DEBUG and SITE_URL.startswith("https://")

INSTALLED_APPS = [
    "accounts.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_prose_editor",
    "articles",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "newsroom.replicas.ReplicaMiddleware",
    # Before the session middleware: a reader page answered from the cache needs nothing after.
    "articles.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "newsroom.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
                "newsroom.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A read replica for anonymous readers' pages (newsroom/replicas.py); the primary does the rest.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site speaks Russian by default; English is one click away. URLs carry no language prefix.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Several app servers share uploads through S3-compatible object storage (below).
    # In production WhiteNoise serves what collectstatic gathered: hashed names browsers cache
    # for good, gzip and Brotli copies made once. Development serves the files as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Source maps (the body editor ships a 2 MB one) are read by developer tools only: not worth
# compressing on every collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads and generated images in S3-compatible object storage (django-storages, installed
# with ``pip install 'newsroom[s3]'``), shared by every app server: MEDIA_STORAGE=s3 or a bucket.
if os.environ.get("MEDIA_STORAGE") == "s3" or os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Public reads of uploaded images at their plain address (a CDN may front it).
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
# Whether the app answers /media/ itself (development, make serve); a web server or a storage
# service does it better in production.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# Photo uploads (articles/imaging.py): the largest file, and the most pixels, the site takes. The
# pixel limit keeps a small file that unpacks into a huge picture (a decompression bomb) out.
PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_MB", 20) * 1024 * 1024
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_MEGAPIXELS", 50) * 1_000_000

SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
STORIES_PER_PAGE = 20
# Lists of stories and quotes offer this many pages at most (older ones: search, tags, sitemaps).
LISTING_MAX_PAGES = env_int("LISTING_MAX_PAGES", 100)

TAGGIT_CASE_INSENSITIVE = True

# How long a shareable preview link of an unpublished story works.
PREVIEW_LINK_HOURS = int(os.environ.get("PREVIEW_LINK_HOURS", "72"))

# The cache: Redis, shared by every process, when REDIS_URL is set; else each process's memory.
# It holds view counts until they are written to the database (articles/readership.py) and
# short-lived copies of pages' parts; the site keeps answering when it is down or emptied.
if REDIS_URL := os.environ.get("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A Redis that does not answer costs a reader a second at most, never the page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions in Redis, written through to the database: every app server reads them, and a
    # Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Kept pages and view counters: room for a few thousand of each per process.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Whole reader pages kept for anonymous readers (articles/pagecache.py), in the cache above, for
# at most this many seconds; any change readers could see makes them stale at once. 0: off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Cache-Control of reader pages: how long browsers (max-age) and shared caches, proxies and
# CDNs (s-maxage) may keep a page without asking, and serve it stale while they ask again.
# Short, because a CDN does not learn of a correction; ETags make asking again cheap (304).
HTTP_MAX_AGE = env_int("HTTP_MAX_AGE", 5)
HTTP_SHARED_MAX_AGE = env_int("HTTP_SHARED_MAX_AGE", 5)
HTTP_STALE_SECONDS = env_int("HTTP_STALE_SECONDS", 5)

# Story views are counted in the cache and written to the database every this many seconds by
# each process (0: only by the flush_story_views command).
VIEW_COUNTS_FLUSH_SECONDS = int(os.environ.get("VIEW_COUNTS_FLUSH_SECONDS", "60"))

# Partner news (fetch_partner_news): how long one feed may take and how big it may be.
PARTNER_FEED_TIMEOUT = float(os.environ.get("PARTNER_FEED_TIMEOUT", "10"))
PARTNER_FEED_MAX_BYTES = int(os.environ.get("PARTNER_FEED_MAX_KB", "2048")) * 1024

# Accounts. django-axes counts failed sign-ins and locks out an account, and separately an
# address, after LOGIN_FAILURE_LIMIT failures, for LOGIN_COOLOFF_MINUTES; an admin unlocks early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Sign-ins are in the audit log already (accounts/signals.py).
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_FORM_FIELD = "username"
# The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies, the address the
# outermost trusted proxy saw, from CLIENT_IP_HEADER. Never trust the header without a proxy
# that sets it: anyone could claim any address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_ip"

# Two-factor sign-in (django-otp, time-based codes): with REQUIRE_2FA on, superusers and editors
# must enrol an authenticator app before they can use the admin.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME

LOGIN_URL = "admin:login"

# A working day without a request signs the user out.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 3600

# Mail (password reset): printed to the console unless EMAIL_HOST names an SMTP server.
if EMAIL_HOST := os.environ.get("EMAIL_HOST", ""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Browsers get them on every response, development included, so that what
# works in development works in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of the site uses, refused to it and to anything embedded in it.
PERMISSIONS_POLICY = dict.fromkeys(
    (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    ),
    "()",
)  # fmt: skip

# HTTPS behind a TLS proxy. The proxy must set the header below (overwriting any value the
# client sent), or the site cannot tell https requests from plain ones.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The admin's language choice: no script reads it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# Load balancers ask for the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS else ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): only the site's own scripts, styles, images and fonts.
# Inline code runs only with the per-response nonce (``request.csp_nonce``), which reader pages
# never use, so that their header stays the same for everyone and caches can share them.
# Styles set from scripts through the CSSOM (the admin's widgets, ProseMirror) are allowed by
# CSP; style="" attributes in HTML are not. To allow a source on one view, decorate it with
# csp.decorators.csp_update; for the whole site, add it to the directive below.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the QR code of the two-factor set-up; an image cannot run code.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **(
            {"report-uri": os.environ["CSP_REPORT_URI"]} if os.environ.get("CSP_REPORT_URI") else {}
        ),
    },
}

# The story body's editor (django-prose-editor): our quote block and paste clean-up are
# extensions of its own, loaded as a module; the body's sanitiser is articles/richtext.py, not
# the editor's.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/admin/editor-quote.js")],
        "extensions": {
            "NewsroomQuote": html_tags(["figure"], {"figure": ["data-embed", "data-id"]}),
            "NewsroomPaste": html_tags([]),
        },
    }
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Sign-ins, failed sign-ins and lockouts, whatever LOG_LEVEL says (see accounts/signals.py).
    "loggers": {"newsroom.security": {"level": "INFO"}},
}

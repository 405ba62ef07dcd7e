"""Settings for jobboard, read from the environment.

Every variable is listed in `.env.example` and the README. With nothing set,
the site runs on SQLite with console e-mail; DEBUG stays off unless asked.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use 'True' or 'False'")
    return value == "True"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use a whole number") from None


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=True for local development).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The address the site is reached at, for links in e-mails and feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Before offers, whose admin unregisters their device admins (see offers/admin.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "offers",
    "applications",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jobboard.middleware.permissions_policy",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jobboard.middleware.StaffSessionMiddleware",
    "jobboard.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes requires: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "jobboard.urls"
WSGI_APPLICATION = "jobboard.wsgi.application"

# The public pages in Jinja2 (jinja2/, see jobboard/jinja_env.py), looked up first; the admin, the
# e-mails and the forms' layouts in Django's templates (templates/ and the apps').
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "jobboard.jinja_env.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "jobboard.context_processors.site",
                "jobboard.jinja_env.translations",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobboard.context_processors.site",
            ],
        },
    },
]

# SQLite by default, so a fresh clone runs with no set-up; PostgreSQL in
# production through DATABASE_URL (postgres://user:password@host:5432/name).
# Empty counts as unset (`DATABASE_URL= make test`): dj_database_url.config() read it as no database at all.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Kept between requests (checked before reuse): opening a PostgreSQL connection costs a few
        # milliseconds, as much as a whole page, and SQLite's cache is lost with its connection.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, and waits for another writer to finish
    # (the connection's timeout, 5 s). Begun deferred, one that read first and wrote next failed at once
    # with "database is locked" when another was writing: half the acknowledgements of `make bench`'s
    # concurrent applications were left to `send_pending_emails`.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements allowed (Django turns them off): only jobboard.prepared's cursors make any,
    # as Django's own bind their parameters on the client, which psycopg never prepares.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))

# Public media holds only what staff publish on purpose (logos, story
# photos). Candidates' documents go to the private storage, which has no URL.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "applications.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Candidates' documents live on this server's disk (PRIVATE_MEDIA_ROOT) unless PRIVATE_STORAGE=s3 puts
# them in an S3-compatible bucket, so that several servers share them and none keeps them on its own
# disk. The objects stay private whatever the bucket's options (no ACL, no URL, never overwritten,
# encrypted by the server: applications.storage.PrivateS3Storage) and staff still read them only
# through the admin's permission-checked views. django-storages reads AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY itself; without them boto3 uses the server's own role.
PRIVATE_STORAGE = os.environ.get("PRIVATE_STORAGE", "local")
if PRIVATE_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("Set AWS_STORAGE_BUCKET_NAME with PRIVATE_STORAGE=s3.")
    STORAGES["private"] = {
        "BACKEND": "applications.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        },
    }
elif PRIVATE_STORAGE != "local":
    raise ImproperlyConfigured(f"Unexpected value PRIVATE_STORAGE={PRIVATE_STORAGE}, use 'local' or 's3'")
FILE_UPLOAD_PERMISSIONS = 0o640
# Images larger than this are refused before Pillow decodes them.
MAX_IMAGE_UPLOAD_BYTES = env_int("MAX_IMAGE_UPLOAD_BYTES", 5 * 1024 * 1024)
# Candidates' documents (CV, letter, other): each file at most this size. A whole
# application form larger than three of them (plus a margin) is refused unread.
MAX_DOCUMENT_BYTES = env_int("MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)
# Application forms a client address may send per hour (the three forms together);
# alert subscriptions are counted apart, with the same limit.
APPLICATION_RATE_LIMIT = env_int("APPLICATION_RATE_LIMIT", 10)
# Proxies (load balancers) in front of the site that append to X-Forwarded-For. The rate
# limits count the address the outermost of them saw; with 0 they count REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"Unexpected value TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT}, use 0 or more")

# Staff login (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one client
# address, that username is refused from that address for AXES_COOLOFF_MINUTES, right password or not.
# The address is ours (TRUSTED_PROXY_COUNT honoured), not axes' own guess from the headers.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "applications.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jobboard.views.staff_locked_out"
# Axes then skips its start-up banner and logs only the lockout parameters of each attempt.
AXES_VERBOSE = False

# Two-factor authentication of staff (django-otp; jobboard/two_factor.py): the name authenticator apps
# show next to the account. Wrong codes are throttled by django-otp, 1, 2, 4, 8… seconds after each.
OTP_TOTP_ISSUER = "jobboard"

# Daily and weekly alert digests go out from this hour (local time), at the first run of send_alerts.
ALERT_DIGEST_HOUR = env_int("ALERT_DIGEST_HOUR", 7)
if not 0 <= ALERT_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"Unexpected value ALERT_DIGEST_HOUR={ALERT_DIGEST_HOUR}, use an hour from 0 to 23")

# With several processes (gunicorn workers, servers), set REDIS_URL so that they share one
# cache and the rate limits hold across them; each process counts alone otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages (home, list, offers, organisations, groups, feeds, sitemap) are cached this long
# for anonymous visitors, and forgotten at once when what they show changes (offers.caching).
# 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jobboard <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_FILE_PATH"):
    # For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per e-mail in this directory.
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# Background tasks (django-tasks): e-mails, alerts, erasure. "immediate" runs each task in the process
# that enqueues it, at once (an e-mail right after the commit), so nothing else needs to run; a failed
# e-mail waits for send_pending_emails. "database" keeps tasks in our database for a worker process,
# `manage.py db_worker`, which also retries failed e-mails after a growing delay.
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"Unexpected value TASKS_BACKEND={TASKS_BACKEND}, use immediate or database")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}

# Malware scanning of candidates' documents (applications/scanning.py) by ClamAV's daemon, clamd: on its
# Unix socket (CLAMAV_SOCKET) or over TCP (CLAMAV_HOST, CLAMAV_PORT). Staff download a document only once
# clamd has found it clean. Without a scanner, CLAMAV_REQUIRED decides, and it is on unless DEBUG is: then
# every document stays blocked until a scanner is configured and `scan_documents` has run (production
# fails closed). Off (development: `make run`, where nobody has a clamd), documents are marked "not
# scanned" and staff may download them, with that warning next to each.
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
CLAMAV_HOST = os.environ.get("CLAMAV_HOST", "")
CLAMAV_PORT = env_int("CLAMAV_PORT", 3310)
if CLAMAV_SOCKET and CLAMAV_HOST:
    raise ImproperlyConfigured("Set CLAMAV_SOCKET or CLAMAV_HOST, not both")
CLAMAV_REQUIRED = env_bool("CLAMAV_REQUIRED", not DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. The defaults follow DEBUG so that `check --deploy` passes with
# production values; each can be turned off on its own (tests serve plain HTTP).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): a page runs, styles and loads only what comes from our own origin,
# so an injected <script>, event handler or style="" does nothing. No 'unsafe-inline' and no nonce either:
# anonymous pages are cached, and a cached page would carry a stale nonce. Hence no inline script or
# style anywhere (an organisation's accent colour comes from its own stylesheet, offers.views.accent_stylesheet);
# the JSON-LD <script type="application/ld+json"> is data, never run, and CSP does not govern it.
# data: images are Bootstrap's form controls (SVG in its CSS). Behind HTTPS (SECURE_SSL_REDIRECT), any
# http:// link left in content is upgraded; the tests serve plain HTTP, which that would break.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    }
}
SESSION_COOKIE_HTTPONLY = True

# Only staff log in (candidates have none). Their sessions end after this long without a
# request, and this long in all however active (jobboard.middleware.StaffSessionMiddleware).
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 8)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private_links": {"()": "applications.private_links.RedactPrivateLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["private_links"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

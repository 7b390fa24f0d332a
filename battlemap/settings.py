"""Battlemap settings: one file, driven by the environment through typed helpers.

SQLite under var/ unless DATABASE_URL says otherwise (sqlite:///path or postgres://...).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("BATTLEMAP_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [v.strip() for v in value.split(",") if v.strip()] if value else default


def _local_secret(filename: str) -> str:
    """A secret kept in var/ for a single-server install when the environment gives none."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("BATTLEMAP_DEBUG", False)
SECRET_KEY = env_str("BATTLEMAP_SECRET_KEY") or _local_secret("secret_key")
# Personal data (ID and phone numbers) is encrypted with a key of its own, so that
# rotating the session key never makes the registry unreadable.
DATA_KEY = env_str("BATTLEMAP_DATA_KEY") or _local_secret("data_key")
ALLOWED_HOSTS = env_list("BATTLEMAP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("BATTLEMAP_CSRF_TRUSTED_ORIGINS", [])
# A refused form says so in the site's frame and language, not in Django's English page.
CSRF_FAILURE_VIEW = "battlemap.core.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "battlemap.core",
    "battlemap.jobs",
    "battlemap.audit",
    "battlemap.accounts",
    "battlemap.regions",
    "battlemap.registry",
    "battlemap.projects",
    "battlemap.board",
    "battlemap.exchange",
    "battlemap.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "battlemap.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "battlemap.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "battlemap.urls"
WSGI_APPLICATION = "battlemap.wsgi.application"

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
                "battlemap.accounts.context_processors.permissions",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'battlemap.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (imports, bulletins) are queued in the database and run by
# `battlemap worker` (battlemap/jobs): no broker to install on a county server.
# Imports (writers of the registry) have a queue of their own, run one after another by
# one slot of the worker; exports and bulletins run beside them in the other slots.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}
}
# Worker slots beside the import slot (exports, bulletins).
BATTLEMAP_WORKER_SLOTS = env_int("BATTLEMAP_WORKER_SLOTS", 1)
# A running job whose worker has not beaten for this long is failed (its worker died).
BATTLEMAP_JOB_STALE_SECONDS = env_int("BATTLEMAP_JOB_STALE_SECONDS", 45)
# On SQLite a worker waits this long for another writer (an import's transaction) to
# finish before "database is locked"; pages keep the short timeout above.
BATTLEMAP_WORKER_DB_TIMEOUT = env_int("BATTLEMAP_WORKER_DB_TIMEOUT", 600)
# Uploads larger than these are refused before they are read (a zip bomb, a sheet of
# millions of rows): the unzipped size of a workbook (MB) and its rows.
BATTLEMAP_IMPORT_MAX_MB = env_int("BATTLEMAP_IMPORT_MAX_MB", 200)
BATTLEMAP_IMPORT_MAX_ROWS = env_int("BATTLEMAP_IMPORT_MAX_ROWS", 200_000)
# When the worker generates each county's daily bulletin (HH:MM, local time).
BATTLEMAP_BULLETIN_TIME = env_str("BATTLEMAP_BULLETIN_TIME", "18:00")
# How many days back a person may file a project's daily report (日报告): a report is news
# of the day, not history written later. Commands and imports (system actors) are exempt.
BATTLEMAP_REPORT_BACKDATE_DAYS = env_int("BATTLEMAP_REPORT_BACKDATE_DAYS", 7)

# Argon2id (argon2-cffi, accounts/hashers.py) for every new password; the others only
# read older hashes, which are upgraded to Argon2 at the next login.
PASSWORD_HASHERS = [
    "battlemap.accounts.hashers.BattlemapArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Username and password, refused while the username or address is locked (accounts/lockout.py).
AUTHENTICATION_BACKENDS = ["battlemap.accounts.backends.LockoutModelBackend"]
LOCKOUT_FAILURES = env_int("BATTLEMAP_LOCKOUT_FAILURES", 5)
LOCKOUT_MINUTES = env_int("BATTLEMAP_LOCKOUT_MINUTES", 15)
# Failed logins from one network address (any usernames) within a window of
# LOGIN_ADDRESS_MINUTES, after which that address is refused until the window ends. Generous:
# a county network puts a whole township behind one address. 0 turns the limit off.
LOGIN_ADDRESS_FAILURES = env_int("BATTLEMAP_LOGIN_ADDRESS_FAILURES", 50)
LOGIN_ADDRESS_MINUTES = env_int("BATTLEMAP_LOGIN_ADDRESS_MINUTES", 15)
# Behind the county's reverse proxy every client has the proxy's address: take the client's
# from the last X-Forwarded-For entry (the one the proxy appends). Only behind a proxy that
# sets it, or a client could name any address it likes.
LOGIN_TRUST_X_FORWARDED_FOR = env_bool("BATTLEMAP_TRUST_X_FORWARDED_FOR", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("BATTLEMAP_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("BATTLEMAP_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
NODE_MODULES = PROJECT_DIR / "node_modules"
if NODE_MODULES.is_dir():
    # The npm packages are served by Battlemap itself: county networks are often offline.
    STATICFILES_DIRS += [
        ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
        ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ]
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call is told 401 with `WWW-Authenticate: Token`.
        "battlemap.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable pages carry inline script and style, which the CSP
    # forbids; people read the API through /api/v1/docs/ (Swagger UI) instead.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "battlemap.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Battlemap API",
    "DESCRIPTION": "挂图作战 REST API: regions, registry and the figures derived from them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI answer logged-in users (session or token) only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the installed package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Sessions end after BATTLEMAP_SESSION_SECONDS (a working day) and when the browser
# closes: office computers in a township are shared.
SESSION_COOKIE_AGE = env_int("BATTLEMAP_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("BATTLEMAP_SESSION_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the pages' scripts send it back in X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind the county's TLS proxy: secure cookies and HSTS (off for plain-HTTP trials).
HTTPS = env_bool("BATTLEMAP_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("BATTLEMAP_HSTS_SECONDS", 31536000)
# Content-Security-Policy of every response (core.middleware.SecurityHeadersMiddleware):
# scripts and styles from Battlemap only, no inline script, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Demo logins: every demo account gets this password.
DEMO_PASSWORD = env_str("BATTLEMAP_DEMO_PASSWORD", "battlemap-demo")

# Every handler masks ID and mobile numbers (battlemap.core.logfilters): request lines of
# runserver's access log (django.server) included, which Django's defaults would print as is.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_numbers": {"()": "battlemap.core.logfilters.MaskPersonalNumbers"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_numbers"]},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_numbers"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("BATTLEMAP_LOG_LEVEL", "WARNING")},
}

"""Polity settings, driven by environment variables.

With no environment set, Polity runs embedded: SQLite, Celery tasks executed in-process and a
local-memory cache, so a new user needs nothing installed. `DATABASE_URL` switches to PostgreSQL
(psycopg 3 with a connection pool) and `REDIS_URL` to Redis as Celery broker and cache.
A bad value fails loudly at start-up rather than quietly misbehaving later.
"""

import math
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "polity-insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105
KNOWN_SECRET_KEY_PREFIXES = ("polity-insecure-", "django-insecure-")
HOW_TO_GENERATE_A_KEY = (
    "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


def secret_key_weakness(key: str) -> str | None:
    """Why `key` cannot sign production cookies, or None.

    The key signs participant cookies and sessions: anyone who guesses it can forge them. Django's
    own check wants 50 characters and 5 distinct ones; that passes "abcde" * 10, so the estimate
    here also counts the entropy of the characters' frequencies and refuses repeated patterns.
    """
    if len(key) < 50:
        return f"it has {len(key)} characters, fewer than 50"
    if key.startswith(KNOWN_SECRET_KEY_PREFIXES):
        return "it is a published development key"
    counts = [key.count(character) for character in set(key)]
    bits = -sum(count * math.log2(count / len(key)) for count in counts)
    if bits < 128:
        return f"it holds about {bits:.0f} bits of entropy, fewer than 128"
    trigrams = {key[i : i + 3] for i in range(len(key) - 2)}
    if len(trigrams) < 0.75 * (len(key) - 2):
        return "it repeats a pattern"
    return None


DEBUG = env_bool("DEBUG", default="DATABASE_URL" not in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be set when DEBUG is off: {HOW_TO_GENERATE_A_KEY}"
        )
    # Only for the embedded development default; production refuses to start without one.
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (weakness := secret_key_weakness(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production ({weakness}); {HOW_TO_GENERATE_A_KEY}"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "deliberation",
    "constitutions",
    "frontend",
    "api",
    # Composes the product: `manage.py load_demo` (config/demo.py) needs both domain apps.
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "frontend.middleware.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "frontend.paths.NulInPathMiddleware",
    "api.limits.ApiBodyLimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...)")
    DATABASES["default"]["OPTIONS"] = {
        # psycopg 3's pool: each worker process keeps a few warm connections.
        "pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_SIZE", 8), "timeout": 5},
        "connect_timeout": 3,
    }
    # After a database restart the pool still holds dead connections: Django then has psycopg's
    # pool test each one as it is handed out (one round trip), so requests after it do not fail.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Wait for a concurrent writer instead of failing at once; take the write lock at BEGIN
            # so two votes never deadlock upgrading a read lock.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # CACHE_URL lets the cache live in another Redis database than the broker, so
            # clearing one (as the tests do) never drops the other's queued tasks.
            "LOCATION": os.environ.get("CACHE_URL") or REDIS_URL,
            # A Redis outage must not hang a request: fail fast, and callers degrade.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# visibility_timeout: a task taken by a worker that died unacknowledged is handed out again
# after this (Redis transport); analyses and deliveries are idempotent, so a repeat is safe.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "visibility_timeout": 600,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# The database is the outbox: beat sweeps for stale analyses (see deliberation/tasks.py); a sweep
# that cannot run within its period is dropped rather than piling up behind a busy worker.
POLITY_ANALYSIS_SWEEP_SECONDS = env_int("POLITY_ANALYSIS_SWEEP_SECONDS", 3)
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-analyses": {
        "task": "polity.sweep_stale_analyses",
        "schedule": POLITY_ANALYSIS_SWEEP_SECONDS,
        "options": {"expires": POLITY_ANALYSIS_SWEEP_SECONDS},
    },
    "sweep-pending-webhooks": {
        "task": "constitutions.sweep_pending_webhooks",
        "schedule": 30,
        "options": {"expires": 30},
    },
}

# --- Auth, sessions, security ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:facilitate-home"
LOGOUT_REDIRECT_URL = "frontend:home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "frontend.views.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Strict CSP: nothing inline, nothing from elsewhere (django-csp 4 format).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- i18n, static ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
# Overridable so that private servers (bench/servers.py) collect into their own directory.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# In development static files come straight from the apps; production serves collectstatic's output.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    # The API takes JSON only: no endpoint uploads files or reads forms, and a body in another
    # media type gets a 415 that names the one accepted.
    "DEFAULT_PARSER_CLASSES": ["api.limits.DepthLimitedJSONParser"],
    # `?format=` names a constitution format (json, markdown, hf-cai, ...), not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Polity API",
    "DESCRIPTION": "Context-specific constitutions and deliberation data for alignment research.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Polity -----------------------------------------------------------------------------------
# Rate limits: (count, seconds) per participant, per IP address for anonymous joins, and per
# account and address for failed sign-ins.
POLITY_RATE_LIMITS = {
    "vote": (env_int("POLITY_VOTE_RATE", 120), 60),
    "statement": (env_int("POLITY_STATEMENT_RATE", 10), 600),
    "join": (env_int("POLITY_JOIN_RATE", 30), 600),
    # Failed sign-ins (facilitator and admin pages), per account and per client address.
    "login_account": (env_int("POLITY_LOGIN_ACCOUNT_FAILURES", 10), 900),
    "login_address": (env_int("POLITY_LOGIN_ADDRESS_FAILURES", 30), 900),
}
# How many reverse proxies in front of Polity append to X-Forwarded-For (0: trust REMOTE_ADDR).
POLITY_TRUSTED_PROXIES = env_int("POLITY_TRUSTED_PROXIES", 0)
POLITY_ANALYSIS_DEBOUNCE_SECONDS = env_int("POLITY_ANALYSIS_DEBOUNCE_SECONDS", 5)
# Conversations with more votes than this are analysed on the "analysis-large" queue.
POLITY_ANALYSIS_LARGE_VOTES = env_int("POLITY_ANALYSIS_LARGE_VOTES", 200_000)
# A queued analysis whose task was lost with its worker is queued again after this many seconds.
POLITY_ANALYSIS_REQUEUE_SECONDS = env_int("POLITY_ANALYSIS_REQUEUE_SECONDS", 120)
POLITY_WEBHOOKS_ALLOW_PRIVATE = env_bool("POLITY_WEBHOOKS_ALLOW_PRIVATE", False)
# Under /api/, a larger body is answered 413 before it is read (no request needs a tenth of it).
POLITY_API_MAX_BODY_BYTES = env_int("POLITY_API_MAX_BODY_BYTES", 256 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Alongside settings, read from the environment (``.env.example``, docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from alongside.lib.env import env_bool, env_int, env_list, env_str
from alongside.lib.fernet_keys import development_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ALONGSIDE_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

# A development key exists only under DEBUG=1; production must bring its own.
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghij"
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, "
        "for example the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
        "For local development only, set DEBUG=1 instead."
    )
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY is the development key; production needs its own.")

# Keys for the audit chain and for encrypting sensitive text. Under DEBUG they fall back
# to values derived from the development secret so `make demo` needs no set-up.
AUDIT_HMAC_KEY = env_str("ALONGSIDE_AUDIT_KEY") or (f"audit:{SECRET_KEY}" if DEBUG else "")
# Comma-separated Fernet keys: the first encrypts, all decrypt (see alongside/lib/crypto.py).
# Under DEBUG an empty value means a development key derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY") or (
    development_key(SECRET_KEY) if DEBUG else ""
)
if not DEBUG and not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY is not set. It encrypts care notes at rest; generate one with: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' "
        "and keep it apart from the database backups (docs/care.md explains rotation)."
    )
if not DEBUG and not AUDIT_HMAC_KEY:
    raise ImproperlyConfigured(
        "ALONGSIDE_AUDIT_KEY is not set. It signs the audit trail; set it to a long random value "
        "and keep it apart from the database backups."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that `runserver` serves ASGI (HTTP and the warm line's WebSockets).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",
    "alongside.core",
    "alongside.directory",
    "alongside.library",
    "alongside.care",
    "alongside.workforce",
    "alongside.groups",
    "alongside.billing",
    "alongside.outcomes",
    "alongside.warmline",
    "alongside.reports",
]

MIDDLEWARE = [
    "alongside.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside WhiteNoise, so that static files stay cacheable.
    "alongside.core.middleware.PrivateAnswersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alongside.core.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "alongside.core.middleware.TwoFactorRequiredMiddleware",
    "alongside.core.middleware.CurrentOrganizationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: its preflight answers still get every header the others add.
    "alongside.lib.public_answers.PublicAnswersMiddleware",
]

ROOT_URLCONF = "alongside.urls"
WSGI_APPLICATION = "alongside.wsgi.application"
ASGI_APPLICATION = "alongside.asgi.application"

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
                "alongside.core.context_processors.alongside",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if not _database_url:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set. Production runs on PostgreSQL, e.g. "
            "DATABASE_URL=postgres://alongside:secret@127.0.0.1:5432/alongside. "
            "For local development with SQLite, set DEBUG=1."
        )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{VAR_DIR / 'alongside.sqlite3'}"

DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept, as on PostgreSQL: opening one reads the whole schema.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock
        # at the start of a transaction so two writers queue instead of failing midway.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
# Lets two test runs share one PostgreSQL server without sharing a test database.
if env_str("ALONGSIDE_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("ALONGSIDE_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (and, later, channel layers) ---------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or ""
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The warm line's live chat: one process shares messages in memory; several ASGI workers
# (daphne or uvicorn) share them through Redis (docs/warmline.md).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("WARMLINE_CHANNEL_PREFIX", "asgi")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Not a rule: Django tells it of every password set, and it revokes the person's API
    # tokens and e-mails them (core/passwords.py).
    {"NAME": "alongside.core.passwords.PasswordChangeNotice"},
]
LOGIN_URL = "core:login"
# The page of the member's work (caseload, verification queue...), by role: core/landing.py.
LOGIN_REDIRECT_URL = "core:staff_landing"
LOGOUT_REDIRECT_URL = "core:home"

# Lock out a username only from the address that guessed wrong, so knowing someone's
# username is not enough to lock them out.
AXES_FAILURE_LIMIT = env_int("ALONGSIDE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ALONGSIDE_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Lockout, audit and rate limits all take the client's address from one place, which reads
# X-Forwarded-For only behind a configured proxy (core/client.py).
AXES_CLIENT_IP_CALLABLE = "alongside.core.client.client_ip"
ALONGSIDE_PROXY_COUNT = env_int("ALONGSIDE_PROXY_COUNT", 0)
ALONGSIDE_TRUSTED_PROXIES = env_list("ALONGSIDE_TRUSTED_PROXIES", [])

ALONGSIDE_REQUIRE_2FA = env_bool("ALONGSIDE_REQUIRE_2FA", True)
# A personal API token stops working this many days after it was made.
ALONGSIDE_API_TOKEN_DAYS = env_int("ALONGSIDE_API_TOKEN_DAYS", 90)
# A link to set up an authenticator app works once, for this many hours.
ALONGSIDE_ENROLMENT_HOURS = env_int("ALONGSIDE_ENROLMENT_HOURS", 72)
# Password-reset e-mails: at most this many an hour for one address, and from one client.
ALONGSIDE_PASSWORD_RESETS_PER_ADDRESS = env_int("ALONGSIDE_PASSWORD_RESETS_PER_ADDRESS", 3)
ALONGSIDE_PASSWORD_RESETS_PER_CLIENT = env_int("ALONGSIDE_PASSWORD_RESETS_PER_CLIENT", 10)
# Without 2FA, `check --deploy` fails unless this says "I-understand-the-risk" (core/checks.py).
ALONGSIDE_PILOT_WITHOUT_2FA = env_str("ALONGSIDE_PILOT_WITHOUT_2FA", "")
OTP_TOTP_ISSUER = env_str("ALONGSIDE_SITE_NAME", "Alongside")

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = env_int("ALONGSIDE_SESSION_IDLE_MINUTES", 15) * 60
SESSION_ABSOLUTE_LIFETIME = env_int("ALONGSIDE_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ---------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("ALONGSIDE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("ALONGSIDE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("ALONGSIDE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of ours uses, denied to every page and frame (core.middleware).
ALONGSIDE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
if env_bool("ALONGSIDE_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything is served from our own origin: no inline scripts, no third parties.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "alongside" / "locale"]
TIME_ZONE = env_str("TIME_ZONE") or "America/New_York"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")) or VAR_DIR / "static")
# Private documents (alongside.core.documents): outside the code and never served as static
# files; they go out only through an audited download view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
ALONGSIDE_UPLOAD_MAX_BYTES = env_int("ALONGSIDE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    # WhiteNoise serves from the finders in development but expects the folder to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- E-mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "alongside@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# --- Logging: JSON lines on stderr, with the request id -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "alongside.lib.logging.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The development server's access log prints full URLs; keep it out of JSON logs.
        "django.server": {"handlers": [], "propagate": False},
        # The same for daphne's development server (`runserver` serves ASGI).
        "django.channels.server": {"handlers": [], "propagate": False},
        # Replace Django's own DEBUG console handler so each line is written once, as JSON.
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

# --- Alongside ----------------------------------------------------------------------------
ALONGSIDE_SITE_NAME = OTP_TOTP_ISSUER
ALONGSIDE_DEMO = env_bool("ALONGSIDE_DEMO", False)
# Scheme and host that start the links in notification e-mails (a daily command has no
# request to take them from). Empty: the e-mail says to sign in, with no link.
ALONGSIDE_SITE_URL = env_str("ALONGSIDE_SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")
# Show the designed 404 and 500 pages even with DEBUG=1, as the demo does (core/error_pages.py).
ALONGSIDE_DESIGNED_ERROR_PAGES = env_bool("ALONGSIDE_DESIGNED_ERROR_PAGES", ALONGSIDE_DEMO)
if DEBUG and ALONGSIDE_DESIGNED_ERROR_PAGES:
    # Outside CommonMiddleware, so that a missing slash is still redirected first.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
        "alongside.core.error_pages.DesignedErrorPagesMiddleware",
    )
# "label|number|ways" entries separated by ";" -- ways from call, text, chat.
ALONGSIDE_CRISIS_LINES = env_str(
    "ALONGSIDE_CRISIS_LINES",
    "988 Suicide & Crisis Lifeline|988|call,text,chat;NH Rapid Response|833-710-6477|call,text",
)
ALONGSIDE_CRISIS_CHAT_URL = env_str("ALONGSIDE_CRISIS_CHAT_URL", "https://988lifeline.org/chat/")

# --- Directory ----------------------------------------------------------------------------
# A listing not verified for this long is flagged for re-verification...
DIRECTORY_REVERIFY_AFTER_MONTHS = env_int("DIRECTORY_REVERIFY_AFTER_MONTHS", 12)
# ...and after this long it is hidden from search, with the reason on its page.
DIRECTORY_HIDE_AFTER_MONTHS = env_int("DIRECTORY_HIDE_AFTER_MONTHS", 18)
DIRECTORY_SUGGESTIONS_PER_HOUR = env_int("DIRECTORY_SUGGESTIONS_PER_HOUR", 5)
# The slug of the organization that runs the directory: its directory editors verify and edit
# every listing and approve other organizations' claims. Unset: nobody does.
ALONGSIDE_OPERATOR_ORG = env_str("ALONGSIDE_OPERATOR_ORG") or ("nh-peer-directory" if DEBUG else "")
# A search with no place or county looks at no more listings than this (best keyword
# matches first, else by name), so that it costs the same on a directory of any size.
DIRECTORY_SEARCH_LIMIT = env_int("DIRECTORY_SEARCH_LIMIT", 500)
# The search page, for visitors without cookies, is kept and shared for this many seconds
# (0: never). Open/closed badges and listing edits show up at most this much later.
DIRECTORY_PAGE_CACHE_SECONDS = env_int("DIRECTORY_PAGE_CACHE_SECONDS", 60)
# The deployment's own state: a town typed without a state ("Concord") is looked for here
# first, and the searches that fall back to "the whole state" mean this one.
DIRECTORY_HOME_STATE = env_str("DIRECTORY_HOME_STATE", "NH")
LIBRARY_REVIEW_MONTHS = env_int("LIBRARY_REVIEW_MONTHS", 12)

# --- Audit checkpoints --------------------------------------------------------------------
# A file outside the database (another disk, ideally another machine) to which
# `alongside audit_checkpoint` appends the audit chain's signed head; `audit_verify
# --checkpoints` checks the chain against it (docs/deploying.md).
ALONGSIDE_AUDIT_CHECKPOINT_FILE = env_str("ALONGSIDE_AUDIT_CHECKPOINT_FILE", "") or ""

# --- Warm line ----------------------------------------------------------------------------
# Transcripts (messages, notes, SMS numbers) are deleted this many days after a contact ends,
# by `alongside warmline_retention`, run daily; the short contact records stay for reports.
WARMLINE_RETENTION_DAYS = env_int("WARMLINE_RETENTION_DAYS", 30)
# Chats one address (``core.client``) may start in an hour; the next gets 988 and the phone.
WARMLINE_CHAT_STARTS_PER_HOUR = env_int("WARMLINE_CHAT_STARTS_PER_HOUR", 10)
# Chat sockets do their database work in a pool of threads; 1 keeps it in one thread per
# worker (the tests do, so that it shares the test's connection).
WARMLINE_DB_ONE_THREAD = env_bool("WARMLINE_DB_ONE_THREAD", False)
# Key of the hash that recognizes a returning texter or a visitor's chosen code; never the
# number itself. Changing it makes everyone new again.
WARMLINE_RETURN_KEY = env_str("WARMLINE_RETURN_KEY") or f"warmline-return:{SECRET_KEY}"
# The SMS provider: "twilio", or "" for none (texts are then refused). Credentials come from
# the provider's console; the base URL changes only for tests or a regional edge.
WARMLINE_SMS_PROVIDER = env_str("WARMLINE_SMS_PROVIDER", "") or ""
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "") or ""
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "") or ""
TWILIO_BASE_URL = env_str("TWILIO_BASE_URL", "https://api.twilio.com") or "https://api.twilio.com"
# The public address Twilio posts to, when a proxy changes it (signatures cover the URL).
WARMLINE_SMS_WEBHOOK_URL = env_str("WARMLINE_SMS_WEBHOOK_URL", "") or ""
# GPRA 6-month follow-up window, in whole months after the intake interview (first and last
# day both inside). 5 and 8 are the rule SAMHSA-funded programs are told (docs/reports.md).
ALONGSIDE_GPRA_WINDOW_OPENS_MONTHS = env_int("ALONGSIDE_GPRA_WINDOW_OPENS_MONTHS", 5)
ALONGSIDE_GPRA_WINDOW_CLOSES_MONTHS = env_int("ALONGSIDE_GPRA_WINDOW_CLOSES_MONTHS", 8)
# The share of follow-ups due that SAMHSA expects done inside the window, in percent.
ALONGSIDE_GPRA_FOLLOWUP_TARGET = env_int("ALONGSIDE_GPRA_FOLLOWUP_TARGET", 80)

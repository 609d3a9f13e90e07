"""Tandem settings: everything that differs between machines comes from the environment.

Local defaults are safe for a developer's machine (DEBUG on, local services on loopback).
With DEBUG off the secure defaults switch on, and a missing SECRET_KEY stops the start-up.
See the configuration table in README.md.
"""

import base64
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for origin in CSRF_TRUSTED_ORIGINS:
    if urlparse(origin).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS entries need a scheme: {origin!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    # One-time codes for the second factor: TOTP apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # In layer order (README, "Layers"): receivers of domain events run in this order.
    "core",
    "audit",
    "accounts",
    "geo",
    "detection",
    "directory",
    "matching",
    "requests_app",
    "ranking",
    "carers",
    "messaging",
    "notifications",
    "frontend",
    # Background jobs: Django's Tasks API (backport) on the database (README, "Background jobs").
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy, Cross-Origin-Opener-Policy on every response.
    "config.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database outage → 503 instead of 500 (core/database_outage.py): the safety net here,
    # the main one right after AuthenticationMiddleware.
    "core.database_outage.DatabaseOutageFallbackMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "frontend.middleware.QueryStringLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.database_outage.DatabaseOutageMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Pages: a coordinator without the second factor goes to it first; a changed privacy
    # notice is asked again (the API does the same in accounts/authentication.py).
    "accounts.middleware.AccountGatesMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the lockout raised by the authentication backend.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------

DATABASE_URL = env_url(
    "DATABASE_URL",
    "postgis://tandem@127.0.0.1:54329/tandem",
    schemes={"postgis", "postgres", "postgresql"},
)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
}
# GeoDjango needs the PostGIS backend whatever scheme the URL used.
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
# A connection kept open (DB_CONN_MAX_AGE > 0) may have died with a PostgreSQL restart: check it
# before its first query in each request, and reconnect, so service resumes without a restart
# of the app (tests/faults/test_database_restart.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Connection pool per server process (psycopg_pool, through Django): on by default, with
# DB_POOL_MAX_SIZE connections (0 turns it off). Without it (and with DB_CONN_MAX_AGE 0) every
# request opens a fresh PostgreSQL backend and its first complex query pays the cold caches:
# candidates over HTTP at 300,000 helpers p50 488 ms without, 126 ms with the warm pool, at a
# load average of 9–17 (docs/MATCHING.md, "Over HTTP" and "Connections").
# All DB_POOL_MIN_SIZE (default: all of them) are opened when the server starts
# (config/asgi.py), and every connection the pool opens, then or later, runs the hot queries
# once before any request gets it (config.database.WarmConnection, ranking/warmup.py). Each
# warmed backend holds a few MB of PostgreSQL memory (docs/CAPACITY.md). Connections are checked
# before use (CONN_HEALTH_CHECKS above) and replaced after DB_POOL_MAX_LIFETIME seconds. While
# PostgreSQL is down a request waits DB_POOL_TIMEOUT seconds for a connection, then gets the
# outage's 503; so does a request that waits that long behind a busy pool. Kept connections
# (DB_CONN_MAX_AGE > 0) are the other way to reuse connections: choosing them turns the pool's
# default off (both at once is refused).
# The default is for server processes only (config/asgi.py sets TANDEM_SERVER_PROCESS before
# Django starts): a management command or the job worker uses one plain connection, and never
# waits for a pool to open and warm four (under load that wait outlasted DB_POOL_TIMEOUT and
# the worker failed at start).
DEFAULT_DB_POOL_MAX_SIZE = 4
DB_POOL_MAX_SIZE = env_int(
    "DB_POOL_MAX_SIZE",
    DEFAULT_DB_POOL_MAX_SIZE
    if env_bool("TANDEM_SERVER_PROCESS", False) and not DATABASES["default"]["CONN_MAX_AGE"]
    else 0,
    minimum=0,
)
if DB_POOL_MAX_SIZE:
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured("DB_POOL_MAX_SIZE needs DB_CONN_MAX_AGE=0")
    from config.database import WarmConnection

    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": min(env_int("DB_POOL_MIN_SIZE", DB_POOL_MAX_SIZE, minimum=1), DB_POOL_MAX_SIZE),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": env_int("DB_POOL_TIMEOUT", 2, minimum=1),
        "max_lifetime": env_int("DB_POOL_MAX_LIFETIME", 3600, minimum=60),
    }
    # DB_POOL_WARM_UP=false only to measure what the warm-up saves (bench/matching/http_probes.py).
    if env_bool("DB_POOL_WARM_UP", True):
        DATABASES["default"]["OPTIONS"]["pool"]["connection_class"] = WarmConnection
# Prepared statements: psycopg prepares a query after DB_PREPARE_THRESHOLD executions on one
# connection (0: at the first; off with DB_PREPARED_STATEMENTS=false). Only the hot queries
# are concerned (candidates, nearby: core/prepared_statements.py): Django's own cursors bind
# parameters on the client and never prepare. A pooled connection then plans them once, not at
# every call (bench/matching/run.py, 300,000 helpers, same session, alternated: candidates p50
# 48/36 ms without, 33/31 ms with, load average 7–8; docs/MATCHING.md, "Connections").
if env_bool("DB_PREPARED_STATEMENTS", True):
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env_int(
        "DB_PREPARE_THRESHOLD", 2, minimum=0
    )
# How long a starting server process waits for its pool's first connections (config/asgi.py).
DB_POOL_OPEN_TIMEOUT = env_int("DB_POOL_OPEN_TIMEOUT", 10, minimum=1)

# Threads per server process serving HTTP (config/asgi.py). Python runs one thread at a time, so
# more threads overlap only the waits (PostgreSQL, SMTP, a geocoder) and otherwise queue for the
# interpreter: at 150 mixed requests/s on 2 cores, p95 was 17-19 ms with 1 thread per process,
# 19-27 ms with 2 and 26 ms with 4 (docs/OPERATIONS.md); 2, so that one slow outside service does
# not hold up a whole process. Run one process per core; raise this only if requests wait on
# slow outside services.
HTTP_THREADS = env_int("HTTP_THREADS", 2, minimum=1)

REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:63799/0", schemes={"redis", "rediss"})
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 60},
    }
}
# Live delivery of messages (messaging app): Redis PUBLISH/SUBSCRIBE, pushed to every server
# process. Under load it kept p99 an order of magnitude lower than the list-based layer above
# (docs/MESSAGING.md, "Benchmark"). PUBLISH ignores the database number, so the prefix carries
# it: two REDIS_URLs that differ only by database stay apart, as with the layer above.
CHANNEL_LAYERS["messaging"] = {
    "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "CONFIG": {
        "hosts": [REDIS_URL],
        "prefix": f"tandem.{urlparse(REDIS_URL).path.strip('/') or '0'}.",
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Counts failures and locks out before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "display_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Brute-force lockout: a failure counts against the pair (account, address), so an attacker
# cannot lock a person out from elsewhere, and the lock lifts by itself after the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
# Counts "Ann@x.be" and "ann@x.be" as one account, from the API and the login form alike.
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Lockouts and rate limits key on REMOTE_ADDR. Behind a reverse proxy Uvicorn puts the client's
# address there from X-Forwarded-For, trusting only the proxies in FORWARDED_ALLOW_IPS (default
# loopback): docs/OPERATIONS.md section 2. Nothing to set in Django.
AXES_VERBOSE = False

# Recovery and verification (README "Accounts"; docs/SECURITY.md). Links in e-mails expire:
# a password reset after PASSWORD_RESET_TIMEOUT seconds (Django's token generator), an address
# verification after EMAIL_VERIFICATION_TIMEOUT seconds (Django's signing).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60, minimum=60)
EMAIL_VERIFICATION_TIMEOUT = env_int("EMAIL_VERIFICATION_TIMEOUT", 3 * 24 * 3600, minimum=60)
# Unverified accounts may read but not offer help, and get no e-mail notifications. Off
# locally, so that a developer's set-up and the contract's register-then-offer flow work.
EMAIL_VERIFICATION_REQUIRED = env_bool("EMAIL_VERIFICATION_REQUIRED", not DEBUG)
# Helper vetting (docs/VETTING.md): checks the organisation requires before a coordinator may
# verify a helper, on top of seeing an identity document and an interview. None by default:
# Tandem does not decide what the law or an organisation asks; each organisation lists its own.
# The codes are matching.models.VettingCheck's.
HELPER_VETTING_CHECKS = ("references", "good_conduct")
HELPER_VETTING_REQUIRED_CHECKS = env_list("HELPER_VETTING_REQUIRED_CHECKS", [])
if set(HELPER_VETTING_REQUIRED_CHECKS) - set(HELPER_VETTING_CHECKS):
    raise ImproperlyConfigured(
        "HELPER_VETTING_REQUIRED_CHECKS may list only "
        f"{', '.join(HELPER_VETTING_CHECKS)}, not {HELPER_VETTING_REQUIRED_CHECKS!r}"
    )
# Coordinators read carers' situations and exact addresses: a one-time code on top of the
# password (TOTP app or a recovery code). Off locally; anyone may turn it on for themselves.
COORDINATOR_MFA_REQUIRED = env_bool("COORDINATOR_MFA_REQUIRED", not DEBUG)
# The site's public address for links in e-mails, e.g. "https://tandem.example.be". Set it in
# production; empty, links use the address each request came to (ALLOWED_HOSTS checks it).
SITE_URL = env_str("SITE_URL").strip().rstrip("/")
if SITE_URL and urlparse(SITE_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(f"SITE_URL needs a scheme: {SITE_URL!r}")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tandem")
# Who is responsible for the personal data (the controller), shown in the privacy notice.
# Left empty, the notice says the organisation running the site is, without naming it.
PRIVACY_CONTROLLER = env_str("PRIVACY_CONTROLLER").strip()

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=300)
SESSION_SAVE_EVERY_REQUEST = True  # idle sessions expire; active ones are extended

# --- Languages -----------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "tandem_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static files --------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # DRF's token and session authentication, plus the account gates (second factor of
    # coordinators, a changed privacy notice): accounts/authentication.py.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.GatedTokenAuthentication",
        "accounts.authentication.GatedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API speaks JSON (CONTRACT.md); the one upload (services import) names its own parsers.
    # Form bodies would turn every value into a string and bypass core/strict_fields.py.
    # The parser adds the size limit, NUL and nesting checks DRF's lacks (core/json_parser.py).
    "DEFAULT_PARSER_CLASSES": ["core.json_parser.SafeJSONParser"],
    # drf-spectacular, plus the errors every operation can answer (config/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.openapi.TandemAutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "Neighbour help for Belgium. See CONTRACT.md for the public contract.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: no CDN, works offline and under a strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set, whether a field holds one value or a list of them.
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "matching.vocabulary.Category",
        "LanguageEnum": "accounts.models.Language",
        "FeedbackKindEnum": "requests_app.models.FeedbackKind",
        "VerificationStateEnum": "matching.models.VerificationState",
    },
}

# --- Geocoding -----------------------------------------------------------------------------

# "" = only the offline gazetteer of postcodes; "nominatim" = also geopy's Nominatim for
# street addresses (needs GEOCODER_USER_AGENT, and a reachable server in GEOCODER_DOMAIN).
GEOCODER = env_choice("GEOCODER", "", choices={"", "nominatim"})
GEOCODER_DOMAIN = env_str("GEOCODER_DOMAIN", "nominatim.openstreetmap.org")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "tandem-neighbour-help")
GEOCODER_MIN_DELAY_SECONDS = env_int("GEOCODER_MIN_DELAY_SECONDS", 1, minimum=0)
GEOCODER_TIMEOUT_SECONDS = env_int("GEOCODER_TIMEOUT_SECONDS", 5, minimum=1)

# --- Maps ----------------------------------------------------------------------------------

# Pages draw their maps on the server (an SVG of Belgium with approximate places) and need no
# tile server. With MAP_TILE_URL set (e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
# browsers with JavaScript also get a Leaflet map on those tiles, and the Content-Security-Policy
# lets images from that server in (config/security_headers.py). Empty by default: no third-party
# server is contacted unless the deployer chooses one, and its usage policy.
MAP_TILE_URL = env_str("MAP_TILE_URL").strip()
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION").strip()
if MAP_TILE_URL:
    if urlparse(MAP_TILE_URL).scheme not in {"http", "https"} or not all(
        part in MAP_TILE_URL for part in ("{z}", "{x}", "{y}")
    ):
        raise ImproperlyConfigured(
            "MAP_TILE_URL must be an http(s) URL with {z}, {x} and {y}, not " + repr(MAP_TILE_URL)
        )
    if not MAP_TILE_ATTRIBUTION:
        # Tile servers' licences require naming them (and their data) on the map.
        raise ImproperlyConfigured("MAP_TILE_ATTRIBUTION must be set when MAP_TILE_URL is")

# Leaflet (the tiled map) comes from npm (package.json, `make setup`) and is served as static
# files from there: collectstatic fingerprints them like ours.
STATICFILES_DIRS = [("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist")]

# --- Email ---------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <no-reply@localhost>")
# A mail server that hangs must not hold a job (and its worker) for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# The address people reach Tandem at, for the links in e-mails (no request to take it from).
PUBLIC_BASE_URL = env_url(
    "PUBLIC_BASE_URL", "http://127.0.0.1:8000", schemes={"http", "https"}
).rstrip("/")

# --- Background jobs and notifications (docs/NOTIFICATIONS.md) -------------------------------

# Jobs are rows in PostgreSQL, written in the transaction of the change they concern, so a job
# exists exactly when its change committed; `manage.py jobs_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz answers 503 naming "jobs" when a job ready to run has waited longer than this.
JOBS_MAX_PENDING_AGE_SECONDS = env_int("JOBS_MAX_PENDING_AGE_SECONDS", 300, minimum=1)
# A job (or an e-mail claim) still "running" after this long belongs to a worker that died:
# it is run again (sending is idempotent per notification and channel).
JOBS_RUNNING_LEASE_SECONDS = env_int("JOBS_RUNNING_LEASE_SECONDS", 600, minimum=1)
# Retries with exponential back-off: base × 2^(attempt−1), capped at one hour.
JOBS_RETRY_BASE_SECONDS = env_int("JOBS_RETRY_BASE_SECONDS", 30, minimum=1)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 8, minimum=1)
# A message still unread this long after it was sent is worth telling its reader about.
MESSAGE_UNREAD_DELAY_SECONDS = env_int("MESSAGE_UNREAD_DELAY_SECONDS", 600, minimum=0)
# The daily digest (messages, nearby requests) goes out from this local time (TIME_ZONE), or at
# the end of the person's quiet hours if they are still on then.
NOTIFICATION_DIGEST_TIME = env_str("NOTIFICATION_DIGEST_TIME", "08:00")
# Periodic jobs, enqueued by `jobs_worker` itself once per hour or per day (core/periodic.py):
# django-tasks has no schedule of its own. Each job takes the keyword `slot`.
JOBS_PERIODIC = {
    "requests.expiring": {"task": "requests_app.jobs.requests_expiring_announce", "every": "hour"},
    "referrals.reminders": {"task": "carers.jobs.referral_reminders", "every": "hour"},
    "notifications.digest": {
        "task": "notifications.jobs.email_digests_plan",
        "every": "day",
        "at": NOTIFICATION_DIGEST_TIME,
    },
}
# How often the worker looks for a periodic job that is due.
JOBS_PERIODIC_CHECK_SECONDS = env_int("JOBS_PERIODIC_CHECK_SECONDS", 60, minimum=1)

# Web Push (docs/NOTIFICATIONS.md, "Web Push"): the VAPID private key (base64url, 32 bytes,
# from `manage.py vapid_keys`) signs every push; its public half is what browsers subscribe
# with. Empty: push is off (the API says so, nothing is sent). The subject is the contact the
# push services may write to about this sender (mailto: or https:).
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY").strip()
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:no-reply@localhost").strip()
if VAPID_PRIVATE_KEY:
    try:
        _raw = base64.urlsafe_b64decode(VAPID_PRIVATE_KEY + "=" * (-len(VAPID_PRIVATE_KEY) % 4))
    except ValueError:
        _raw = b""
    if len(_raw) != 32:
        raise ImproperlyConfigured(
            "VAPID_PRIVATE_KEY must be a base64url raw P-256 private key (32 bytes): "
            "generate one with `manage.py vapid_keys`"
        )
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured("VAPID_SUBJECT must start with mailto: or https://")
# A push service that hangs must not hold a job for long.
PUSH_TIMEOUT_SECONDS = env_int("PUSH_TIMEOUT_SECONDS", 10, minimum=1)
# Push services are HTTPS. Only the tests' loopback push server is plain HTTP.
PUSH_ALLOW_HTTP_ENDPOINTS = env_bool("PUSH_ALLOW_HTTP_ENDPOINTS", False)

# Closed-loop referrals (docs/REFERRALS.md): a sent referral the service has not answered after
# this many working days (Monday to Friday) is reminded to the service's workers, and after the
# second figure the coordinators are alerted. Run by `manage.py referral_reminders`.
REFERRAL_REMINDER_WORKING_DAYS = env_int("REFERRAL_REMINDER_WORKING_DAYS", 5, minimum=1)
REFERRAL_ESCALATION_WORKING_DAYS = env_int("REFERRAL_ESCALATION_WORKING_DAYS", 10, minimum=1)

# --- Security ------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Rate limits (core/rate_limits.py): {action: (attempts, window in seconds)}, a fixed window
# counted in Redis per signed-in person or, before sign-in, per client address. The defaults
# leave room for a family or a care home sharing one address.
RATE_LIMITS = {
    "registration": (
        env_int("RATE_LIMIT_REGISTRATIONS", 20, minimum=1),
        env_int("RATE_LIMIT_REGISTRATIONS_SECONDS", 3600, minimum=1),
    ),
    "token_login": (
        env_int("RATE_LIMIT_TOKEN_LOGINS", 60, minimum=1),
        env_int("RATE_LIMIT_TOKEN_LOGINS_SECONDS", 600, minimum=1),
    ),
    # Per client address: reset e-mails asked for, and verification e-mails sent again.
    "password_reset": (
        env_int("RATE_LIMIT_PASSWORD_RESETS", 10, minimum=1),
        env_int("RATE_LIMIT_PASSWORD_RESETS_SECONDS", 3600, minimum=1),
    ),
    "account_email": (
        env_int("RATE_LIMIT_ACCOUNT_EMAILS", 10, minimum=1),
        env_int("RATE_LIMIT_ACCOUNT_EMAILS_SECONDS", 3600, minimum=1),
    ),
    "help_request_create": (
        env_int("RATE_LIMIT_HELP_REQUESTS", 30, minimum=1),
        env_int("RATE_LIMIT_HELP_REQUESTS_SECONDS", 3600, minimum=1),
    ),
    "offer_create": (
        env_int("RATE_LIMIT_OFFERS", 60, minimum=1),
        env_int("RATE_LIMIT_OFFERS_SECONDS", 3600, minimum=1),
    ),
}
RATE_LIMIT_KEY_PREFIX = env_str("RATE_LIMIT_KEY_PREFIX", "tandem:ratelimit:")

# Health checks come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging -------------------------------------------------------------------------------

LOG_LEVEL = env_choice("LOG_LEVEL", "info", choices={"debug", "info", "warning", "error"}).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging_format.JsonLineFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# Django 5.2 warns that GDAL < 3.9 cannot block file and network access while parsing spatial
# references (gis.W001). Debian 12 ships GDAL 3.6. Tandem never hands user-supplied files or
# spatial-reference strings to GDAL: places are built from numbers (geo.services), so the
# warning does not apply; it is silenced here, on purpose, and the README says so.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Retention (docs/DATA_REGISTER.md; `manage.py purge_expired_data`): closed carers' referrals and
# referral audit rows older than this many days are deleted.
RETENTION_CLOSED_REFERRAL_DAYS = env_int("RETENTION_CLOSED_REFERRAL_DAYS", 730, minimum=1)
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 1825, minimum=1)
# The access log (audit app: who read a person's sensitive data) is purged after this many days.
# The default equals RETENTION_AUDIT_DAYS: a placeholder chosen by the project, not a legal
# period; the controller sets it (docs/DATA_REGISTER.md).
RETENTION_ACCESS_LOG_DAYS = env_int("RETENTION_ACCESS_LOG_DAYS", 1825, minimum=1)
# How the access log names the organisation coordinators read for ("Cora (Tandem), coordinator").
TANDEM_ORGANISATION_NAME = env_str("TANDEM_ORGANISATION_NAME", "Tandem")

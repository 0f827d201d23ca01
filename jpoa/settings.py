"""Settings for the JPoA portal, read from the environment (see .env.example)."""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp_constants

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --------------------------------------------------------------------------------------------
# Core
# --------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# With DEBUG on the portal still shows its own error pages; this gives Django's technical ones.
DEBUG_TECHNICAL_ERRORS = env.bool("DEBUG_TECHNICAL_ERRORS", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")  # required: fails loudly when missing
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served locally: no CDN on a closed network
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_guid",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "core",
    "countries",
    "operations",
    "cooperation",
    "reporting",
    "api",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",  # first: every log line of the request has its id
    "django.middleware.security.SecurityMiddleware",
    # Static files answer here, as WhiteNoise advises: with HSTS, nosniff and the referrer
    # policy above, without the document-only headers below (0.5 KB less on each file).
    "core.staticfiles.PortalWhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Pages gzipped (static files come compressed from WhiteNoise above). Django's own
    # mitigation of BREACH pads each answer at random; CSRF tokens are masked per answer.
    "django.middleware.gzip.GZipMiddleware",
    "jpoa.middleware.NoStoreMiddleware",  # after WhiteNoise: static files keep their long cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jpoa.middleware.OTPSessionMiddleware",  # django-otp: request.user.is_verified()
    "jpoa.middleware.RowLevelSecurityMiddleware",  # the request's user, for row-level security
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jpoa.middleware.AuditContextMiddleware",
    "jpoa.middleware.UserTimeZoneMiddleware",
    "jpoa.middleware.PortalErrorPagesMiddleware",  # after the user and time zone: the layout needs them
    "jpoa.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "jpoa.urls"
WSGI_APPLICATION = "jpoa.wsgi.application"

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
                "countries.context_processors.navigation",
            ],
        },
    },
]

# --------------------------------------------------------------------------------------------
# Database: PostgreSQL only. Without DATABASE_URL an embedded server runs under var/pgdata.
# --------------------------------------------------------------------------------------------
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
else:
    from core import embedded_db

    DATABASES = {"default": embedded_db.database_settings(VAR_DIR / "pgdata")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Row-level security (core/rls.py): the role the portal serves as (SET ROLE on every connection
# but `manage.py migrate`'s), e.g. jpoa_app; empty: it serves as the connecting user.
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="")

# --------------------------------------------------------------------------------------------
# Authentication
# --------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the cookie age then measures inactivity, not login time
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True  # htmx reads the token from the page, never from the cookie
GUARDIAN_RAISE_403 = False
GUARDIAN_AUTO_PREFETCH = False

# Two-factor authentication (django-otp; countries/two_factor.py): required for focal points,
# co-chairs, the secretariat and administrators. TWO_FACTOR_ENFORCED=false turns the requirement
# off (a development convenience only; the tests run with it on).
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="JPoA portal")
# A verified session re-reads its device at most this often (a removed device stops counting).
OTP_RECHECK_SECONDS = env.int("OTP_RECHECK_SECONDS", default=60)

# django-axes: failed logins on every authentication entry point (portal, admin, API tokens,
# the two-factor step). A username is locked at the address it failed from, after
# AXES_FAILURE_LIMIT failures; an address, for every username, only after the higher
# AXES_ADDRESS_FAILURE_LIMIT (countries/lockout.py): one attacker can neither lock an account
# everywhere nor, with a few tries, everybody behind the same address (a station's NAT).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # both together reach the first limit
AXES_HANDLER = "countries.lockout.LockoutHandler"  # adds the per-address limit
AXES_USERNAME_CALLABLE = "countries.lockout.client_username"  # any typed text fits the columns
AXES_LOCKOUT_CALLABLE = "countries.lockout.lockout_response"  # says which limit was reached
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None  # None: no proxy
if AXES_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    from django.core.exceptions import ImproperlyConfigured

    # A lower address limit would lock every account behind an address before the one tried.
    raise ImproperlyConfigured(
        f"AXES_ADDRESS_FAILURE_LIMIT ({AXES_ADDRESS_FAILURE_LIMIT}) must be at least "
        f"AXES_FAILURE_LIMIT ({AXES_FAILURE_LIMIT}).")

# --------------------------------------------------------------------------------------------
# HTTPS and security headers (production defaults whenever DEBUG is off)
# --------------------------------------------------------------------------------------------
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https" trusts that header for
# "is this request HTTPS". Set it only when the proxy always sets (or strips) the header.
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check calls plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): our own files only; no inline script or style anywhere
# (tests/test_security_settings.py scans the templates). Images may be data: URLs (the QR code
# is inline SVG markup, the favicon an empty data: URL).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}
# Permissions-Policy (django-permissions-policy): the portal uses no device feature.
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
    )
}

# --------------------------------------------------------------------------------------------
# Audit: django-pghistory triggers on every domain model; event tables are append-only
# --------------------------------------------------------------------------------------------
PGHISTORY_APPEND_ONLY = True
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object, nothing is public

# --------------------------------------------------------------------------------------------
# Internationalisation: store UTC, show each user's time zone
# --------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# English is complete; Bahasa Indonesia covers the navigation and data entry so far.
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One date and time format everywhere: "14 Oct 2015", "14 Oct 2015, 06:28" (jpoa/formats).
FORMAT_MODULE_PATH = ["jpoa.formats"]

# --------------------------------------------------------------------------------------------
# Static files
# --------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Every mode serves the hashed, compressed copies `collectstatic` makes (`make run` and the
# tests run it): a changed file gets a new name, so browsers keep each file a year without
# asking again, and WhiteNoise sends its gzip or brotli copy (core/staticfiles.py).
# STATIC_MANIFEST=false serves the files where they are, unhashed (no collectstatic needed).
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "core.staticfiles.PortalStaticFilesStorage" if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage")},
}
# Source maps are for developer tools only: not worth compressing (megabytes of them).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf",
    "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg",
    "webm", "wmv", "map",
]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# The dashboard's cache. Shared (Redis) in production so that every web process sees one copy;
# a per-process memory cache otherwise (still correct: keys carry the latest roll-up's time).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://jpoa")}
CACHES["default"].setdefault("KEY_PREFIX", "jpoa")

# --------------------------------------------------------------------------------------------
# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process
# --------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a worker, export files are made in a thread of the web process, so the export page
# shows their progress at once (the request would otherwise wait until the file is made).
EXPORT_JOBS_IN_THREAD = env.bool("EXPORT_JOBS_IN_THREAD", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "UTC"
# Edits of one country within this many seconds share one roll-up run.
ROLLUP_COALESCE_SECONDS = env.int("ROLLUP_COALESCE_SECONDS", default=2)
CELERY_BEAT_SCHEDULE = {
    "rollup-nightly-rebuild": {"task": "reporting.rollup_all",
                               "schedule": crontab(hour=1, minute=30)},
    "rollup-nightly-verify": {"task": "reporting.rollup_verify",
                              "schedule": crontab(hour=2, minute=30)},
    "exports-purge-expired": {"task": "reporting.purge_expired_exports",
                              "schedule": crontab(minute=15)},
    "access-log-purge-expired": {"task": "countries.purge_access_log",
                                 "schedule": crontab(hour=3, minute=45)},
    # Re-queue roll-ups and exports lost to a dead worker or a broker outage (it also runs
    # whenever a worker starts).
    "catch-up": {"task": "reporting.catch_up", "schedule": crontab(minute="*/5")},
}
# Debrief exports: files are deleted this many hours after they are made (the job stays, as
# the log of who exported what).
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=72)
# The public profile's threshold for new joint operations (each keeps its own): figures below it
# are hidden. 5 by default; 11 is the Counter Trafficking Data Collaborative's practice.
PUBLIC_THRESHOLD = env.int("PUBLIC_THRESHOLD", default=5)
if not 2 <= PUBLIC_THRESHOLD <= 100:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"PUBLIC_THRESHOLD must be 2 to 100; it is {PUBLIC_THRESHOLD}.")
# Plausibility limits of figures on records (operations/plausibility.py, README "Plausibility
# limits"): overrides per "<record slug>.<field>", e.g. {"arrests.count": {"hard": 5000, "soft": 30}}.
PLAUSIBILITY_LIMITS = env.json("PLAUSIBILITY_LIMITS", default={})
# The soft bound follows a country's own history once it has this many earlier records of a type:
# median + PLAUSIBILITY_MAD_FACTOR x scaled MAD (never below the configured bound).
PLAUSIBILITY_HISTORY_MINIMUM = env.int("PLAUSIBILITY_HISTORY_MINIMUM", default=10)
PLAUSIBILITY_MAD_FACTOR = env.float("PLAUSIBILITY_MAD_FACTOR", default=5.0)
# Outlier flags of a country's figures (reporting/outliers.py, README "Outlier flags"): a
# modified z-score beyond OUTLIER_SCORE flags; compared with the country's own earlier joint
# operations once it has OUTLIER_HISTORY_MINIMUM, with the region per head of population once
# OUTLIER_REGION_MINIMUM other countries have a figure and a population.
OUTLIER_SCORE = env.float("OUTLIER_SCORE", default=3.5)
OUTLIER_HISTORY_MINIMUM = env.int("OUTLIER_HISTORY_MINIMUM", default=3)
OUTLIER_REGION_MINIMUM = env.int("OUTLIER_REGION_MINIMUM", default=5)
# ...and only figures (or the figure the region's median rate gives) of at least this many.
OUTLIER_REGION_MINIMUM_COUNT = env.int("OUTLIER_REGION_MINIMUM_COUNT", default=10)
# Access log (countries.AccessEvent): entries older than this many days are purged nightly.
# At least a year, so that a year's logins and reads of sensitive records can be reviewed.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=400)
if ACCESS_LOG_RETENTION_DAYS < 365:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"ACCESS_LOG_RETENTION_DAYS must be at least 365 (a year); it is {ACCESS_LOG_RETENTION_DAYS}."
    )

# --------------------------------------------------------------------------------------------
# Backups (manage.py backup / restore)
# --------------------------------------------------------------------------------------------
# Where `manage.py backup` writes when no --output is given.
BACKUP_DIR = env("BACKUP_DIR", default=str(VAR_DIR / "backups"))
# Directory of pg_dump/pg_restore; empty: the ones matching the server's version are found.
PG_BIN_DIR = env("PG_BIN_DIR", default="")

# --------------------------------------------------------------------------------------------
# REST framework
# --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A personal token (Authorization: Bearer ...) for scripts; the session for the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserThrottle",
        "api.throttling.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="5000/hour"),
        "token": env("API_THROTTLE_TOKEN", default="3000/hour"),
        "credentials": env("API_THROTTLE_CREDENTIALS", default="60/hour"),
    },
    # The client address of per-address throttles: as for the access log (X-Forwarded-For is
    # trusted only behind that many proxies).
    "NUM_PROXIES": env.int("PROXY_COUNT", default=0),
    # JSON bodies only (the browsable API's raw-data form sends JSON too): a form-encoded body
    # cannot carry JSON's nulls, lists and numbers, so the schema would promise what it cannot.
    # A bulk upload also takes a multipart file (api/records.py).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # \u-escaped JSON: an error that quotes what was sent can never fail to encode.
    "UNICODE_JSON": False,
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.StrictFilterBackend",
        "api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
}
# A POST retried with the same Idempotency-Key within this many hours replays its response.
API_IDEMPOTENCY_TTL_HOURS = env.int("API_IDEMPOTENCY_TTL_HOURS", default=24)
SPECTACULAR_SETTINGS = {
    "TITLE": "JPoA portal API",
    "DESCRIPTION": (
        "Results of the Joint Period of Action, with the same access rules as the portal's "
        "pages: your country's records, every country's totals. Authenticate with a personal "
        "token (`Authorization: Bearer <token>`, made under *API tokens* in the portal) or "
        "your portal session. Errors always have the shape "
        "`{\"error\": {\"code\", \"message\", \"fields\"}}`. Times are in UTC."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Enums into components first; then request examples made of the caller's own ids.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.schema.request_examples_within_enums",
                             "api.schema.patch_requires_version"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CountryKindEnum": "countries.models.Country.Kind",
        "AgencyKindEnum": "countries.models.Agency.Kind",
        "FocalPointKindEnum": "countries.models.FocalPoint.Kind",
        "JointOperationStatusEnum": "operations.models.JointOperation.Status",
        "ParticipationStatusEnum": "operations.models.Participation.Status",
        "ReturnStateEnum": "operations.models.CountryReturn.State",
        "NetworkStatusEnum": "cooperation.models.Network.Status",
    },
}

# --------------------------------------------------------------------------------------------
# Logging: one JSON object per line (python-json-logger) with the request id (django-guid),
# which is also sent back as the X-Request-ID response header (a valid incoming one is kept).
# LOG_FORMAT=text gives plain lines for a developer's terminal (the default when DEBUG is on).
# --------------------------------------------------------------------------------------------
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
    "IGNORE_URLS": [],
}
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId",
                               "correlation_id_field": "request_id"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "django_guid": {"level": "WARNING"}},
}

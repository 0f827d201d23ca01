"""Settings for the JPoA portal, read from the environment (see .env.example)."""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --------------------------------------------------------------------------------------------
# Core
# --------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
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
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "countries",
    "operations",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jpoa.middleware.AuditContextMiddleware",
    "jpoa.middleware.UserTimeZoneMiddleware",
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
    from jpoa import embedded_db

    DATABASES = {"default": embedded_db.database_settings(VAR_DIR / "pgdata")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
GUARDIAN_RAISE_403 = False
GUARDIAN_AUTO_PREFETCH = False

# django-axes: lock an account out after repeated failures, on every authentication entry point.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None  # None: no proxy

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

# --------------------------------------------------------------------------------------------
# Static files
# --------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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
}
# Debrief exports: files are deleted this many hours after they are made (the job stays, as
# the log of who exported what).
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=72)

# --------------------------------------------------------------------------------------------
# REST framework
# --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A personal token (Authorization: Bearer ...) for scripts; the session for the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jpoa.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "jpoa.api.throttling.UserThrottle",
        "jpoa.api.throttling.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="5000/hour"),
        "token": env("API_THROTTLE_TOKEN", default="3000/hour"),
        "credentials": env("API_THROTTLE_CREDENTIALS", default="60/hour"),
    },
    # The client address of per-address throttles: as for the access log (X-Forwarded-For is
    # trusted only behind that many proxies).
    "NUM_PROXIES": env.int("PROXY_COUNT", default=0),
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # \u-escaped JSON: an error that quotes what was sent can never fail to encode.
    "UNICODE_JSON": False,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "jpoa.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "jpoa.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "jpoa.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "jpoa.api.schema.AutoSchema",
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
    },
}

# --------------------------------------------------------------------------------------------
# Logging
# --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

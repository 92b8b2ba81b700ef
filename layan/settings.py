"""Layan settings, read from the environment only (see docs/OPERATIONS.md for every variable).

Modes (LAYAN_MODE):
- ``demo``       — ``make run``: embedded SQLite, local memory cache, filesystem Celery broker, demo
                   accounts allowed, a banner on every page.
- ``test``       — the test suite (layan/settings_test.py sets it).
- ``production`` — refuses to start without a real SECRET_KEY and field keys; passes ``check --deploy``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LAYAN_VAR_DIR", BASE_DIR / "var"))

MODE = os.environ.get("LAYAN_MODE", "demo").strip().lower()
if MODE not in {"demo", "test", "production"}:
    raise ImproperlyConfigured(f"LAYAN_MODE must be demo, test or production, not {MODE!r}")
PRODUCTION = MODE == "production"
DEMO_MODE = MODE == "demo"
TESTING = MODE == "test"


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required in {MODE} mode")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


# --- secrets -----------------------------------------------------------------------------------------
_INSECURE_SECRET = "layan-demo-insecure-secret-key-not-for-production-use-0123456789"
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == _INSECURE_SECRET:
        raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _INSECURE_SECRET


def _derived_fernet_key(purpose: str) -> str:
    digest = hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# Personal-data encryption: LAYAN_FIELD_KEYS is a comma-separated list of Fernet keys, newest first.
# Values are encrypted with the first and decrypted with any (rotation: docs/OPERATIONS.md).
# LAYAN_HASH_KEY keys the HMAC used to look a NIK/KK up without decrypting.
if PRODUCTION:
    LAYAN_FIELD_KEYS = env_list("LAYAN_FIELD_KEYS")
    if not LAYAN_FIELD_KEYS:
        raise ImproperlyConfigured("LAYAN_FIELD_KEYS is required in production")
    LAYAN_HASH_KEY = env_str("LAYAN_HASH_KEY")
else:
    LAYAN_FIELD_KEYS = env_list("LAYAN_FIELD_KEYS") or [_derived_fernet_key("field")]
    LAYAN_HASH_KEY = os.environ.get("LAYAN_HASH_KEY") or _derived_fernet_key("hash")

DEBUG = env_bool("DEBUG", False) if not PRODUCTION else False
if PRODUCTION and env_bool("DEBUG", False):
    raise ImproperlyConfigured("DEBUG cannot be on in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- applications -------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "layan.core",
    "layan.regions",
    "layan.org",
    "layan.accounts",
    "layan.attendance",
    "layan.performance",
    "layan.complaints",
    "layan.aid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "layan.core.middleware.DefaultLanguageMiddleware",  # Indonesian unless switched (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "layan.core.middleware.RequestContextMiddleware",
    "layan.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "layan.urls"
WSGI_APPLICATION = "layan.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "layan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "layan.core.context_processors.layan",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'layan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("LAYAN_TEST_DB") or None}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Optional read replica for dashboards (docs/OPERATIONS.md); selectors opt in with .using("replica").
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, jobs --------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required in production")
if REDIS_URL:
    # Django's Redis backend, reusing its redis.Redis client (layan/core/cache.py).
    CACHES = {"default": {"BACKEND": "layan.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "layan"}}
    # The embedded default needs no server: Celery's filesystem transport (folders under var/).
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery"
    for _folder in ("queue", "processed", "control"):  # the transport expects its folders to exist
        (_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = TESTING and not env_bool("LAYAN_TEST_REAL_BROKER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- auth and security --------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests check; argon2 is still the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "layan.accounts.validators.DemoPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "layan.accounts.backends.NipOrUsernameBackend",
]
# Offices share one public IP: lock the username+IP pair, never a whole office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders that template for pages and the API error format under /api/ (layan.accounts.lockout).
AXES_LOCKOUT_CALLABLE = "layan.accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool("LAYAN_BEHIND_PROXY", False) else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Layan"
# Lifetime of a mobile-client API token (days).
LAYAN_API_TOKEN_DAYS = env_int("LAYAN_API_TOKEN_DAYS", 30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
CSRF_FAILURE_VIEW = "layan.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No request leaves the app for a third-party host. Map tiles are the one configurable exception.
LAYAN_MAP_TILE_URL = os.environ.get("LAYAN_MAP_TILE_URL", "/static/layan/tiles/{z}/{x}/{y}.png")
_tile_host = os.environ.get("LAYAN_MAP_TILE_HOST", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *([_tile_host] if _tile_host else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# --- i18n ---------------------------------------------------------------------------------------------
# UI strings are written in Bahasa Indonesia (the users' language) and translated to English.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "layan" / "locale"]
USE_I18N = True
USE_TZ = True
# The kabupaten's own zone; units elsewhere use the zone of their region (layan.core.calendar).
TIME_ZONE = os.environ.get("LAYAN_TIME_ZONE", "Asia/Makassar")
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab hours are the kabupaten's local hours
LAYAN_REGION_CODE = os.environ.get("LAYAN_REGION_CODE", "72.01")
# The letterhead of every printed document (layan/core/pdf.py).
LAYAN_GOVERNMENT_NAME = os.environ.get("LAYAN_GOVERNMENT_NAME", "Pemerintah Kabupaten Banggai")
LAYAN_REGION_NAME = os.environ.get("LAYAN_REGION_NAME", "Kabupaten Banggai")

# --- static and media ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
if not PRODUCTION:
    # WhiteNoise serves from the finders outside production but expects the folder to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end libraries come from npm (package.json) and are served by the app, never from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "layan" / "static", ("vendor", NODE_MODULES)]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
_storage_backend = os.environ.get("LAYAN_STORAGE", "local")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if _storage_backend == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LAYAN_MAX_IMAGE_BYTES = env_int("LAYAN_MAX_IMAGE_BYTES", 5 * 1024 * 1024)
LAYAN_MAX_IMPORT_BYTES = env_int("LAYAN_MAX_IMPORT_BYTES", 50 * 1024 * 1024)
LAYAN_MAX_VIDEO_BYTES = env_int("LAYAN_MAX_VIDEO_BYTES", 20 * 1024 * 1024)
LAYAN_MAX_VIDEO_SECONDS = env_int("LAYAN_MAX_VIDEO_SECONDS", 60)

# --- email --------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Layan <layan@localhost>")

# --- complaints: channels (each adapter answers 404 until its secret is set) and limits --------------
LAYAN_PUBLIC_URL = os.environ.get("LAYAN_PUBLIC_URL", "")  # links in e-mails and share pages
LAYAN_WHATSAPP_APP_SECRET = os.environ.get("LAYAN_WHATSAPP_APP_SECRET", "")
LAYAN_WHATSAPP_VERIFY_TOKEN = os.environ.get("LAYAN_WHATSAPP_VERIFY_TOKEN", "")
LAYAN_WHATSAPP_TOKEN = os.environ.get("LAYAN_WHATSAPP_TOKEN", "")
LAYAN_WHATSAPP_PHONE_ID = os.environ.get("LAYAN_WHATSAPP_PHONE_ID", "")
LAYAN_META_APP_SECRET = os.environ.get("LAYAN_META_APP_SECRET", "")
LAYAN_META_VERIFY_TOKEN = os.environ.get("LAYAN_META_VERIFY_TOKEN", "")
LAYAN_COMPLAINTS_EMAIL_WEBHOOK_KEY = os.environ.get("LAYAN_COMPLAINTS_EMAIL_WEBHOOK_KEY", "")
LAYAN_COMPLAINTS_IMAP_HOST = os.environ.get("LAYAN_COMPLAINTS_IMAP_HOST", "")
LAYAN_COMPLAINTS_IMAP_USER = os.environ.get("LAYAN_COMPLAINTS_IMAP_USER", "")
LAYAN_COMPLAINTS_IMAP_PASSWORD = os.environ.get("LAYAN_COMPLAINTS_IMAP_PASSWORD", "")
LAYAN_COMPLAINTS_IMAP_FOLDER = os.environ.get("LAYAN_COMPLAINTS_IMAP_FOLDER", "INBOX")
LAYAN_SMS_AUTH_TOKEN = os.environ.get("LAYAN_SMS_AUTH_TOKEN", "")
LAYAN_SMS_ACCOUNT_SID = os.environ.get("LAYAN_SMS_ACCOUNT_SID", "")
LAYAN_SMS_FROM = os.environ.get("LAYAN_SMS_FROM", "")
LAYAN_SMS_WEBHOOK_URL = os.environ.get("LAYAN_SMS_WEBHOOK_URL", "")
LAYAN_SMS_API_BASE = os.environ.get("LAYAN_SMS_API_BASE", "")
LAYAN_TWITTER_BEARER_TOKEN = os.environ.get("LAYAN_TWITTER_BEARER_TOKEN", "")
LAYAN_TWITTER_USER_ID = os.environ.get("LAYAN_TWITTER_USER_ID", "")
LAYAN_OPEN311_CONTACT = os.environ.get("LAYAN_OPEN311_CONTACT", "")
LAYAN_OPEN311_KEY_SERVICE = os.environ.get("LAYAN_OPEN311_KEY_SERVICE", "")
LAYAN_COMPLAINTS_MODEL_PATH = os.environ.get("LAYAN_COMPLAINTS_MODEL_PATH", "")
LAYAN_COMPLAINTS_PER_IP_HOUR = env_int("LAYAN_COMPLAINTS_PER_IP_HOUR", 10)
# Aid handovers recorded offline: how far a phone clock may run ahead, how long a record may wait.
LAYAN_AID_DEVICE_CLOCK_SKEW_MINUTES = env_int("LAYAN_AID_DEVICE_CLOCK_SKEW_MINUTES", 10)
LAYAN_AID_DEVICE_TIME_MAX_DELAY_DAYS = env_int("LAYAN_AID_DEVICE_TIME_MAX_DELAY_DAYS", 14)
LAYAN_COMPLAINTS_PER_CONTACT_DAY = env_int("LAYAN_COMPLAINTS_PER_CONTACT_DAY", 5)
LAYAN_COMPLAINTS_LOOKUPS_PER_10_MIN = env_int("LAYAN_COMPLAINTS_LOOKUPS_PER_10_MIN", 30)
LAYAN_COMPLAINTS_MIN_RANK_VOLUME = env_int("LAYAN_COMPLAINTS_MIN_RANK_VOLUME", 10)
# Daily work reports: staff without a report by this local hour (their unit's zone) get a reminder;
# supervisors get one for reports waiting more than this many working days.
LAYAN_PERFORMANCE_REPORT_REMINDER_HOUR = env_int("LAYAN_PERFORMANCE_REPORT_REMINDER_HOUR", 15)
LAYAN_PERFORMANCE_REVIEW_REMINDER_DAYS = env_int("LAYAN_PERFORMANCE_REVIEW_REMINDER_DAYS", 3)

# --- API ----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "layan.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "layan.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "layan.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Layan API",
    "DESCRIPTION": "REST API of Layan. Errors share one format: {code, message, fields}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a "kind" choice set; name each enum after its model (modules may add theirs).
    "ENUM_NAME_OVERRIDES": {
        "EmployeeKindEnum": "layan.org.models.Employee.Kind",
        "UnitKindEnum": "layan.org.models.Unit.Kind",
        "PositionKindEnum": "layan.org.models.Position.Kind",
        "CheckInKindEnum": "layan.attendance.models.CheckIn.Kind",
        "CaseKindEnum": "layan.complaints.models.Kind",
        "DailyReportStatusEnum": "layan.performance.models.DailyReport.Status",
        "DailyReportModeEnum": "layan.performance.models.DailyReport.Mode",
        "ModeEnum": "layan.attendance.models.WorkMode",  # keeps its name beside DailyReportModeEnum
        "SkpStatusEnum": "layan.performance.models.Skp.Status",
        "RatingEnum": "layan.performance.models.Rating",
        "EvaluationKindEnum": "layan.performance.models.Evaluation.Kind",
    },
}

# --- logging (structured JSON lines) ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

LAYAN_DEMO_BANNER = DEMO_MODE
ADMINS = [("Layan", a) for a in env_list("LAYAN_ADMIN_EMAILS")]

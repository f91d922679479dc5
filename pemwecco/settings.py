"""Settings of the PEM platform, read from environment variables.

With nothing set, the platform runs on a laptop: SQLite, debug on, console e-mail, local private
media and an embedded Celery broker (kombu's filesystem transport). Production behaviour is switched
on by variables (DATABASE_URL, CELERY_BROKER_URL / REDIS_URL, AWS_STORAGE_BUCKET_NAME, ...), never
by a second settings file.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Debug is on for a laptop; production turns it off and must then bring its own SECRET_KEY.
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (production).")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105
PRODUCTION = not DEBUG

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base of the links in e-mails. `make demo` serves on $PORT: links follow it unless SITE_URL is set.
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{env.int('PORT', default=8000)}")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, which it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "import_export",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "partners",
    "cohorts",
    "coaching",
    "mobility",
    "reporting",
    # Last: deletes a file from storage once its row is deleted or its field given another file.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Cookie from the FR/EN switcher, else the user's preference, else French (not Accept-Language).
    "accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Staff, evaluators and the committee give a one-time code before any other page (after language).
    "accounts.middleware.MfaRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]
# The demo runs with DEBUG on (runserver serves the files, e-mails go to the console) but shows the
# project's own 404 and 500 pages, never Django's technical ones: scripts/run_demo.sh sets this.
FRIENDLY_ERROR_PAGES = env.bool("FRIENDLY_ERROR_PAGES", default=False)
if DEBUG and FRIENDLY_ERROR_PAGES:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("accounts.middleware.PreferredLanguageMiddleware") + 1, "core.middleware.FriendlyErrorPagesMiddleware"
    )

ROOT_URLCONF = "pemwecco.urls"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "pemwecco.wsgi.application"

# Database: a SQLite file by default, PostgreSQL (or anything dj-database-url style) from DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker share the file in `make demo`, and a workshop logs in all at once: WAL lets
    # readers work while one writer writes, IMMEDIATE takes the write lock at BEGIN (so a transaction never
    # fails half-way on a lock upgrade, which SQLite cannot wait for), and the busy timeout makes writers
    # queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Requests then wait for each other in the process, up to the busy timeout (then a plain 503), rather than
    # on SQLite's busy handler (core.middleware.SqliteOneRequestAtATimeMiddleware: "database is locked" under load otherwise).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "core.middleware.SqliteOneRequestAtATimeMiddleware"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Multi-factor authentication (django-otp: TOTP apps, plus single-use recovery codes) ---------------
# Required for the roles that see personal or evaluation data across the programme (accounts.access).
MFA_ENFORCED = env.bool("MFA_ENFORCED", default=True)
MFA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="PEM")
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next try (1 s, 2 s, 4 s...)
OTP_STATIC_THROTTLE_FACTOR = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
# Texts people write (evaluation findings, indicator names, criteria, calls...) are kept in both languages
# by django-modeltranslation (`<field>_fr`, `<field>_en`). Pages show them through core.bilingual, which marks a
# text shown in the other language; the fallback below only keeps code that reads `<field>` from seeing "".
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en")}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates with the month written out and the day first, in French and in English (pemwecco/formats/).
FORMAT_MODULE_PATH = ["pemwecco.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Dakar")
USE_I18N = True
USE_TZ = True

# Static files are vendored under static/ and served by WhiteNoise: no CDN, no internet at runtime.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Files: personal data (passports, ID documents, application documents) lives in the *private*
# storage, which no URL serves; views that check permission stream it. Reports go there too.
# Local folders in single-host mode; S3-compatible object storage when a bucket is configured, so
# that several web hosts and workers share the files.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
        "file_overwrite": False,
    }
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3_options, "location": "public"}},
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3_options, "location": "private", "default_acl": "private", "querystring_auth": True},
        },
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
        },
    }
STORAGES["staticfiles"] = {
    "BACKEND": env.str(
        "STATICFILES_BACKEND",
        default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    )
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Key for encrypted personal data fields (passport numbers). Comma-separated Fernet keys, newest
# first, allow rotation. When unset on a laptop, one key is derived from SECRET_KEY; production must set
# its own, so that rotating SECRET_KEY never makes passport numbers unreadable.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if PRODUCTION and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off "
        "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
    )

# E-mail: printed to the console locally; SMTP from EMAIL_URL (smtp://user:pass@host:587) when set.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL"):
    if _key in _email:
        globals()[_key] = _email[_key]
# A hung SMTP server fails the sending attempt (recorded on the e-mail's row, retried) instead of hanging.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=5)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PEM <noreply@pem.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache: files by default, Redis when REDIS_URL is set (shared by all hosts).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Bounded: a hung Redis costs a request at most these seconds, never a dead web worker. While Redis is
    # down or restarting the cache acts as an empty one (core.cache): pages compute, never answer 500.
    _redis_timeout = env.float("REDIS_SOCKET_TIMEOUT", default=2)
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": _redis_timeout, "socket_connect_timeout": _redis_timeout},
        }
    }
else:
    # Without Redis, files in a project folder: shared by runserver, gunicorn's workers and the embedded Celery
    # worker, which must agree on the data version (core.data_version) and on the login throttling counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(env.path("CACHE_DIR", default=BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Cached results derived from the data (the indicators) are keyed by the data version; this bounds how long
# one may live if a new version was ever missed (the cache unreachable at the moment of a commit).
DATA_VERSION_RESULT_SECONDS = env.int("DATA_VERSION_RESULT_SECONDS", default=600)

# Celery: an embedded filesystem broker by default (no service needed), Redis when configured.
CELERY_BROKER_DIR = env.path("CELERY_BROKER_DIR", default=BASE_DIR / ".celery-broker")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
# Redis transport (named without the CELERY_ prefix so that tests can apply it to a Redis URL of their own).
BROKER_REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2),
    "socket_connect_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2),
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("out", "processed", "control"):
        Path(CELERY_BROKER_DIR, _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(Path(CELERY_BROKER_DIR, "out")),
        "data_folder_out": str(Path(CELERY_BROKER_DIR, "out")),
        "processed_folder": str(Path(CELERY_BROKER_DIR, "processed")),
        "store_processed": False,
        "control_folder": str(Path(CELERY_BROKER_DIR, "control")),
        # The worker looks at the folder again this long after finding nothing to take, which includes the
        # moment it has just finished a task (one at a time: prefetch 1): kombu's 1 s default made the
        # embedded worker run at most one job a second, so that with 10 people at once (bench/load.py) a
        # report waited over two minutes behind the e-mails queued before it. A folder listing costs little.
        "polling_interval": env.float("CELERY_BROKER_POLLING_INTERVAL", default=0.1),
    }
else:
    # Redis re-delivers an unacknowledged task after this many seconds; it must exceed the longest job.
    # Lost jobs are taken over by the job heartbeat (core.jobs), not by this redelivery: it only has to
    # exceed the longest job. Socket timeouts bound a hung broker (accepting, never answering).
    CELERY_BROKER_TRANSPORT_OPTIONS = BROKER_REDIS_TRANSPORT_OPTIONS
# Handing a job to the broker from a request gives up within a few seconds (the job row stays queued
# with a visible reason and is sent again later): connection timeout and a bounded publish retry.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2)
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Job status lives in our own models (ReportJob...), so results are not needed for the UI.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# The queue jobs go to and workers read (one per deployment; tests use their own).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TIMEZONE = TIME_ZONE
# Reliable jobs: acknowledge after the work, give the job back if the worker dies, one at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Long enough for a large PDF, short enough that a stuck job frees the worker.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
# A job whose worker loses the broker connection is cancelled and redelivered, not run twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Periodic work: run `celery -A pemwecco beat` on exactly one host (make demo embeds it in its worker).
# Report jobs, e-mails and imports left queued while the broker was unreachable are sent again; sending
# twice is harmless because each job is claimed with a conditional update.
# Background jobs (core.jobs): a running job writes a heartbeat every JOB_HEARTBEAT_SECONDS; without one
# for JOB_STALE_SECONDS (default 3 heartbeats) it is taken over. Every worker scans for lost jobs each
# JOB_SCAN_SECONDS (default 2/3 heartbeat), beat too: takeover within stale + scan (110 s by default).
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=30)
JOB_STALE_SECONDS = env.float("JOB_STALE_SECONDS", default=3 * JOB_HEARTBEAT_SECONDS)
JOB_SCAN_SECONDS = env.float("JOB_SCAN_SECONDS", default=2 * JOB_HEARTBEAT_SECONDS / 3)
JOB_REQUEUE_SECONDS = env.float("JOB_REQUEUE_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "jobs-requeue": {"task": "core.jobs_requeue", "schedule": JOB_SCAN_SECONDS},
    # Coaches' weekly reminder, Monday morning (sent once per coach and week even if beat fires twice).
    "coach-digests": {"task": "coaching.coach_digests_send", "schedule": crontab(minute=0, hour=7, day_of_week=1)},
    # Personal data past its retention period, and expired exports: one job a day (idempotent).
    "retention": {"task": "mobility.retention_schedule", "schedule": 6 * 3600},
    # Spreadsheets checked but never confirmed (cohorts.services.staff.PENDING_IMPORT_KEPT: one day).
    "pending-import-files-purge": {"task": "cohorts.pending_import_files_purge", "schedule": 3600},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(
    env.path("CELERY_BEAT_SCHEDULE_FILENAME", default=BASE_DIR / ".celery-broker" / "beat-schedule")
)

# --- Personal data: retention of visa documents, exports of a person's data -------------------------
#: Passport number and scan and the visa file's documents are deleted this many days after the return
#: from the trip (the last one), or after a visa refusal.
RETENTION_DAYS_AFTER_RETURN = env.int("RETENTION_DAYS_AFTER_RETURN", default=90)
RETENTION_DAYS_AFTER_REFUSAL = env.int("RETENTION_DAYS_AFTER_REFUSAL", default=90)
# The visa board flags a file as late when the consulate has not decided this many days after the
# submission, and when the trip departs within this many days and the visa is not granted.
VISA_DECISION_LATE_DAYS = env.int("VISA_DECISION_LATE_DAYS", default=30)
VISA_TRAVEL_SOON_DAYS = env.int("VISA_TRAVEL_SOON_DAYS", default=14)
#: A person's data export stays downloadable this long.
PERSONAL_EXPORT_DAYS = env.int("PERSONAL_EXPORT_DAYS", default=7)

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# History: who changed what, when.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Admin exports: see EXPORT_FORMATS in the account-safety block below.

# Security switches that production turns on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# HSTS on by default in production (one year); SECURE_HSTS_SECONDS=0 turns it off (e.g. while trying TLS out).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# ---- Headers and sessions ([6] item 5) ---------------------------------------------------------------------
# Content-Security-Policy (django-csp 4): scripts only from our own static files, no inline script, no eval;
# styles keep 'unsafe-inline' (style="" attributes in crispy, admin and the server-drawn SVG charts, htmx's
# indicator style). Views that set their own policy (documents served sandboxed) keep theirs: the
# middleware never replaces an existing header.
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons (menu, select arrow) as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy on every response and `Cache-Control: no-store` on every page of a logged-in user and
# on the login and password pages (core.middleware.SecurityHeadersMiddleware).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1, "core.middleware.SecurityHeadersMiddleware"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
NO_STORE_URL_NAMES = [
    "accounts:login",
    "admin:login",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "accounts:signup",
    "accounts:signup_verify",
]
# Sessions: logged out after SESSION_IDLE_SECONDS without a request (staff, evaluators and the committee:
# SESSION_IDLE_SECONDS_SENSITIVE), and SESSION_MAX_AGE_SECONDS after logging in whatever the activity
# (accounts.middleware.SessionTimeoutMiddleware, after the messages middleware: it leaves a message).
SESSION_IDLE_SECONDS_SENSITIVE = env.int("SESSION_IDLE_SECONDS_SENSITIVE", default=30 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_MAX_AGE_SECONDS = env.int("SESSION_MAX_AGE_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1, "accounts.middleware.SessionTimeoutMiddleware"
)
# Password-reset links are valid one hour; sign-up verification links three days (accounts.services.VERIFICATION_DAYS).
PASSWORD_RESET_TIMEOUT = 3600
# ---- end of headers and sessions ----------------------------------------------------------------------------

# ---- Backups ([6] item 7): `make backup` writes here (core.backups); the keys are never in a backup. --------
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --------------------------------------------------------------------------------------------------
# Account safety ([6] items 1, 2 and 4): NUL in URLs, sign-up, throttling. Kept in one block.
# --------------------------------------------------------------------------------------------------
# A NUL character in a query string is a 400, never a database error (a 500 on PostgreSQL). After the
# language is chosen, so that the 400 page (templates/400.html) is in the reader's language.
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.middleware.PreferredLanguageMiddleware") + 1, "core.middleware.RejectNulCharactersMiddleware"
)
# Sign-up, new link and password reset answer no sooner than this after the request (accounts/throttling.py):
# the same time whether the address has an account or not. Above the slowest branch, measured ~50 ms.
ACCOUNT_EMAIL_ANSWER_SECONDS = env.float("ACCOUNT_EMAIL_ANSWER_SECONDS", default=0.4)
# Sign-ups whose verification link expired unopened are deleted (accounts.services.signups_expire).
CELERY_BEAT_SCHEDULE["accounts-signups-expire"] = {"task": "accounts.signups_expire", "schedule": 3600}
# Login throttling (django-axes): five wrong passwords for one account from one client address lock that
# combination for 15 minutes. Locking the combination, not the account, means that somebody else cannot
# lock a person out from elsewhere; a failure during the lockout does not prolong it. Log lines name
# accounts and addresses by pseudonyms (accounts/throttling.py).
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes asks
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_CLIENT_STR_CALLABLE = "accounts.throttling.client_str"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# And one client address trying many accounts (password spraying) is locked past this many failures.
AXES_HANDLER = "accounts.login_throttling.ThrottlingHandler"
LOGIN_FAILURE_LIMIT_PER_CLIENT = env.int("LOGIN_FAILURE_LIMIT_PER_CLIENT", default=30)
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful login with its address and browser
AXES_ENABLE_ADMIN = False  # staff release a lockout with `manage.py axes_reset_username`
# Admin exports (django-import-export) escape every text cell like the staff pages' exports, through the
# formats of core.admin_exports.SafeExportMixin: the library's own option only drops one leading "=".
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Invitations to Belgian companies: reminders 3 and 7 days after sending while unanswered (each claimed by a
# conditional UPDATE, so sent once even when beat fires twice).
CELERY_BEAT_SCHEDULE["invitations-remind"] = {"task": "mobility.invitations_remind", "schedule": 3600}

# Follow-up check-ins ([9]): schedule what completed trips lack, send questionnaires and weekly reminders
# (each step claimed by a conditional UPDATE: never sent twice), every hour so a failure is retried soon.
CELERY_BEAT_SCHEDULE["follow-up-check-ins"] = {"task": "mobility.check_ins_daily", "schedule": 3600}

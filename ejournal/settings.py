"""Settings, read from the environment only (12-factor).

With nothing set: SQLite in ./data, Celery in eager mode, mail to the console. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, HTTPS=true and EMAIL_URL (see docker-compose.yml).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DATA_DIR = Path(env("DATA_DIR", default=str(BASE_DIR / "data")))
DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env("SECRET_KEY", default="")
    if key:
        return key
    # No key given: keep a random one in the data folder, so that a demo or a developer needs no set-up and
    # sessions survive restarts. Production passes SECRET_KEY explicitly.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


# --- Database -------------------------------------------------------------------------------------------------
def _database(variable: str = "DATABASE_URL") -> dict:
    raw = os.environ.get(variable)
    if raw is None:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        raw = f"sqlite:///{DATA_DIR / 'ejournal.sqlite3'}"
    hint = "ожидается postgres://пользователь:пароль@сервер:порт/база или sqlite:///путь"
    raw = raw.strip()
    if not raw:
        raise ImproperlyConfigured(f"{variable} задан, но пуст ({hint}).")
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as e:
        raise ImproperlyConfigured(f"{variable} не разобран: {e} ({hint}).") from None
    scheme = parts.scheme.lower()
    if scheme in ("postgres", "postgresql", "pgsql"):
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(f"В {variable} не указано имя базы данных ({hint}).")
    elif scheme == "sqlite":
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(f"В {variable} не указан путь к файлу SQLite ({hint}).")
    else:
        raise ImproperlyConfigured(f"{variable}: неизвестная СУБД «{parts.scheme or raw}» ({hint}).")
    config = env.db_url_config(raw)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
        # Behind PgBouncer in transaction mode (docs/scaling.md) a server connection is ours for one transaction
        # only: no server-side cursors (`.iterator()` would lose its cursor at the commit), and no prepared
        # statements kept between transactions (Debian 12's PgBouncer 1.18 cannot carry them).
        pool_mode = env.str("DATABASE_POOL_MODE", default="session")
        if pool_mode not in ("session", "transaction"):
            raise ImproperlyConfigured(f"DATABASE_POOL_MODE: «{pool_mode}», ожидается session или transaction.")
        config["DISABLE_SERVER_SIDE_CURSORS"] = pool_mode == "transaction"
        if env.bool("DB_PREPARED_STATEMENTS", default=pool_mode == "session"):
            # Server-side binding lets psycopg prepare the statements a page repeats (session, user, memberships):
            # PostgreSQL then skips parsing them. Turn off behind a pooler that cannot keep them.
            # Each execution is still planned for its own values: after five runs PostgreSQL may switch a prepared
            # statement to one generic plan, blind to which filters are empty, and the change log's page went from
            # 40 ms to 2 s at its sixth view (bench `change_report_school`). JIT compiling pays off only for long
            # analytic queries, which a page never runs; it added tens of milliseconds to the reports' SQL.
            config["OPTIONS"] = {
                "server_side_binding": True,
                "prepare_threshold": 2,
                "options": "-c plan_cache_mode=force_custom_plan -c jit=off",
            }
    else:
        # The demo's SQLite: WAL lets the page read while a task writes; IMMEDIATE avoids "database is locked"
        # on upgrade from a read to a write transaction.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": _database()}
if os.environ.get("REPLICA_DATABASE_URL"):
    # The report pages read from a streaming replica (ejournal/db_router.py); the tests use `default` in its place.
    DATABASES["replica"] = _database("REPLICA_DATABASE_URL") | {"TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["ejournal.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Applications ---------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "ejournal",
    "accounts",
    "schedule",
    "attendance",
    "gradebook",
    "diary",
    "messaging",
    "portfolio",
    "documents",
    "calendars",
    "api",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below) on every answer but a PDF.
    "ejournal.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ejournal.middleware.SchoolLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SchoolMiddleware",
    # Shared classroom computers: a session idle longer than the school allows ends (issue 10 item 5).
    "accounts.middleware.IdleSessionMiddleware",
    # Every file a signed-in person downloads gets an audit entry (issue 10 item 2).
    "audit.log.DownloadLogMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]
if "replica" in DATABASES:
    # Tells the router which pages are reports (ejournal/db_router.py).
    MIDDLEWARE.append("ejournal.db_router.ReplicaReadsMiddleware")

ROOT_URLCONF = "ejournal.urls"
WSGI_APPLICATION = "ejournal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ejournal.context_processors.navigation",
                "messaging.context_processors.unread_messages",
            ],
        },
    },
]


# --- Authentication and permissions ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.StaffModelBackend",
    "accounts.backends.GuardianBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Guardian's own backend is wrapped (accounts.backends.GuardianBackend), which its start-up check cannot see.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
# Guardian: no anonymous user row; object permissions are only for explicit grants (a substitute, a temporary access).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes. A school's pupils often share one public IP (the school's NAT): locking the IP alone would lock the
# whole school after one pupil's typos, so the lock is on the pair (login, IP).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None


# --- Internationalisation -------------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True


# --- Static and media -----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Uploaded files (homework files, scans of documents) are personal data: MEDIA_URL is never served as it is, only
# through views that ask the permission layer and answer with an attachment. The largest file one may upload:
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=10) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Without a collected STATIC_ROOT (the demo, the tests), serve straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_ROOT.is_dir()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


# --- Cache, Celery, mail --------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# No broker: run tasks in the caller (the demo). With Redis, a worker runs them unless eager mode is forced.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Each school's daily digest of marks goes at its own hour in its own time zone: the job looks every hour.
    "diary-mark-digests": {"task": "diary.tasks.mark_digests_send", "schedule": crontab(minute=0)},
    # SMS deferred by quiet hours or by a failed attempt's back-off go when due (R-I07).
    "diary-sms-due": {"task": "diary.tasks.sms_send_due", "schedule": crontab(minute="*/5")},
    # The weekly summary sheets for families who opted out: Monday at each school's hour, in its time zone.
    "reports-weekly-sheets": {"task": "reports.tasks.weekly_sheets_due", "schedule": crontab(minute=5)},
    # The audit log's entries older than each school's retention go once a night (issue 10 item 2).
    "audit-log-purge": {"task": "audit.tasks_log.audit_log_purge", "schedule": crontab(hour=3, minute=20)},
    # The nightly backup into BACKUP_DIR and BACKUP_MIRROR_DIR (issue 10 item 4; R-K02, R-K03); only logs when unset.
    "audit-backup": {"task": "audit.tasks_backup.backup_nightly", "schedule": crontab(hour=2, minute=40)},
}
# Backups (audit/backup.py, README "Backups"): the nightly task writes into BACKUP_DIR and copies into
# BACKUP_MIRROR_DIR, which should be another disk or a mount of another machine (seed 003: two separate media);
# each keeps its newest BACKUP_KEEP. Unset: no nightly backup (`manage.py backup DIR` still works).
BACKUP_DIR = env.str("BACKUP_DIR", default="")
BACKUP_MIRROR_DIR = env.str("BACKUP_MIRROR_DIR", default="")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
if EMAIL_CONFIG.get("EMAIL_FILE_PATH") and env.str("EMAIL_URL", default="").startswith("filemail:///"):
    # django-environ drops the leading slash of filemail:///abs/path.
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = "/" + EMAIL_CONFIG["EMAIL_FILE_PATH"].lstrip("/")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ejournal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS to families (R-I07, diary/sms.py): the backend (console for the demo, diary.sms.HttpBackend for the SMSC.ru
# gateway), the gateway's address and account (an empty login sends the password as the API key), the sender name
# registered with the gateway, the request's timeout, and how many attempts before an SMS is failed.
SMS_BACKEND = env.str("SMS_BACKEND", default="diary.sms.ConsoleBackend")
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="https://smsc.ru/sys/send.php")
SMS_HTTP_LOGIN = env.str("SMS_HTTP_LOGIN", default="")
SMS_HTTP_PASSWORD = env.str("SMS_HTTP_PASSWORD", default="")
SMS_SENDER = env.str("SMS_SENDER", default="")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10.0)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
# The portal's address as families reach it (https://journal.school.ru/): the links in emails sent by workers,
# which have no request to take it from. Empty: emails carry no links.
PORTAL_URL = env.str("PORTAL_URL", default="")
# The calendar feed (calendars/): the weeks it spans around today, and the domain of its events' UIDs, which
# calendar apps use to recognise an event they already have (never change it on a live server).
CALENDAR_WEEKS_BACK = env.int("CALENDAR_WEEKS_BACK", default=2)
CALENDAR_WEEKS_AHEAD = env.int("CALENDAR_WEEKS_AHEAD", default=8)
CALENDAR_UID_DOMAIN = env.str("CALENDAR_UID_DOMAIN", default="ejournal")


# --- The diary API (api/, issue 12 item 5) ----------------------------------------------------------------------
# Families' apps read the diary with a key from the profile page (Bearer); the site's session works too, for the
# documentation's links. JSON only: the browsable API would need scripts our Content-Security-Policy refuses.
# Rate limits per key (per person for a session), counted in the default cache (Redis; locmem in the demo).
API_RATE_MINUTE = env.str("API_RATE_MINUTE", default="60/min")
API_RATE_DAY = env.str("API_RATE_DAY", default="2000/day")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerMinute", "api.throttling.PerDay"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API электронного дневника",
    "DESCRIPTION": (
        "Чтение электронного дневника для семейных приложений: неделя с уроками, темами, домашними заданиями, "
        "отметками и пропусками; отметки по предметам со средним и средневзвешенным баллом; домашние задания; "
        "посещаемость; отметки за периоды. Только чтение и ровно то, что владелец ключа видит в дневнике. Ключ "
        "создаётся в профиле и передаётся в заголовке «Authorization: Bearer <ключ>»."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Security (production sets HTTPS=true behind a TLS-terminating proxy) ------------------------------------
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
# The containers' health checks speak plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: htmx gets the token from <body hx-headers>, journal.js from the grid's
# data-csrf attribute. So the cookie can be out of scripts' reach too.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
# Sessions read from the cache (Redis in production) and written through to the database: one query less a page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
# Scripts and styles only from our static files (htmx included): no inline script, no inline event handler, no
# style attribute, no eval (htmx is told so in base.html's htmx-config). tests/ejournal/test_csp.py keeps the
# templates that way.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

if env.bool("FAST_PASSWORD_HASHER", default=False):
    # Tests and the benchmark create thousands of users; never set in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

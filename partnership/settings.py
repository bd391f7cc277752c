"""Settings of the IT Partnership Portal, grouped by concern.

Every value comes from the environment, with a typed default that suits a laptop (SQLite and a
Celery broker on the file system). `.env` is read first, so every variable below, PORTAL_VAR_DIR
included, may be set there. The reference of every variable: docs/configuration.md.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from partnership.api.rates import parse_rate

# --- Environment: .env first, then every variable ------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
ENV_FILE = Path(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))
if env.bool("DJANGO_READ_ENV_FILE", default=True) and ENV_FILE.exists():
    environ.Env.read_env(ENV_FILE)  # never overrides a variable the environment already sets
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))


def _url(name: str, default: str) -> str:
    """A URL variable; set but empty (as in a copied .env.example) means the default."""
    return env.str(name, default="") or default


def _cron(name: str, default: str) -> crontab:
    """A beat schedule entry from a five-field cron string, overridable by environment."""
    fields = env.str(name, default=default).split()
    if len(fields) != 5:
        raise ImproperlyConfigured(f"{name} must be a cron string of five fields, got {fields!r}")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


# --- Core ----------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=true for local development."
        )
    # Only a debug server falls back to a fixed key; it signs nothing that matters.
    SECRET_KEY = "insecure-development-key-never-used-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications, middleware, templates -------------------------------------------------------
# The portal's own apps, in dependency order: the shared services first, then the pillars.
# Domain-event handlers (partnership/events.py) are looked up in these only.
PORTAL_APPS = [
    "partnership",
    "partnership.notifications",
    "partnership.score",
    "partnership.integrations",
    "listening",
    "initiatives",
    "revenue",
    "steering",
    "partnership.extramile",
]
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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",  # login throttling for every sign-in path (partnership/security.py)
    *PORTAL_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Gzip for API JSON only, never for HTML pages with a CSRF token (BREACH; partnership/api/http.py).
    "partnership.api.http.ApiGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # JSON for every answer under /api/ (an unknown address, a write without its trailing slash).
    "partnership.middleware.ApiAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "partnership.api.throttling.AddressRateLimitMiddleware",  # API_RATE_LIMIT_PER_ADDRESS under /api/
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page asks for a signed-in user unless marked @login_not_required (login, password
    # reset, /healthz); the API's views authenticate themselves (DRF marks them so).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "partnership.audit.AuditActorMiddleware",
    "partnership.middleware.SecurityHeadersMiddleware",
    "partnership.api.http.ApiETagMiddleware",  # inside the no-store header: ETag and 304 on API reads
    "partnership.middleware.RejectNulCharactersMiddleware",
    "partnership.middleware.DatabaseUnavailableMiddleware",
    "partnership.integrations.middleware.IdempotencyMiddleware",  # Idempotency-Key under /api/v1/
    # Last, as django-axes asks: turns a locked-out sign-in into the 429 page of any login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnership.urls"
WSGI_APPLICATION = "partnership.wsgi.application"
ASGI_APPLICATION = "partnership.asgi.application"

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
                "partnership.context_processors.portal",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
DATABASES = {"default": env.db_url_config(_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A laptop run has a web process and a worker writing to the same file.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
if env.str("DATABASE_TEST_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions ---------------------------------------------------------------------
AUTH_USER_MODEL = "partnership.User"
# The axes backend comes first: every authenticate() call (the login page, /admin/login/, any
# later sign-in path) is refused while its user name is locked out, before a password is checked.
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
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True  # the cookie age then acts as an idle timeout

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("PORTAL_TIME_ZONE", default="Europe/Prague")
USE_I18N = True
USE_TZ = True

# --- Static files, served by whitenoise ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Tests and `runserver` without collectstatic still find files through the finders.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG
# The manual (docs/, built by `make docs` or the test run into var/site/manual/) is served at
# /manual/ when it has been built; PORTAL_MANUAL_URL may point at a copy hosted elsewhere instead.
MANUAL_ROOT = VAR_DIR / "site"
_MANUAL_BUILT = (MANUAL_ROOT / "manual" / "index.html").exists()
if _MANUAL_BUILT:
    WHITENOISE_ROOT = MANUAL_ROOT
    WHITENOISE_INDEX_FILE = True
PORTAL_MANUAL_URL = env.str("PORTAL_MANUAL_URL", default="/manual/" if _MANUAL_BUILT else "")

# --- Production security, switched on by environment (docs/production.md) -------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Cache: shared by every web process (the score rollup) --------------------------------------
REDIS_URL = _url("REDIS_URL", "")
CACHES = {
    "default": env.cache_url_config(
        _url(
            "CACHE_URL",
            f"rediscache://{REDIS_URL.split('://', 1)[1]}" if REDIS_URL else f"filecache://{VAR_DIR / 'cache'}",
        )
    )
}

# --- Login throttling: django-axes, counting in the database (docs/security.md) ------------------
# Failures count per (user name, client address) and per user name across addresses, never per
# address alone; the counts live in PostgreSQL, so signing in does not depend on Redis.
PORTAL_LOGIN_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURE_LIMIT", default=5)
PORTAL_LOGIN_USER_FAILURE_LIMIT = env.int("PORTAL_LOGIN_USER_FAILURE_LIMIT", default=20)
PORTAL_LOGIN_COOLOFF_SECONDS = env.int("PORTAL_LOGIN_COOLOFF_SECONDS", default=15 * 60)
# The client address is the one the outermost of this many trusted proxies appended to
# X-Forwarded-For (0: REMOTE_ADDR). PORTAL_TRUST_X_FORWARDED_FOR=true, its deprecated
# predecessor, means one proxy.
PORTAL_TRUSTED_PROXY_COUNT = env.int(
    "PORTAL_TRUSTED_PROXY_COUNT", default=1 if env.bool("PORTAL_TRUST_X_FORWARDED_FOR", default=False) else 0
)
if PORTAL_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"PORTAL_TRUSTED_PROXY_COUNT must be 0 or more, got {PORTAL_TRUSTED_PROXY_COUNT}")
if min(PORTAL_LOGIN_FAILURE_LIMIT, PORTAL_LOGIN_USER_FAILURE_LIMIT) < 1:
    raise ImproperlyConfigured("PORTAL_LOGIN_FAILURE_LIMIT and PORTAL_LOGIN_USER_FAILURE_LIMIT must be 1 or more")
AXES_HANDLER = "partnership.security.PortalAxesHandler"  # the two limits above, on axes' database handler
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_FAILURE_LIMIT = "partnership.security.pair_failure_limit"  # read when used, so tests may change it
AXES_COOLOFF_TIME = "partnership.security.cool_off"
AXES_CLIENT_IP_CALLABLE = "partnership.security.client_address"
AXES_LOCKOUT_CALLABLE = "partnership.security.lockout_response"
AXES_RESET_ON_SUCCESS = True  # only that pair's count (PortalAxesHandler.reset_user_attempts)
# A refused try during a lockout does not prolong it: it ends a cool-off after the last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the portal.security log, not a growing table

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url_config(_url("EMAIL_URL", "consolemail://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IT Partnership Portal <portal@localhost>")

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnership.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["partnership.api.permissions.IsAuthenticatedWithScope"],
    # Every JSON body is read by partnership/jsonbody.py: too deep, infinite numbers and lone
    # surrogates answer 400.
    # JSON only (a form or multipart body answers 415), read by the parser that refuses hostile JSON.
    "DEFAULT_PARSER_CLASSES": ["partnership.jsonbody.PortalJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "partnership.api.pagination.PortalPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "partnership.api.filtering.GivenFiltersBackend",
        "partnership.api.filtering.UpdatedAfterFilter",
        "rest_framework.filters.SearchFilter",
        "partnership.api.filtering.StrictOrderingFilter",
    ],
    # Per token (the per-address limit is a middleware): 429 with Retry-After (partnership/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["partnership.api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "partnership.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "partnership.api.errors.exception_handler",
    # Writes take JSON only (the schema advertises no form or multipart bodies); another
    # Content-Type answers 415.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IT Partnership Portal API",
    "DESCRIPTION": (
        "Pain points, initiatives, extra-mile actions, revenue projects and steering decisions "
        "of the IT Partnership Portal. Authenticate with `Authorization: Token <key>` "
        "(create a token on your profile page) or a browser session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choice sets whose field names ("category", "status", "kind", "role" ...) recur across apps get
    # explicit schema names, so the OpenAPI schema stays free of enum-collision warnings.
    "ENUM_NAME_OVERRIDES": {
        "PainPointCategoryEnum": "listening.choices.Category",
        "ListeningSessionKindEnum": "listening.choices.SessionKind",
        "PainPointSourceEnum": "listening.choices.Source",
        "PainPointStatusEnum": "listening.choices.PainPointStatus",
        "InitiativeStatusEnum": "initiatives.choices.InitiativeStatus",
        "RevenueStageEnum": "revenue.choices.Stage",
        "RevenueProjectCategoryEnum": "revenue.choices.Category",
        "SteeringTopicEnum": "steering.choices.Topic",
        "CommitteeCadenceEnum": "steering.choices.Cadence",
        "CommitteeSideEnum": "steering.choices.Side",
        "CommitteeRoleEnum": "steering.choices.MemberRole",
        "StanceEnum": "steering.choices.Stance",
        "SteeringEventKindEnum": "steering.choices.EventKind",
        "DecisionStatusEnum": "steering.choices.DecisionStatus",
        "AttendanceStatusEnum": "steering.choices.AttendanceStatus",
        "TokenScopeEnum": "partnership.models.TokenScope",
        "ExtraMileActionKindEnum": "partnership.extramile.choices.ActionKind",
        "ExtraMileActionStatusEnum": "partnership.extramile.choices.ActionStatus",
        "ExtraMileProposalKindEnum": "partnership.extramile.choices.PROPOSAL_KIND_CHOICES",
        "CheckInStatusEnum": "partnership.extramile.choices.CheckInStatus",
        "ProblemSuggestionStatusEnum": "partnership.extramile.choices.SuggestionStatus",
        "ProblemSuggestionTriggerEnum": "partnership.extramile.choices.SuggestionTrigger",
        "ResolutionSurveyRoleEnum": "partnership.extramile.choices.SurveyRole",
    },
}
# Rate limits of the API, "N/second|minute|hour|day" per fixed window; empty: no limit.
API_RATE_LIMIT_PER_TOKEN = env.str("API_RATE_LIMIT_PER_TOKEN", default="600/minute")
API_RATE_LIMIT_PER_ADDRESS = env.str("API_RATE_LIMIT_PER_ADDRESS", default="1200/minute")
for _name in ("API_RATE_LIMIT_PER_TOKEN", "API_RATE_LIMIT_PER_ADDRESS"):
    try:
        parse_rate(vars()[_name])
    except ValueError as _exc:
        raise ImproperlyConfigured(f"{_name}: {_exc}") from None
# The schema and the Swagger UI are public documents (no data) unless this asks for a signed-in
# caller: a session or an API token (docs/security.md).
PORTAL_API_DOCS_REQUIRE_LOGIN = env.bool("PORTAL_API_DOCS_REQUIRE_LOGIN", default=False)

# --- Forms ---------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery: broker and task options ---------------------------------------------------------
CELERY_BROKER_URL = _url("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
_LONGEST_COUNTDOWN_SECONDS = 300  # partnership.retries.LONGEST_COUNTDOWN_SECONDS
if BROKER_VISIBILITY_TIMEOUT < _LONGEST_COUNTDOWN_SECONDS + CELERY_TASK_TIME_LIMIT + 60:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT must be at least {_LONGEST_COUNTDOWN_SECONDS + CELERY_TASK_TIME_LIMIT + 60} s "
        f"(the longest retry countdown, {_LONGEST_COUNTDOWN_SECONDS} s, plus CELERY_TASK_TIME_LIMIT and a minute), "
        f"got {BROKER_VISIBILITY_TIMEOUT}"
    )
CELERY_BROKER_FOLDER = VAR_DIR / "celery-broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "out"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "out"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # A message taken by a worker that was then killed goes back to the queue after this long:
    # minutes, not kombu's hour. It must outlast the longest countdown a retry waits in the
    # broker plus the longest task (checked above), or a live task is handed out twice; each task
    # is idempotent all the same (docs/production.md).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu's Redis transport with one repair: a worker survives Redis going away while a task
    # runs (partnership/broker.py).
    CELERY_BROKER_TRANSPORT = "partnership.broker:Transport"
# Lost broker: reconnect, at start-up too, and never give up (kombu stops after 100 tries).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed halfway leaves the message for another worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")


# --- The beat schedule: every periodic task, in one place (exactly one beat process runs it) -------
def _every(task: str, schedule: crontab, expires: int) -> dict:
    """A beat entry; `expires` drops a run that waited longer than its own period."""
    return {"task": task, "schedule": schedule, "options": {"expires": expires}}


CELERY_BEAT_SCHEDULE = {
    "heartbeat": _every("partnership.tasks.heartbeat", _cron("SCHEDULE_HEARTBEAT", "*/5 * * * *"), 4 * 60),
    "score-snapshots": _every(
        "partnership.score.tasks.take_score_snapshots", _cron("SCHEDULE_SCORE_SNAPSHOTS", "30 2 * * *"), 23 * 3600
    ),
    "score-rollup": _every("partnership.score.tasks.refresh_score_rollup", _cron("SCHEDULE_SCORE_ROLLUP", "* * * * *"), 50),
    # Reminders: the sweep fills the ledger and queues the sender; the sender entry is the safety
    # net that delivers what a lost message or a killed worker left pending.
    "reminders-sweep": _every(
        "partnership.notifications.tasks.sweep_reminders", _cron("SCHEDULE_REMINDERS_SWEEP", "*/15 * * * *"), 14 * 60
    ),
    "reminders-send": _every(
        "partnership.notifications.tasks.send_reminders", _cron("SCHEDULE_REMINDERS_SEND", "*/5 * * * *"), 4 * 60
    ),
    "reminders-digest": _every(
        "partnership.notifications.tasks.send_reminder_digests", _cron("SCHEDULE_REMINDERS_DIGEST", "0 7 * * *"), 23 * 3600
    ),
    # On the first of the month: each unit's managers hear what IT delivered the month before.
    "delivered-digest": _every(
        "partnership.tasks.send_delivered_digests", _cron("SCHEDULE_DELIVERED_DIGEST", "0 6 1 * *"), 27 * 24 * 3600
    ),
    "extramile-check-ins": _every(
        "partnership.extramile.tasks.create_check_ins", _cron("SCHEDULE_EXTRAMILE_CHECK_INS", "*/10 * * * *"), 9 * 60
    ),
    "extramile-surveys": _every(
        "partnership.extramile.tasks.create_surveys", _cron("SCHEDULE_EXTRAMILE_SURVEYS", "*/30 * * * *"), 29 * 60
    ),
    "extramile-suggestions": _every(
        "partnership.extramile.tasks.refresh_suggestions",
        _cron("SCHEDULE_EXTRAMILE_SUGGESTIONS", "20 * * * *"),
        59 * 60,
    ),
    "integrations-webhooks-requeue": _every(
        "partnership.integrations.tasks.requeue_webhook_deliveries",
        _cron("SCHEDULE_INTEGRATIONS_REQUEUE", "*/2 * * * *"),
        100,
    ),
    "integrations-purge": _every(
        "partnership.integrations.tasks.purge_integration_records",
        _cron("SCHEDULE_INTEGRATIONS_PURGE", "40 3 * * *"),
        23 * 3600,
    ),
}

# --- Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "portal.security": {"level": "INFO"},
        "axes": {"level": "ERROR"},  # its lines repeat what portal.security says, user names masked
    },
}

# --- Portal rules: the whole portal, then each app's own block (docs/configuration.md) ----------
PORTAL_CURRENCY = env.str("PORTAL_CURRENCY", default="EUR")
PORTAL_DEMO_PASSWORD = env.str("PORTAL_DEMO_PASSWORD", default="partnership-demo")
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://localhost:8000")  # links in e-mails
# Home page views closer together than this are one visit ("changed since your last visit").
PORTAL_VISIT_GAP_MINUTES = env.int("PORTAL_VISIT_GAP_MINUTES", default=30)

# listening
LISTENING_ACK_SLA_DAYS = env.int("LISTENING_ACK_SLA_DAYS", default=2)  # business days
LISTENING_HOURLY_RATE = env.str("LISTENING_HOURLY_RATE", default="45.00")  # in PORTAL_CURRENCY
LISTENING_WORKING_WEEKS = env.int("LISTENING_WORKING_WEEKS", default=46)
LISTENING_COVERAGE_DAYS = env.int("LISTENING_COVERAGE_DAYS", default=60)
LISTENING_ANALYSIS_STALE_DAYS = env.int("LISTENING_ANALYSIS_STALE_DAYS", default=10)

# initiatives
INITIATIVES_RISK_ACCEPTANCE_THRESHOLD = env.int("INITIATIVES_RISK_ACCEPTANCE_THRESHOLD", default=15)  # 1-25
INITIATIVES_MEASURE_WINDOW_DAYS = env.int("INITIATIVES_MEASURE_WINDOW_DAYS", default=180)
INITIATIVES_MILESTONE_NOTICE_DAYS = env.int("INITIATIVES_MILESTONE_NOTICE_DAYS", default=3)

# revenue
REVENUE_FISCAL_YEAR_FIRST_MONTH = env.int("REVENUE_FISCAL_YEAR_FIRST_MONTH", default=1)

# steering
STEERING_BUY_IN_SHARE = env.str("STEERING_BUY_IN_SHARE", default="2/3")  # a fraction or a decimal
STEERING_REVIEW_NOTICE_DAYS = env.int("STEERING_REVIEW_NOTICE_DAYS", default=30)
STEERING_ACTION_ITEM_NOTICE_DAYS = env.int("STEERING_ACTION_ITEM_NOTICE_DAYS", default=3)
STEERING_MEETING_NOTICE_DAYS = env.int("STEERING_MEETING_NOTICE_DAYS", default=2)

# extra mile
EXTRAMILE_CHECKIN_DUE_HOURS = env.int("EXTRAMILE_CHECKIN_DUE_HOURS", default=24)
EXTRAMILE_REPEAT_RESOLVED_COUNT = env.int("EXTRAMILE_REPEAT_RESOLVED_COUNT", default=3)
EXTRAMILE_REPEAT_WINDOW_DAYS = env.int("EXTRAMILE_REPEAT_WINDOW_DAYS", default=60)
EXTRAMILE_REPEAT_VOTES = env.int("EXTRAMILE_REPEAT_VOTES", default=5)
EXTRAMILE_SURVEY_DAYS = env.int("EXTRAMILE_SURVEY_DAYS", default=14)
EXTRAMILE_SURVEY_LOOKBACK_DAYS = env.int("EXTRAMILE_SURVEY_LOOKBACK_DAYS", default=7)
EXTRAMILE_UNCONFIRMED_WEIGHT = env.float("EXTRAMILE_UNCONFIRMED_WEIGHT", default=0.5)
EXTRAMILE_MAX_ACTIONS_PER_WEEK = env.int("EXTRAMILE_MAX_ACTIONS_PER_WEEK", default=5)
EXTRAMILE_CHECKIN_REMIND_HOURS_BEFORE = env.int("EXTRAMILE_CHECKIN_REMIND_HOURS_BEFORE", default=4)
EXTRAMILE_CHECKIN_ESCALATE_HOURS = env.int("EXTRAMILE_CHECKIN_ESCALATE_HOURS", default=12)
EXTRAMILE_RATING_REMIND_AFTER_DAYS = env.int("EXTRAMILE_RATING_REMIND_AFTER_DAYS", default=3)
EXTRAMILE_SURVEY_REMIND_DAYS_BEFORE = env.int("EXTRAMILE_SURVEY_REMIND_DAYS_BEFORE", default=2)

# notifications and reminders
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=100)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
REMINDER_SEND_TIME_BUDGET = env.int("REMINDER_SEND_TIME_BUDGET", default=60)

# integrations
INTEGRATIONS_TIMESTAMP_TOLERANCE_SECONDS = env.int("INTEGRATIONS_TIMESTAMP_TOLERANCE_SECONDS", default=300)
INTEGRATIONS_SECRET_OVERLAP_HOURS = env.int("INTEGRATIONS_SECRET_OVERLAP_HOURS", default=72)
INTEGRATIONS_IDEMPOTENCY_HOURS = env.int("INTEGRATIONS_IDEMPOTENCY_HOURS", default=24)
INTEGRATIONS_LOG_RETENTION_DAYS = env.int("INTEGRATIONS_LOG_RETENTION_DAYS", default=90)
INTEGRATIONS_WEBHOOK_TIMEOUT_SECONDS = env.int("INTEGRATIONS_WEBHOOK_TIMEOUT_SECONDS", default=10)
INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = env.int("INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS", default=8)
INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS = env.int("INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS", default=30)
INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS = env.int("INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS", default=3600)
# A pending delivery never tried is queued again by the requeue sweep once this old (its hand-off
# to the broker failed); a retried one once its backoff has passed by as long again.
INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS = env.int("INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS", default=120)
INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE = env.int("INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE", default=5)
# Outbound URLs that are, or resolve to, addresses that are not public (loopback, private,
# link-local...) are refused when a subscription is saved and before every delivery, unless allowed
# for an on-premise receiver (SSRF; partnership/integrations/destinations.py).
INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = env.bool("INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS", default=False)

# score and performance at scale
SCORE_ROLLUP_MAX_AGE_SECONDS = env.int("SCORE_ROLLUP_MAX_AGE_SECONDS", default=90)
API_COUNT_ESTIMATE_THRESHOLD = env.int("API_COUNT_ESTIMATE_THRESHOLD", default=10_000)

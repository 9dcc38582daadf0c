"""Settings for the provincial public-service portal.

Everything a deployment may change is read from the environment through ``portal.env.env``. The defaults are for
development on one machine: SQLite and uploads under ``var/``, Celery tasks run in process, e-mail to the console.
``PORTAL_ENV=production`` turns the defaults safe and refuses to start with a default secret or DEBUG on.
"""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from portal.env import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

PORTAL_ENV = env.str("PORTAL_ENV", "development")
if PORTAL_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("PORTAL_ENV must be development, production or test")
PRODUCTION = PORTAL_ENV == "production"

_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105 (refused in production)
SECRET_KEY = env.str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = env.bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production needs SECRET_KEY set to a random value of at least 50 characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("Production refuses to start with DEBUG on.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    # Local accounts: sign-up, e-mail verification, password reset, TOTP second factor, the user's sessions.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "portal.territory",
    "portal.workdays",
    "portal.agencies",
    "portal.accounts",
    "portal.catalog",
    "portal.pages",
    "portal.audit",
    "portal.mail",
    "dossiers",
    "feedback",
    "eforms",
    "public_statistics",
    # Load-test data (manage.py generate_dossiers, refused in production); no models, no URLs.
    "loadtest",
    "faq",
    "ratings",
    "payments",
    "postal",
    "signing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (SECURE_CSP) and Permissions-Policy on every response, early answers included.
    "portal.security_headers.ContentSecurityPolicyMiddleware",
    "portal.security_headers.PermissionsPolicyMiddleware",
    "portal.audit.middleware.RequestIdMiddleware",
    # Bodies larger than any form takes are refused before they are read (portal/request_size.py).
    "portal.request_size.RequestSizeLimitMiddleware",
    # A NUL byte in an address, query or form field is refused here (portal/null_bytes.py).
    "portal.null_bytes.NullByteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language comes from the address alone (i18n_patterns), not from the session.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle time-outs and no caching of personal pages (after authentication and messages, which it uses).
    "portal.accounts.session_security.SessionSecurityMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Staff pass the TOTP second factor before any page but those that finish signing in (portal/accounts/mfa.py).
    "portal.accounts.mfa.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader, with the tags whose output only the language decides rendered once per language
            # (portal/template_constants.py).
            "loaders": [
                (
                    "portal.template_constants.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.pages.context_processors.site",
            ],
        },
    },
]

# Every form's fields: "(bắt buộc)" in the label, errors tied to the input, and a required field's message naming it
# ("Vui lòng nhập họ và tên.") instead of "Trường này là bắt buộc." (portal/forms.py, templates/forms/).
FORM_RENDERER = "portal.forms.PortalFormRenderer"

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.backend.PortalRedisCache",
            "LOCATION": REDIS_URL,
            # A test run gets a namespace of its own: counters and limits of an earlier run (Redis keeps them) must
            # not decide this one's outcome.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", "portal")
            + (f"-test-{secrets.token_hex(4)}" if PORTAL_ENV == "test" else ""),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with a broker URL tasks go to workers; without one they run in the calling process (development).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL)
# Tests run tasks in process unless a test starts a real worker; development without a broker does too.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL or PORTAL_ENV == "test")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_ACKS_LATE = True
# A task taken by a worker that dies is given to another one after this many seconds (Redis' default is an hour).
# It must be longer than the longest task: a receipt renders in under a second, a year's tracking book in seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 300)}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A page that queues work does not wait for a broker that is down: one quick retry, then the sweeps below do it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "orphan-upload-sweep": {"task": "dossiers.tasks.orphan_files_sweep", "schedule": 6 * 60 * 60},
    # What a broker or a worker that was down left undone: mail to send, forms to render, notifications to deliver.
    "mail-sweep": {
        "task": "portal.mail.tasks.mail_sweep",
        "schedule": env.int("PORTAL_MAIL_SWEEP_SECONDS", 60),
    },
    "feedback-reminders": {"task": "feedback.tasks.feedback_reminders_sweep", "schedule": 24 * 60 * 60},
    # Yesterday's online payments against the payment platform's list (payments/reconcile.py); safe to re-run.
    "payments-reconcile": {"task": "payments.tasks.payments_reconcile_yesterday", "schedule": 24 * 60 * 60},
    # Results waiting for the leader's signature in the document-management system, when no callback came.
    "signing-pull": {
        "task": "signing.tasks.signing_pull",
        "schedule": env.int("DOCUMENTS_PULL_SECONDS", 10 * 60),
    },
    # Shipments of results by post: their status from the postal service ("delivered" completes the return).
    "postal-track": {
        "task": "postal.tasks.shipments_track",
        "schedule": env.int("POSTAL_TRACK_SECONDS", 15 * 60),
    },
    # Paper dossiers to be collected by post whose request the postal service has not taken yet (postal/collections.py).
    "postal-collections": {
        "task": "postal.tasks.collections_send_due",
        "schedule": env.int("POSTAL_COLLECTION_SECONDS", 60),
    },
    "dossier-follow-up-sweep": {
        "task": "dossiers.tasks.follow_up_sweep",
        "schedule": env.int("PORTAL_FOLLOW_UP_SWEEP_SECONDS", 120),
    },
    # The national portal (dossiers/national/): statuses out, dossiers filed there in, the catalogue weekly.
    "national-outbox-drain": {
        "task": "dossiers.tasks.national_outbox_drain",
        "schedule": env.int("PORTAL_NATIONAL_DRAIN_SECONDS", 30),
    },
    "national-incoming-pull": {
        "task": "dossiers.tasks.national_incoming_pull",
        "schedule": env.int("PORTAL_NATIONAL_PULL_SECONDS", 300),
    },
    "feedback-national-drain": {
        "task": "feedback.tasks.feedback_national_drain",
        "schedule": env.int("PORTAL_NATIONAL_DRAIN_SECONDS", 30) * 10,
    },
    "ratings-national-drain": {
        "task": "ratings.tasks.ratings_national_drain",
        "schedule": env.int("PORTAL_NATIONAL_DRAIN_SECONDS", 30) * 10,
    },
    "national-catalogue-pull": {
        "task": "portal.catalog.tasks.national_catalogue_pull",
        "schedule": 7 * 24 * 60 * 60,
    },
}
# The plan's first year of synchronising online services with the national portal: 30 % then, 20 points more a year.
PORTAL_NATIONAL_SYNC_FIRST_YEAR = env.int("PORTAL_NATIONAL_SYNC_FIRST_YEAR", 2026)
# A status the national portal could not take for a temporary reason is tried again after 30 s, then 1, 2, 4 …
# minutes, at most an hour apart.
PORTAL_NATIONAL_BACKOFF_SECONDS = env.int("PORTAL_NATIONAL_BACKOFF_SECONDS", 30)
PORTAL_NATIONAL_BACKOFF_MAX_SECONDS = env.int("PORTAL_NATIONAL_BACKOFF_MAX_SECONDS", 3600)
# Work a worker normally finishes within this many seconds is left to it; after that a sweep hands it out again.
PORTAL_FOLLOW_UP_GRACE_SECONDS = env.int("PORTAL_FOLLOW_UP_GRACE_SECONDS", 120)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:my_dossiers"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploads live under var/, outside anything the web server serves; files go out through permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "uploads"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"

_MAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
# Mail goes through an outbox (portal/mail): "default" stores each message and a worker sends it through "transport"
# with retries, so a mail server that is down makes no page fail and loses nothing.
MAILERS = {
    "default": {"BACKEND": "portal.mail.backends.OutboxBackend"},
    "transport": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", "localhost"),
            "port": env.int("EMAIL_PORT", 25),
            "use_tls": env.bool("EMAIL_USE_TLS", False),
            "username": env.str("EMAIL_HOST_USER", ""),
            "password": env.str("EMAIL_HOST_PASSWORD", ""),
            "timeout": 10,
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    },
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Cổng Dịch vụ công <no-reply@localhost>")

# The province this installation serves, and how it appears to citizens. Another province runs the same code
# with other values here (and its own agency list in portal/agencies/data/).
PORTAL_PROVINCE_CODE = env.str("PORTAL_PROVINCE_CODE", "91")
# QCVN 102:2016 level-1 identifier of the province. An Giang's code must be confirmed by the province (check).
PORTAL_PROVINCE_AGENCY_CODE = env.str("PORTAL_PROVINCE_AGENCY_CODE", "000.00.00.H01")
PORTAL_SITE_NAME = env.str("PORTAL_SITE_NAME", "Cổng Dịch vụ công tỉnh An Giang")
PORTAL_HOTLINE = env.str("PORTAL_HOTLINE", "0296 3 957 957")
PORTAL_CONTACT_EMAIL = env.str("PORTAL_CONTACT_EMAIL", "dichvucong@angiang.gov.vn")
PORTAL_ADDRESS = env.str("PORTAL_ADDRESS", "Trung tâm Phục vụ hành chính công tỉnh An Giang")
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_CATALOG_PAGE_SIZE = env.int("PORTAL_CATALOG_PAGE_SIZE", 20)
# Endpoints feature apps add to /api/v1/ (prefix, dotted path of their ninja Router).
PORTAL_API_ROUTERS = [("/faq", "faq.api.router"), ("/statistics/", "public_statistics.api.router")]
# FAQ quotas (DOMAIN.md §9) and the answering service's limit per client address.
PORTAL_FAQ_DEPARTMENT_QUOTA = env.int("PORTAL_FAQ_DEPARTMENT_QUOTA", 50)
PORTAL_FAQ_COMMUNE_QUOTA = env.int("PORTAL_FAQ_COMMUNE_QUOTA", 100)
PORTAL_FAQ_PROVINCE_QUOTA = env.int("PORTAL_FAQ_PROVINCE_QUOTA", 500)
PORTAL_FAQ_ASKS_PER_ADDRESS = env.int("PORTAL_FAQ_ASKS_PER_ADDRESS", 30)
PORTAL_FAQ_ASK_WINDOW_SECONDS = env.int("PORTAL_FAQ_ASK_WINDOW_SECONDS", 60)
# Where the assistant sends a complaint (the feedback form, phản ánh kiến nghị); empty: the hotline is shown.
PORTAL_FAQ_FEEDBACK_URL = env.str("PORTAL_FAQ_FEEDBACK_URL", "")

# Security. Production turns every flag on; `manage.py check --deploy` must stay clean with PORTAL_ENV=production.
# Sessions are read on every signed-in request: from the cache, written through to the database (which keeps them
# when the cache is flushed, and lets "sign out everywhere else" end them).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz and /readyz are probed over plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Every handler masks personal id numbers (runs of 12+ digits) and tags records with the request id
# (portal/audit/scrub.py, portal/audit/middleware.py); a handler added here needs both filters too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_ids": {"()": "portal.audit.scrub.PersonalIdLogFilter"},
        "request_id": {"()": "portal.audit.middleware.RequestIdLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_ids", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's defaults give "django" a console and a mail handler and "django.server" (runserver's request lines)
        # one of its own, none with the filters, and they would write a record before the root's handler masks it:
        # here they lose those handlers and go through the root's. gunicorn's loggers get the same filter from its
        # logger class (portal/gunicorn_conf.py).
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Celery workers log through the handlers above (and their filters) instead of replacing the root logger's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False


# Demo accounts (development only): their shared password, or empty to generate one and keep it in var/.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", "")

if PORTAL_ENV == "test":
    # Hashing cost is not what the tests check; a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files the tests upload stay apart from a developer's own uploads.
    MEDIA_ROOT = VAR_DIR / "test-uploads"
    STORAGES["default"]["OPTIONS"]["location"] = MEDIA_ROOT

# Seconds a public catalogue page stays in the cache (0 turns the page cache off). Edits bump the catalogue version,
# so this bounds memory, not staleness.
# Tests render every page unless a test turns the cache on.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", 0 if PORTAL_ENV == "test" else 600)

# SMS gateway (integrations/sms): empty URL writes messages to the log instead of sending them.
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", "")

# The national public-service portal (integrations/dvcqg). Without an address and credentials nothing is sent to it
# (the sync says so on the admin page). The agency code defaults to the province's. Timeout: connect, read seconds.
DVCQG_BASE_URL = env.str("DVCQG_BASE_URL", "")
DVCQG_USERNAME = env.str("DVCQG_USERNAME", "")
DVCQG_PASSWORD = env.str("DVCQG_PASSWORD", "")
DVCQG_AGENCY_CODE = env.str("DVCQG_AGENCY_CODE", "")
DVCQG_TIMEOUT = env.floats("DVCQG_TIMEOUT", (3.05, 15.0))

# The national population database through the provincial data-sharing platform (integrations/population; OAuth2
# client credentials). Without them the draft form has no pre-fill and says so. Agency code defaults to the province's.
POPULATION_LGSP_URL = env.str("POPULATION_LGSP_URL", "")
POPULATION_CLIENT_ID = env.str("POPULATION_CLIENT_ID", "")
POPULATION_CLIENT_SECRET = env.str("POPULATION_CLIENT_SECRET", "")
POPULATION_AGENCY_CODE = env.str("POPULATION_AGENCY_CODE", "")
POPULATION_TIMEOUT = env.floats("POPULATION_TIMEOUT", (2.0, 5.0))

# The national payment platform (integrations/payment): merchant code and the shared secret of the signatures.
# Without them dossiers with fees show how to pay at the office instead of the online button.
PAYMENT_BASE_URL = env.str("PAYMENT_BASE_URL", "")
PAYMENT_MERCHANT_CODE = env.str("PAYMENT_MERCHANT_CODE", "")
PAYMENT_SECRET = env.str("PAYMENT_SECRET", "")
PAYMENT_TIMEOUT = env.floats("PAYMENT_TIMEOUT", (3.05, 15.0))

# The public postal service (integrations/postal, VNPost): results sent by post and their tracking. Without them an
# officer returns results by post by hand, as before. Customer code defaults to the province's agency code.
POSTAL_BASE_URL = env.str("POSTAL_BASE_URL", "")
POSTAL_API_KEY = env.str("POSTAL_API_KEY", "")
POSTAL_CUSTOMER_CODE = env.str("POSTAL_CUSTOMER_CODE", "")
POSTAL_TIMEOUT = env.floats("POSTAL_TIMEOUT", (3.05, 15.0))

# The province's document-management system (integrations/documents): draft results sent for the leader's signature,
# the signed decision back by a signed callback (shared secret) or a pull. Without them results are signed and
# uploaded by hand, as before.
DOCUMENTS_BASE_URL = env.str("DOCUMENTS_BASE_URL", "")
DOCUMENTS_API_KEY = env.str("DOCUMENTS_API_KEY", "")
DOCUMENTS_CALLBACK_SECRET = env.str("DOCUMENTS_CALLBACK_SECRET", "")
DOCUMENTS_TIMEOUT = env.floats("DOCUMENTS_TIMEOUT", (3.05, 30.0))

# PAdES signatures on the PDFs the portal issues itself (portal/pdf/pades.py): the agency's certificate and key (PEM),
# the key's password and the authority the verify page (/trinh-ky/kiem-tra/) trusts. By default the test authority
# `manage.py signing_demo_ca` writes under PORTAL_VAR_DIR/signing; set them empty (or leave the files absent) and
# issued PDFs are not signed, which the verify page says. Production sets the agency's real certificate and CA.
_SIGNING_DIR = VAR_DIR / "signing"
SIGNING_CERT_PATH = env.str("SIGNING_CERT_PATH", str(_SIGNING_DIR / "agency.crt"))
SIGNING_KEY_PATH = env.str("SIGNING_KEY_PATH", str(_SIGNING_DIR / "agency.key"))
SIGNING_KEY_PASSWORD = env.str("SIGNING_KEY_PASSWORD", "")
SIGNING_CA_PATH = env.str("SIGNING_CA_PATH", str(_SIGNING_DIR / "ca.crt"))
# The verify page: largest upload, and checks per address per hour.
SIGNING_VERIFY_MAX_MB = env.int("SIGNING_VERIFY_MAX_MB", 10)
SIGNING_VERIFY_PER_HOUR = env.int("SIGNING_VERIFY_PER_HOUR", 30)

# Dossier uploads: limits shown on the filing form and enforced by content, not by name.
PORTAL_UPLOAD_MAX_FILE_MB = env.int("PORTAL_UPLOAD_MAX_FILE_MB", 10)
PORTAL_UPLOAD_MAX_DOSSIER_MB = env.int("PORTAL_UPLOAD_MAX_DOSSIER_MB", 50)
# Files an applicant or the counter may attach to one dossier (forms and results the portal adds are not counted).
PORTAL_UPLOAD_MAX_FILES = env.int("PORTAL_UPLOAD_MAX_FILES", 50)

# Feedback (phản ánh, kiến nghị; feedback/rules.py): working days to route and to answer, and the provincial office.
FEEDBACK_ROUTING_WORKING_DAYS = env.int("FEEDBACK_ROUTING_WORKING_DAYS", 5)
FEEDBACK_ANSWER_WORKING_DAYS = env.int("FEEDBACK_ANSWER_WORKING_DAYS", 20)
FEEDBACK_OFFICE_AGENCY_CODE = env.str("FEEDBACK_OFFICE_AGENCY_CODE", "000.00.02.H01")
# Ratings (ratings/): no agency is ranked below this many rated dossiers in a period; how long a signed link lasts.
RATINGS_MINIMUM_RATED = env.int("RATINGS_MINIMUM_RATED", 30)
RATINGS_LINK_DAYS = env.int("RATINGS_LINK_DAYS", 30)
RATINGS_CHANGE_HOURS = env.int("RATINGS_CHANGE_HOURS", 24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Single sign-on through the national public-service portal (DVCQG, VNeID): OpenID Connect with mozilla-django-oidc,
# under the library's own setting names (portal/accounts/oidc/). Off until OIDC_RP_CLIENT_ID is set; then the other
# endpoints must be set too. Login starts at /oidc/authenticate/ and returns to /oidc/callback/ (register that
# address, and the site's home page as post-logout address, with the provider).
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", "")
# The provider's end-session endpoint (RP-initiated logout); empty: sign-out ends the portal's session only.
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", "")
# The provider's issuer as its ID tokens state it; when set, a token from any other issuer is refused.
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", "")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", "openid")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": env.str("OIDC_ACR_VALUES", "LoA1")}
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
# Seconds to wait for each call to the provider (token, keys, user info); a slow provider ends on a friendly page.
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", 10)
# Seconds of clock difference with the provider tolerated when checking a token's times.
OIDC_CLOCK_LEEWAY = env.int("OIDC_CLOCK_LEEWAY", 30)
# The ID token is kept in the session only to end the provider's session at sign-out.
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)
OIDC_OP_LOGOUT_URL_METHOD = "portal.accounts.oidc.logout_url"
OIDC_AUTHENTICATE_CLASS = "portal.accounts.oidc.SSOAuthenticateView"
OIDC_CALLBACK_CLASS = "portal.accounts.oidc.SSOCallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/tai-khoan/dang-nhap-that-bai/"
AUTHENTICATION_BACKENDS = [
    "portal.accounts.backends.PasswordBackend",
    # Sign-in by username or e-mail address (allauth's login page).
    "portal.accounts.backends.UsernameOrEmailBackend",
]
if OIDC_RP_CLIENT_ID:
    _oidc_missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so these must be too: {', '.join(_oidc_missing)}"
        )
    AUTHENTICATION_BACKENDS.append("portal.accounts.oidc.NationalSSOBackend")

# What pages may load and run (Django's CSP middleware; portal/security_headers.py). Scripts and styles come only
# from the site's own files: no page has inline scripts, event-handler attributes or style attributes. QR codes are
# inline SVG or data: images. Forms post to the site; the national sign-on's origins are added to form-action when
# the response leaves (linking an identity and signing out are redirected there).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],  # the embeddable agency page drops this (portal/catalog/views.py)
    "form-action": [CSP.SELF],
}
# Device features no page uses, refused to the page and to anything it frames.
PORTAL_PERMISSIONS_POLICY = env.str(
    "PORTAL_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
)

# Reverse proxies in front of the app (docker-compose: 1). Rate limits read the client address this many hops back
# in X-Forwarded-For; 0 trusts nobody and uses the socket address.
PORTAL_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", 0)

# Sessions (portal/accounts/session_security.py): minutes without a request before a user is signed out.
PORTAL_STAFF_IDLE_MINUTES = env.int("PORTAL_STAFF_IDLE_MINUTES", 30)
PORTAL_CITIZEN_IDLE_MINUTES = env.int("PORTAL_CITIZEN_IDLE_MINUTES", 120)
# Seconds before that limit at which pages warn and offer to stay signed in (WCAG 2.2.1 asks for at least 20 s; the
# portal gives three minutes, never less than two).
PORTAL_SESSION_WARNING_SECONDS = max(120, env.int("PORTAL_SESSION_WARNING_SECONDS", 180))
# Sign-in rate limits not covered by allauth: failed Django admin sign-ins per client address and per username, and
# single sign-on starts per client address, within one window. Tests count high unless a test sets a limit, since
# the whole suite signs in from one address.
PORTAL_LOGIN_LIMIT_WINDOW_SECONDS = env.int("PORTAL_LOGIN_LIMIT_WINDOW_SECONDS", 15 * 60)
_LIMIT_SCALE = 1000 if PORTAL_ENV == "test" else 1
PORTAL_ADMIN_LOGIN_FAILURES_PER_ADDRESS = env.int(
    "PORTAL_ADMIN_LOGIN_FAILURES_PER_ADDRESS", 20 * _LIMIT_SCALE
)
PORTAL_ADMIN_LOGIN_FAILURES_PER_USERNAME = env.int(
    "PORTAL_ADMIN_LOGIN_FAILURES_PER_USERNAME", 10 * _LIMIT_SCALE
)
# A busy one-stop centre signs many citizens in from one public address: keep this generous.
PORTAL_SSO_STARTS_PER_ADDRESS = env.int("PORTAL_SSO_STARTS_PER_ADDRESS", 100 * _LIMIT_SCALE)

# Local accounts (django-allauth; portal/accounts/adapter.py, allauth_urls.py, mfa.py). Sign-in by username or
# e-mail address; a new account signs in only after confirming its e-mail address (accounts that an administrator
# or the national single sign-on created are exempt, see the adapter); e-mail is never a key to another account.
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "portal.accounts.forms.SignUpForm",
    "reset_password": "portal.accounts.forms.PasswordResetRequestForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_USER_DISPLAY = "portal.accounts.adapter.user_display"
# The sign-in lasts until the browser is closed (shared computers at one-stop counters and libraries).
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Whether anyone may register a local account (False: only SSO and accounts made by administrators).
PORTAL_SIGNUP_OPEN = env.bool("PORTAL_SIGNUP_OPEN", True)
# allauth's limits, per client address and per login name (key). The address limits are raised in tests only: the
# whole suite signs in from 127.0.0.1; the per-name limits, which the tests check, stay as in production.
_ADDRESS_SCALE = 100 if PORTAL_ENV == "test" else 1
ACCOUNT_RATE_LIMITS = {
    "login": f"{30 * _ADDRESS_SCALE}/m/ip",
    # Wrong passwords (and wrong second-factor codes, keyed per user): 5 per name in 5 minutes.
    "login_failed": f"{10 * _ADDRESS_SCALE}/m/ip,5/5m/key",
    "signup": f"{20 * _ADDRESS_SCALE}/h/ip",
    "reset_password": f"{20 * _ADDRESS_SCALE}/m/ip,5/m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = PORTAL_TRUSTED_PROXY_COUNT
# Second factor: TOTP apps with recovery codes; mandatory for staff (portal/accounts/mfa.py), optional for citizens.
MFA_ADAPTER = "portal.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAL_SITE_NAME
# allauth refuses a second factor while an address is unconfirmed; here an unconfirmed sign-up cannot sign in at all,
# and an administrator's account may carry an address nobody confirmed through allauth.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# Public statistics (public_statistics/): how long a computed figure is served from the cache before it is recounted
# from the summary tables (published figures may be that many seconds behind the dossiers).
PORTAL_STATISTICS_CACHE_SECONDS = env.int("PORTAL_STATISTICS_CACHE_SECONDS", 300)

"""Settings read from the environment (see .env.example).

Production behaviour is switched on by environment variables, not by another
copy of this file.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    SECURE_COOKIES=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# A development key is only acceptable while DEBUG is on; without DEBUG an unset
# key stays empty and Django refuses to start.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else "")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The name calendar events and feed entries are known by (iCalendar UIDs, Atom tag: ids),
# never the host a request came by: one site reached under two names, or moved, must not
# show every event twice in its subscribers' calendars and feed readers. Set it once, to
# a domain the organisation owns, and never change it.
SITE_DOMAIN = env("SITE_DOMAIN", default="kmcommission.invalid")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form renderer finds Django's own widget templates (the admin's) through the apps.
    "django.forms",
    "simple_history",
    "axes",
    "csp",
    # Before our apps: records.admin replaces django-otp's device admin.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    # The apps in their layers: each imports only from those above it in this list.
    "records",
    "ccgs",
    "decisions",
    "roles",
    "scrutiny",
    "interchange",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "records.middleware.RoleRequiredMiddleware",
    "records.middleware.TwoFactorMiddleware",
    "records.middleware.IdleTimeoutMiddleware",
    "records.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a throttled sign-in is refused before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kmcommission.urls"

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
                "records.context_processors.user_role",
                "records.context_processors.two_factor",
                "records.context_processors.site_contact",
            ],
        },
    },
]

# Form fields render as NHS.UK field groups (templates/forms/); the admin keeps its own widgets.
FORM_RENDERER = "records.forms.NHSFormRenderer"

WSGI_APPLICATION = "kmcommission.wsgi.application"

# SQLite when DATABASE_URL is unset, so a laptop without PostgreSQL still runs.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep connections between requests, and check one before use: after the database restarts
# or drops a connection, the next request reconnects instead of failing.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so racing edits queue
    # instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses sign-in after repeated failures before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# STP staff and admins confirm a code from an authenticator app after their password
# (records.two_factor). On whenever DEBUG is off; the demo (make run) has it off, and says so.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
# A user is locked out from one client address (not for everyone), and so is an address
# that guesses at many users (password spraying).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Behind N reverse proxies the client's address is the Nth from the right of
# X-Forwarded-For; with none (the default) the header is ignored, since anyone can send it.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "kmcommission.storage.StaticStorage"},
}

# History: who and when for every tracked change; the composite index serves
# the point-in-time ("as recorded on") queries.
SIMPLE_HISTORY_DATE_INDEX = "Composite"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# The append-only triggers (records.apps) are installed after every migrate, on PostgreSQL.
PGTRIGGER_INSTALL_ON_MIGRATE = True
PGTRIGGER_MIGRATIONS = False

# Content Security Policy: everything is served by the application itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

SESSION_COOKIE_SECURE = env("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS, for a deployment that serves it (see README, "Deploying"): redirect, HSTS, and the
# header the proxy in front sets to say a request came over HTTPS.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Signed-in sessions end after this long without a request (8 hours: a working day);
# records.middleware.IdleTimeoutMiddleware moves the expiry on as the user works.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_keys": {"()": "kmcommission.log_redaction.RedactSubscriptionKeys"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_keys"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Django's own handlers for these would print paths with whole keys.
        "django.request": {
            "handlers": ["console"],
            "filters": ["redact_keys"],
            "propagate": False,
        },
        "django.server": {
            "handlers": ["console"],
            "filters": ["redact_keys"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

# Who to contact about the service, shown in every page's footer and the accessibility statement.
SITE_CONTACT = env(
    "SITE_CONTACT",
    default="the Kent and Medway STP programme office (set SITE_CONTACT to its address)",
)

# The arrangement (its slug) that addresses without ?arrangement= show; empty: the first the
# record held. Set it once a second arrangement should be what readers see by default.
DEFAULT_ARRANGEMENT = env("DEFAULT_ARRANGEMENT", default="")

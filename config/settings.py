"""Multifolio settings: one module, every knob an environment variable.

The defaults run a fresh checkout (DEBUG on, SQLite under ./data, local-memory
cache, e-mail to the console). Production sets DEBUG=0 and must then provide
SECRET_KEY; everything else has a safe default. README.md lists every variable.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Development only: a fixed, obviously-insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

# --- Hosts -------------------------------------------------------------------
# The tenancy middleware (profiles.middleware) validates every Host header
# itself, because verified custom domains cannot be listed here. It runs before
# anything that reads the host, and rejects unknown hosts with a 400.
ALLOWED_HOSTS = ["*"]

PLATFORM_HOST = env_str("PLATFORM_HOST", "localhost").lower().strip(".")
SITES_DOMAIN = env_str("SITES_DOMAIN", "localhost").lower().strip(".")
# Extra names that also serve the platform, so `curl http://127.0.0.1:8000/`
# works in development. Production normally leaves this empty.
PLATFORM_HOST_ALIASES = [
    host.lower() for host in env_list("PLATFORM_HOST_ALIASES", "127.0.0.1,[::1]" if DEBUG else "")
]
# Absolute links (landing page -> sites, canonical URLs, sitemaps) are built
# from these settings, never from the request's Host header.
PUBLIC_SCHEME = env_str("PUBLIC_SCHEME", "http" if DEBUG else "https")
PUBLIC_PORT = env_str("PUBLIC_PORT", "8000" if DEBUG else "")

# --- Custom domains (profiles.domains; README "Custom domains: DNS") ---------
DOMAIN_LIMIT_PER_SITE = env_int("DOMAIN_LIMIT_PER_SITE", 3)
# Empty: the system resolver (/etc/resolv.conf). Tests point these at their own server.
DOMAIN_DNS_NAMESERVERS = env_list("DOMAIN_DNS_NAMESERVERS")
DOMAIN_DNS_PORT = env_int("DOMAIN_DNS_PORT", 53)
# The most one domain's check may spend on DNS, all its lookups together.
DOMAIN_DNS_TIMEOUT_SECONDS = env_int("DOMAIN_DNS_TIMEOUT_SECONDS", 3)
# The addresses an apex (jane-doe.org, which cannot have a CNAME) must point to with
# A/AAAA records. Empty: an apex verifies only through an ALIAS/ANAME/flattened CNAME.
try:
    DOMAIN_APEX_ADDRESSES = [
        str(ipaddress.ip_address(address)) for address in env_list("DOMAIN_APEX_ADDRESSES")
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"DOMAIN_APEX_ADDRESSES: {error}") from None
# Consecutive failed periodic checks before a verified domain stops serving the site.
DOMAIN_UNVERIFY_AFTER_FAILURES = env_int("DOMAIN_UNVERIFY_AFTER_FAILURES", 3)

# --- Applications ------------------------------------------------------------
INSTALLED_APPS = [
    "profiles",
    "publications",
    "news",
    # Django's admin, on a site that also asks staff for their second factor
    # (profiles.two_factor.admin_site).
    "profiles.two_factor.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "markdownx",
    "axes",
    # Two-factor authentication (profiles.two_factor): authenticator apps (TOTP)
    # and single-use recovery codes (static).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "django.forms",  # its widget templates, for FORM_RENDERER below
]

# Background tasks (profiles.tasks) wait in the database until `manage.py db_worker`
# runs them: no extra server. Dashboard imports of al-folio sites are the first.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    # Bodies over what their page takes: a 413 before a byte is read.
    "profiles.request_limits.RequestBodyLimitMiddleware",
    # NULs (%00) in an address: a 400 for a path, dropped from a query (the database
    # cannot hold one).
    "profiles.address_guard.NulInAddressMiddleware",
    # Static files answer on every host we answer, before anything reads the
    # Host: the styled 404 page of an unknown or unpublished site fetches its
    # stylesheet from that same host (the sites' CSP allows only 'self').
    # They are our own public files, the same on every host.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Site pages from the cache, before anything else runs (profiles.pagecache).
    "profiles.pagecache.PageCacheMiddleware",
    # Then: classifies the Host, sets request.tenant / request.urlconf, and
    # keeps site responses cookie-free with their own security headers.
    "profiles.middleware.TenancyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Staff, and accounts with two-factor on, finish logging in before any page.
    "profiles.two_factor.gate.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a log-in refused by axes into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

# Widgets render with the project's templates first, so that templates/markdownx/
# can give the editor's live preview the site's content styles and a message area.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "config.urls_platform"
SITES_URLCONF = "config.urls_sites"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "profiles.User"

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
                "profiles.context_processors.platform",
            ],
        },
    },
]

# --- Data --------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    # The default SQLite file lives in a git-ignored folder created on demand.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'multifolio.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes share the file (make serve: web workers and the task
    # worker). In SQLite's default journal mode, readers hold the writer off:
    # under load the task worker's poll failed with "database is locked" and
    # took the server down with it (make bench). WAL lets readers and one
    # writer work at once; IMMEDIATE takes the write lock when a transaction
    # begins, so two writers queue (up to `timeout` seconds) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that serves on (uncached) when Redis is down.
            "BACKEND": "profiles.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "multifolio"),
            # A Redis that does not answer costs a request at most this much, once.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    # No Redis (a laptop): files, which the web server, the task worker and
    # commands share, so that a change one of them makes (an import, a new
    # status) is what the others serve at once. Memory would be per process.
    CACHES = {
        "default": {
            # Django's, remembering each key's file name (profiles.file_cache).
            "BACKEND": "profiles.file_cache.FileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Room for the pages of a few thousand sites (whole pages are cached).
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# How long a host -> site resolution stays cached. Changes to a site (slug,
# status, domains) invalidate it at once; the timeout is only a safety net.
TENANT_CACHE_SECONDS = env_int("TENANT_CACHE_SECONDS", 300)
# How long a rendered site page is kept (profiles.pagecache). Changes replace it at
# once; the time only bounds how late a news item dated in the future appears. 0: off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Each web process also keeps copies of the pages it served lately, up to this
# much, so that a hit reads only two small versions from the shared cache.
PAGE_CACHE_LOCAL_MB = env_int("PAGE_CACHE_LOCAL_MB", 64)

# --- Static and media --------------------------------------------------------
STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Icons are inlined as SVG from installed packages: Font Awesome from PyPI
# (fontawesomefree) and Academicons from npm (`make install` runs `npm ci`).
ACADEMICONS_DIR = Path(env_str("ACADEMICONS_DIR", str(BASE_DIR / "node_modules" / "academicons")))


def _static_file_headers(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"  # as on every page we serve


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers
# Uploads are served by the app on their own site's host only, at /media/
# (profiles.media, profiles.views.media), never on the platform host and never
# while the site is unpublished; a CDN in front of the sites caches them.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Room for one site's files: photo, editor images, CV, QR code.
SITE_STORAGE_QUOTA_BYTES = env_int("SITE_STORAGE_QUOTA_MB", 100) * 1_000_000

# Where uploads are kept: `files` (MEDIA_ROOT, one machine) or `s3`, one private
# S3-compatible bucket that every app server shares (profiles.storage). Either way
# the app serves them itself, so no bucket URL is ever made or handed out.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "files").strip().lower()
if MEDIA_STORAGE == "files":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    from botocore.config import Config as S3ClientConfig  # loaded only for S3

    S3_BUCKET = env_str("S3_BUCKET")
    S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL")  # empty: AWS itself
    S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID")
    S3_SECRET_ACCESS_KEY = env_str("S3_SECRET_ACCESS_KEY")
    # Path style (endpoint/bucket/key) works on every S3-compatible server without
    # a DNS name per bucket; AWS prefers bucket.endpoint.
    S3_ADDRESSING_STYLE = env_str("S3_ADDRESSING_STYLE", "path" if S3_ENDPOINT_URL else "virtual")
    if not S3_BUCKET:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET: a private bucket's name.")
    if S3_ENDPOINT_URL and not S3_ENDPOINT_URL.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"S3_ENDPOINT_URL={S3_ENDPOINT_URL!r} must start with http:// or https://."
        )
    if bool(S3_ACCESS_KEY_ID) != bool(S3_SECRET_ACCESS_KEY):
        raise ImproperlyConfigured(
            "Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (then boto3 finds "
            "credentials itself, e.g. a cloud instance's role)."
        )
    if S3_ADDRESSING_STYLE not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE={S3_ADDRESSING_STYLE!r}: use path, virtual or auto."
        )
    MEDIA_BACKEND = {
        "BACKEND": "profiles.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            # No ACL sent: objects are as private as the bucket. url() never names
            # the bucket (profiles.storage), so nothing is signed either.
            "default_acl": None,
            "querystring_auth": False,
            # A taken name gets a suffix, as on disk: a photo uploaded twice must
            # not overwrite the old files, which are deleted after it.
            "file_overwrite": False,
            # A file being served is buffered in memory up to this, then on disk.
            "max_memory_size": 2 * 1024 * 1024,
            "client_config": S3ClientConfig(
                s3={"addressing_style": S3_ADDRESSING_STYLE},
                connect_timeout=5,
                read_timeout=20,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: use files or s3.")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # WhiteNoise's (hashed names, gzip), minus the 500s when
            # collectstatic has not run: profiles.staticfiles says how.
            else "profiles.staticfiles.CollectedStaticFilesStorage"
        )
    },
}

# --- E-mail ------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Multifolio <noreply@{PLATFORM_HOST}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where researchers can write to the people who run the platform (moderators);
# pages offer it only when it is set.
CONTACT_EMAIL = env_str("CONTACT_EMAIL")
# Where vulnerabilities are reported, published in /.well-known/security.txt;
# when this and CONTACT_EMAIL are both empty there is no such file (a 404).
SECURITY_CONTACT = env_str("SECURITY_CONTACT") or CONTACT_EMAIL
# Where visitors' reports of pages are announced to the moderators; empty: no e-mail.
MODERATION_EMAIL = env_str("MODERATION_EMAIL")

# --- Security ----------------------------------------------------------------
# Session and CSRF cookies stay host-only (no Domain attribute): a cookie set
# for the platform host is never sent to researchers' sites.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    f"{PUBLIC_SCHEME}://{PLATFORM_HOST}" + (f":{PUBLIC_PORT}" if PUBLIC_PORT else "")
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts ----------------------------------------------------------------
# New sites wait for a moderator unless this is on (a lab running its own
# platform may trust everyone who can sign up).
SIGNUP_PUBLISHES_SITE = env_bool("SIGNUP_PUBLISHES_SITE", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "landing"
# A deleted account and site leave the web at once but are kept this many days,
# so that a moderator can restore them, then `manage.py purge_deleted` erases them.
DELETED_SITE_RETENTION_DAYS = env_int("DELETED_SITE_RETENTION_DAYS", 30)
if DELETED_SITE_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("DELETED_SITE_RETENTION_DAYS cannot be negative.")

# --- Log-in throttling (django-axes) -----------------------------------------
# Failed log-ins count per account (the e-mail as typed, normalised like stored
# addresses) and per client address, independently, each against a limit of its
# own: one person guessing at one account is stopped after a few tries from
# anywhere, while a whole department behind one university NAT address may fail
# many times before that address is locked. Axes has one limit for all
# parameters; profiles.throttling.AccountAndAddressHandler adds the second.
# A lock lasts LOGIN_COOLOFF_MINUTES after the latest failure (failing again
# while locked restarts it); a successful log-in, or a password reset, forgets
# that account's failures but not the address's.
AUTHENTICATION_BACKENDS = [
    # First: refuses any authenticate() while the account or address is locked.
    # It needs the request: authenticate(request, ...), client.login(request=...).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
if min(LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES) < 1:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be >= 1."
    )
LOGIN_FAILURE_LIMITS = {"username": LOGIN_FAILURE_LIMIT, "ip_address": LOGIN_ADDRESS_FAILURE_LIMIT}
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks, not the pair
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "profiles.throttling.cool_off"  # reads LOGIN_COOLOFF_MINUTES
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
# Django's AuthenticationForm names the field "username" whatever USERNAME_FIELD is.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "profiles.throttling.client_account"
# The client address is REMOTE_ADDR; behind our own TLS proxy (BEHIND_TLS_PROXY)
# it is the one X-Forwarded-For entry that proxy appended, and otherwise the
# header is ignored, so a client cannot choose the address it is counted under.
LOGIN_TRUSTS_X_FORWARDED_FOR = env_bool("BEHIND_TLS_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "profiles.throttling.client_address"
# The database handler (which ours extends), not the cache handler: it keeps a
# log of attempts (AccessAttempt, AccessLog, and AccessFailureLog with the flag
# below) that owners are to see later, and it is shared by every process on any
# database; the cache handler would be shared only with Redis, and forgets.
AXES_HANDLER = "profiles.throttling.AccountAndAddressHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The log-in page again, status 429, naming the cool-off and the reset link.
AXES_LOCKOUT_CALLABLE = "profiles.views.accounts.login_locked_out"
AXES_VERBOSE = False  # no start-up banner in every manage.py command's output
# Log-ins (AccessLog) and failed log-ins (AccessFailureLog, wrong two-factor codes
# included) are kept this many days: the owner's "Recent log-ins" page shows them
# all, the admin too; older ones are deleted at most once an hour as new ones come
# (profiles.login_audit). The throttling counters (AccessAttempt) are separate.
LOGIN_RECORD_DAYS = env_int("LOGIN_RECORD_DAYS", 30)
if LOGIN_RECORD_DAYS < 1:
    raise ImproperlyConfigured("LOGIN_RECORD_DAYS must be >= 1.")

# --- Two-factor authentication (django-otp; profiles.two_factor) -------------
# Staff (moderators, admins) must use it; researchers may turn it on. The name
# authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Multifolio")
# The admin lists and deletes people's devices (a lost phone) but never shows their
# keys or recovery codes: only their owner ever sees those, once.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes per account in each window before it must wait (profiles.ratelimit);
# django-otp also makes each device wait 1, 2, 4, 8 ... seconds after each failure.
TWO_FACTOR_CODE_LIMIT = env_int("TWO_FACTOR_CODE_LIMIT", 5)
TWO_FACTOR_CODE_WINDOW_MINUTES = env_int("TWO_FACTOR_CODE_WINDOW_MINUTES", 15)
if min(TWO_FACTOR_CODE_LIMIT, TWO_FACTOR_CODE_WINDOW_MINUTES) < 1:
    raise ImproperlyConfigured(
        "TWO_FACTOR_CODE_LIMIT and TWO_FACTOR_CODE_WINDOW_MINUTES must be >= 1."
    )

# --- Markup ------------------------------------------------------------------
# django-markdownx's own renderer passes raw HTML through (CVE-2024-2319); its
# live preview must use the same sanitizing pipeline as the public site.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "profiles.markup.render_markdown"

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Forged hosts (400) and unknown sites or pages (404) are normal traffic on
    # a public host; logging each would let anyone flood the log. Keep 5xx only.
    "loggers": {
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
        # Failed and locked-out log-ins (warnings) are worth a line; every
        # successful log-in is not.
        "axes": {"level": "WARNING"},
        # pypdf warns about every flaw it repairs: a hostile CV could flood the log.
        "pypdf": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
    },
}

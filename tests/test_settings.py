"""Settings come from the environment; production values pass `check --deploy`."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.redis_server import redis_url

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k3Jq9vXw2LmZ8rT5yB7nC4hF6dG1sA0pQeUiOoPaSdFgHjKlZxCvBnM",
    "ALLOWED_HOSTS": "jobs.example.org",
    "CLAMAV_SOCKET": "/run/clamav/clamd.ctl",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_values_pass_the_deployment_check_without_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_without_debug_is_refused():
    result = manage("check", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_is_refused():
    result = manage("check", DEBUG="yes")
    assert result.returncode != 0
    assert "DEBUG=yes" in result.stderr


def test_production_responses_carry_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings; from django.test import Client\n"
        "client = Client(HTTP_HOST='jobs.example.org')\n"
        "response = client.get('/admin/login/', secure=True)\n"
        "print(response.status_code, response.headers['Strict-Transport-Security'])\n"
        "print('csrf cookie secure:', response.cookies['csrftoken']['secure'])\n"
        "print('session cookie secure:', settings.SESSION_COOKIE_SECURE)\n"
        "print('plain http:', client.get('/admin/login/').status_code)\n"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "200 max-age=31536000; includeSubDomains; preload" in result.stdout
    assert "csrf cookie secure: True" in result.stdout
    assert "session cookie secure: True" in result.stdout
    assert "plain http: 301" in result.stdout


def test_redis_url_gives_every_process_the_same_cache():
    key = f"test-shared-cache-{uuid.uuid4()}"
    code = (
        "from django.core.cache import caches\ncache = caches['default']\n"
        f"cache.set({key!r}, 'shared', 60)\n"
        "other = caches.create_connection('default')\n"
        f"print(type(cache).__name__, other.get({key!r})); cache.delete({key!r})\n"
    )
    result = manage("shell", "-c", code, REDIS_URL=redis_url(), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RedisCache shared" in result.stdout


def test_without_redis_url_each_process_keeps_its_own_cache():
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    result = manage("shell", "-c", code, **PRODUCTION)
    assert "LocMemCache" in result.stdout, result.stderr


def test_an_empty_database_url_means_the_default_sqlite_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "--verbosity", "0", "-c", code, DEBUG="True", DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"

"""gunicorn.conf.py loads the site with production values and reads its own from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from tests.test_settings import PRODUCTION

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def gunicorn(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "PORT", "WEB_CONCURRENCY")}
    return subprocess.run(
        [GUNICORN, *args, "-c", "gunicorn.conf.py", "jobboard.wsgi"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
    )


def printed(result):
    """The settings `--print-config` printed, as {name: value}."""
    pairs = (line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_the_configuration_loads_the_site_with_production_values():
    result = gunicorn("--check-config")
    assert result.returncode == 0, result.stdout + result.stderr


def test_port_and_workers_come_from_the_environment():
    result = gunicorn("--print-config", PORT="9000", WEB_CONCURRENCY="3")
    assert result.returncode == 0, result.stderr
    settings = printed(result)
    assert settings["bind"] == "['0.0.0.0:9000']"
    assert settings["workers"] == "3"
    assert settings["forwarded_allow_ips"] == "['127.0.0.1']"
    assert settings["accesslog"] == "-"


def test_by_default_it_serves_port_8000_with_2_workers_that_restart_now_and_then():
    result = gunicorn("--print-config")
    settings = printed(result)
    assert settings["bind"] == "['0.0.0.0:8000']"
    assert settings["workers"] == "2"
    assert int(settings["max_requests"]) > 0
    assert int(settings["max_requests_jitter"]) > 0
    assert settings["preload_app"] == "True"

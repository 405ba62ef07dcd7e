"""The machine's Redis (CI has one too), for the tests of the shared cache."""

import pytest
import redis

URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """URL, or the test is skipped when no Redis answers there."""
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"no Redis at {URL} ({error}); the shared cache is not tested")
    return URL

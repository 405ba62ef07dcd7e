import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def digests_at_any_hour(settings):
    # Digests wait for ALERT_DIGEST_HOUR; the tests run at any time of day.
    settings.ALERT_DIGEST_HOUR = 0

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()

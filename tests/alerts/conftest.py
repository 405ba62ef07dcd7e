import pytest


@pytest.fixture(autouse=True)
def digests_at_any_hour(settings):
    # Digests wait for ALERT_DIGEST_HOUR; the tests run at any time of day.
    settings.ALERT_DIGEST_HOUR = 0

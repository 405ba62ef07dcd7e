"""Staff sessions end after 30 minutes idle and after 8 hours in all (jobboard.middleware)."""

from unittest import mock

import pytest
from django.conf import settings

ADMIN = "/admin/"


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def advance(self, *, minutes=0, hours=0):
        self.now += minutes * 60 + hours * 3600


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("jobboard.middleware.time", side_effect=lambda: clock.now):
        yield clock


@pytest.fixture
def logged_in(client, bob, clock):
    client.force_login(bob)
    assert client.get(ADMIN).status_code == 200
    return client


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_29_minutes_idle_keep_the_session(logged_in, clock):
    clock.advance(minutes=29)
    assert logged_in.get(ADMIN).status_code == 200
    assert is_logged_in(logged_in)


def test_31_minutes_idle_end_it_and_send_to_the_admin_login(logged_in, clock):
    clock.advance(minutes=31)
    response = logged_in.get(ADMIN + "offers/offer/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/offers/offer/%3Fq%3Dx"
    assert not is_logged_in(logged_in)


def test_activity_counts_from_the_last_request(logged_in, clock):
    for _ in range(3):
        clock.advance(minutes=20)
        assert logged_in.get(ADMIN).status_code == 200
    assert is_logged_in(logged_in)


def test_8_hours_1_minute_of_constant_activity_end_it(logged_in, clock):
    for _ in range(24):
        clock.advance(minutes=20)
        logged_in.get("/healthz")
    assert is_logged_in(logged_in)  # 8 hours exactly
    clock.advance(minutes=1)
    assert logged_in.get(ADMIN).status_code == 302
    assert not is_logged_in(logged_in)


def test_off_the_admin_an_ended_session_goes_on_anonymously(logged_in, clock):
    clock.advance(minutes=31)
    assert logged_in.get("/healthz").status_code == 200
    assert not is_logged_in(logged_in)


def test_the_limits_come_from_settings(logged_in, clock, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    clock.advance(minutes=6)
    assert logged_in.get(ADMIN).status_code == 302


def test_the_session_cookie_lasts_no_longer_than_a_staff_session():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600

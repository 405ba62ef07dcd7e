"""Five wrong passwords for one username from one client address lock that pair out of the staff login
for 30 minutes (django-axes, configured in jobboard/settings.py)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F

from tests.factories import PASSWORD

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def static_files_without_collectstatic(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def log_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def fail(client, username, times, **extra):
    for n in range(1, times + 1):
        assert log_in(client, username, "wrong", **extra).status_code == (429 if n >= 5 else 200)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_after_five_wrong_ones_is_refused_with_the_lockout_page(client, bob):
    fail(client, "bob", 5)

    response = log_in(client, "bob", PASSWORD)

    assert response.status_code == 429
    assert "Trop de connexions échouées" in response.text
    assert "30 minutes" in response.text
    assert not is_logged_in(client)


def test_the_lockout_page_speaks_the_admins_language(client, bob, settings):
    # The admin has no language prefix: it speaks LANGUAGE_CODE.
    settings.LANGUAGE_CODE = "nl"
    fail(client, "bob", 5)

    response = log_in(client, "bob", PASSWORD)

    assert response.status_code == 429
    assert "Te veel mislukte aanmeldingen" in response.text


def test_four_wrong_passwords_do_not_lock_out(client, bob):
    fail(client, "bob", 4)

    assert log_in(client, "bob", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_another_username_from_the_same_address_is_not_locked_out(client, alice, bob):
    fail(client, "bob", 5)

    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert is_logged_in(client)


def minutes_pass(minutes):
    # Axes compares its stored attempt times with now: moving them back is time passing.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_29_minutes_later_the_lockout_holds(client, bob):
    fail(client, "bob", 5)
    minutes_pass(29)

    assert log_in(client, "bob", PASSWORD).status_code == 429


def test_31_minutes_later_the_right_password_works_again(client, bob):
    fail(client, "bob", 5)
    minutes_pass(31)

    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_resetting_the_username_lifts_the_lockout(client, bob):
    fail(client, "bob", 5)

    call_command("axes_reset_username", "bob")

    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, bob):
    fail(client, "bob", 4)
    assert log_in(client, "bob", PASSWORD).status_code == 302
    client.logout()

    fail(client, "bob", 4)

    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_behind_a_proxy_each_forwarded_client_is_counted_apart(client, bob, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    fail(client, "bob", 5, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    assert log_in(client, "bob", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    assert log_in(client, "bob", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302


def test_behind_a_proxy_a_made_up_forwarded_address_does_not_escape_the_lockout(client, bob, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    fail(client, "bob", 5, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    response = log_in(client, "bob", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5", **proxy)

    assert response.status_code == 429


def test_force_login_still_works(client, bob):
    client.force_login(bob)

    assert client.get("/admin/").status_code == 200

"""The subscriber confirms their alert with the link of the confirmation e-mail."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alerts.models import Alert
from tests.alerts.alerting import confirmation_link, make_alert, path_of, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client, mailoutbox):
    with translation.override("en"):
        subscribe(client, reverse("alerts:subscribe"))
    return path_of(confirmation_link(mailoutbox[0]))


def confirm_url(token):
    with translation.override("en"):
        return reverse("alerts:confirm", args=[token])


def test_opening_the_link_shows_a_button_and_confirms_nothing_yet(client, link):
    response = client.get(link)

    assert response.status_code == 200
    assert '<form method="post">' in response.content.decode()
    assert "Confirm my alert" in response.content.decode()
    assert Alert.objects.get().confirmed_at is None


def test_the_button_confirms_the_alert_and_shows_that_it_is_on(client, link):
    response = client.post(link)

    assert response.status_code == 302
    assert Alert.objects.get().confirmed_at is not None
    page = client.get(response["Location"])
    assert "Your alert is on" in page.content.decode()
    assert "Contract: Internship" in page.content.decode()


def test_confirming_twice_keeps_the_first_confirmation_time(client, link):
    client.post(link)
    first = Alert.objects.get().confirmed_at

    client.post(link)

    assert Alert.objects.get().confirmed_at == first


def test_confirming_needs_the_csrf_token():
    alert = make_alert(confirmed_at=None)

    response = Client(enforce_csrf_checks=True).post(confirm_url(alert.confirmation_token()))

    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_a_tampered_link_is_refused_with_a_clear_page(client):
    alert = make_alert(confirmed_at=None)
    token = alert.confirmation_token()
    tampered = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")

    for response in (client.get(confirm_url(tampered)), client.post(confirm_url(tampered))):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_an_unsubscribe_link_does_not_confirm(client):
    alert = make_alert(confirmed_at=None)

    response = client.post(confirm_url(alert.unsubscribe_token()))

    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_an_expired_link_is_refused_with_a_clear_page(client, monkeypatch):
    alert = make_alert(confirmed_at=None)
    eight_days_ago = time.time() - timedelta(days=8).total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: eight_days_ago)
        token = alert.confirmation_token()

    response = client.post(confirm_url(token))

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_the_link_of_a_deleted_alert_says_so(client):
    alert = make_alert(confirmed_at=None)
    token = alert.confirmation_token()
    alert.delete()

    response = client.get(confirm_url(token))

    assert response.status_code == 404
    assert "This alert no longer exists" in response.content.decode()


def test_the_confirmation_page_is_kept_out_of_caches_search_engines_and_other_sites(client, link):
    response = client.get(link)

    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_the_confirmation_page_never_shows_the_address(client, link):
    client.post(link)

    assert "camille@example.org" not in client.get(link).content.decode()

"""Every alert e-mail unsubscribes in one click (RFC 8058), from the mail client or from a page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alerts.models import Alert, SentOffer
from tests.alerts.alerting import make_alert, path_of, send_alerts, unsubscribe_link
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert():
    return make_alert(email="camille@example.org")


@pytest.fixture
def message(alert, mailoutbox):
    make_offer()
    send_alerts()
    return mailoutbox[0]


def unsubscribe_url(token):
    with translation.override("en"):
        return reverse("alerts:unsubscribe", args=[token])


def test_the_email_has_list_unsubscribe_headers_for_one_click(message):
    headers = message.message()

    assert headers["List-Unsubscribe"] == f"<{unsubscribe_link(message)}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mail_client_unsubscribes_with_one_post_and_no_csrf_token(alert, message):
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(path_of(unsubscribe_link(message)), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Alert.objects.exists()
    assert not SentOffer.objects.exists()


def test_opening_the_link_shows_a_page_with_a_button_and_changes_nothing(client, alert):
    response = client.get(unsubscribe_url(alert.unsubscribe_token()))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop this alert?" in html
    assert '<form method="post">' in html
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_button_unsubscribes_and_says_so(client, alert):
    response = client.post(unsubscribe_url(alert.unsubscribe_token()))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Alert.objects.exists()


def test_unsubscribing_twice_is_no_error(client, alert):
    url = unsubscribe_url(alert.unsubscribe_token())
    client.post(url)

    assert client.post(url).status_code == 200
    assert "This alert is already stopped" in client.get(url).content.decode()


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(client, alert):
    response = client.post(unsubscribe_url(alert.confirmation_token()))

    assert response.status_code == 400
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_unsubscribe_page_never_shows_the_address(client, alert):
    assert "camille@example.org" not in client.get(unsubscribe_url(alert.unsubscribe_token())).content.decode()

"""Subscribers' addresses are shown to superusers only: recruiters never see them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from alerts.models import Alert
from tests.alerts.alerting import make_alert, send_alerts
from tests.factories import make_offer

pytestmark = pytest.mark.django_db

ADDRESS = "discreet.subscriber@example.org"


@pytest.fixture
def alert():
    return make_alert(email=ADDRESS)


def admin_urls(alert):
    return [
        reverse("admin:alerts_alert_changelist"),
        reverse("admin:alerts_alert_change", args=[alert.pk]),
        reverse("admin:alerts_alert_delete", args=[alert.pk]),
        reverse("admin:alerts_alert_history", args=[alert.pk]),
    ]


def test_the_alerts_admin_is_forbidden_to_a_recruiter(client, bob, alert):
    client.force_login(bob)

    for url in admin_urls(alert):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("admin:alerts_alert_delete", args=[alert.pk]), {"post": "yes"}).status_code == 403
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_alerts_admin_is_forbidden_to_a_recruiter_even_with_the_model_permissions(client, bob, alert):
    bob.user_permissions.set(Permission.objects.filter(content_type__app_label="alerts"))
    client.force_login(bob)

    for url in admin_urls(alert):
        assert client.get(url).status_code == 403, url


def test_a_recruiters_staff_area_does_not_list_alerts(client, bob, alert):
    client.force_login(bob)

    assert reverse("admin:alerts_alert_changelist") not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:app_list", args=["alerts"])).status_code == 404


def test_a_superuser_sees_the_subscribers_and_can_delete_an_alert(client, superuser, alert):
    client.force_login(superuser)

    assert ADDRESS in client.get(reverse("admin:alerts_alert_changelist")).content.decode()
    assert ADDRESS in client.get(reverse("admin:alerts_alert_change", args=[alert.pk])).content.decode()
    client.post(reverse("admin:alerts_alert_delete", args=[alert.pk]), {"post": "yes"})
    assert not Alert.objects.exists()


def test_no_alerts_can_be_added_in_the_admin(client, superuser):
    client.force_login(superuser)

    assert client.get(reverse("admin:alerts_alert_add")).status_code == 403


def test_no_page_a_recruiter_can_open_shows_a_subscriber_address(client, alice, bob, organisation, alert, mailoutbox):
    offer = make_offer(organisation=organisation)
    send_alerts()  # the offer now has a row in the alert's sent offers, listed when it is deleted
    assert mailoutbox
    pages = [
        reverse("admin:index"),
        reverse("admin:offers_offer_changelist"),
        reverse("admin:offers_offer_change", args=[offer.pk]),
        reverse("admin:offers_offer_delete", args=[offer.pk]),
        reverse("offers:list"),
        offer.get_absolute_url(),
        reverse("alerts:subscribe"),
        reverse("alerts:check_mailbox"),
        reverse("alerts:confirm", args=[alert.confirmation_token()]),
        reverse("alerts:unsubscribe", args=[alert.unsubscribe_token()]),
    ]
    for user in (alice, bob):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 403), (url, response.status_code)
            assert ADDRESS not in response.content.decode(), url

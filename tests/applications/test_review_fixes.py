"""Leaks and crashes found in review, each pinned by a test."""

import logging
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import emails
from applications.models import Application
from tests.factories import give_private_link, make_application, make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


@pytest.fixture
def discreet(organisation):
    offer = make_offer(organisation=organisation)
    return make_application(offer=offer, last_name="Dupont", email="helene@example.org", is_discreet=True)


@pytest.mark.parametrize("lookup", ["last_name__exact=Dupont", "email__startswith=helene", "first_name=Camille"])
def test_a_url_filter_cannot_confirm_who_applied(client, bob, discreet, lookup):
    client.force_login(bob)
    response = client.get(reverse("admin:applications_application_changelist") + "?" + lookup)
    assert response.status_code == 400


def test_the_outbox_cannot_be_searched_for_a_private_link(client, alice, discreet):
    token = give_private_link(discreet)
    emails.send_received(discreet, token)  # still pending: no on_commit in this test
    client.force_login(alice)
    url = reverse("admin:applications_email_changelist") + f"?body__contains=/candidature/{token[:3]}"
    assert client.get(url).status_code == 400


def test_an_offer_with_applications_cannot_be_deleted_and_its_page_names_no_candidate(client, alice, discreet):
    client.force_login(alice)
    response = client.get(reverse("admin:offers_offer_delete", args=[discreet.offer_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dupont" not in page and "helene" not in page
    assert "Cannot delete offer" in page


def test_a_rejected_candidate_cannot_withdraw_any_more(bob):
    application = make_application()
    application.move_to(Application.Status.REJECTED, by=bob)
    with pytest.raises(ValidationError):
        application.withdraw()


def test_the_logs_never_hold_a_private_link(client, caplog):
    application = make_application()
    token = give_private_link(application)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("applications:erase", args=[token]), {})
    assert response.status_code == 400
    handler_filter = logging.getLogger().handlers[0].filters[0]
    for record in caplog.records:
        handler_filter.filter(record)
        assert token not in record.getMessage()


def test_a_nul_byte_in_a_resent_form_is_a_4xx(client):
    offer = make_offer()
    response = client.post(
        reverse("applications:apply", args=[offer.slug]),
        {"email": "a\x00b@example.org", "submission_key": str(uuid.uuid4()), "first_name": "x"},
    )
    assert 400 <= response.status_code < 500

"""A candidate subscribes to the internships from the list and confirms the alert from the e-mail."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from alerts.models import Alert
from offers.models import Offer
from tests.browser.conftest import PHONE
from tests.factories import make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_subscribes_to_internships_and_confirms_from_the_email(page, screenshot, live_server, settings):
    settings.SITE_URL = live_server.url
    make_offer(title="Stagiaire communication (h/f/x)", contract_type=Offer.ContractType.INTERNSHIP)
    make_offer(title="Secrétaire général·e")

    page.goto("/offres/?internships=on")
    box = page.locator(".subscribe-box")
    expect(box).to_be_visible()
    screenshot("alerts-list-desktop")
    screenshot("alerts-list-phone", PHONE)

    box.get_by_label("e-mail", exact=False).fill("camille@example.org")
    box.locator("#alert_frequency_2").check()
    box.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/alertes/verifiez-vos-e-mails/")
    alert = Alert.objects.get()
    assert (alert.query, alert.frequency, alert.language) == ("internships=on", Alert.Frequency.WEEKLY, "fr")
    assert "camille@example.org" not in page.content()

    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "/alertes/confirmer/" in word)
    page.goto(urlsplit(link).path)
    page.locator("main form button[type=submit]").click()

    with translation.override("fr"):
        confirmed = gettext("Your alert is on")
    expect(page.get_by_role("heading", level=1)).to_have_text(confirmed)
    screenshot("alerts-confirmed-desktop")
    alert.refresh_from_db()
    assert alert.confirmed_at is not None

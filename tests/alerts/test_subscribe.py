"""A candidate subscribes to the search of the offer list."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alerts.models import Alert
from tests.alerts.alerting import confirmation_link, make_alert, path_of, subscribe

pytestmark = pytest.mark.django_db


def test_the_list_has_a_subscribe_box_carrying_its_search(client):
    response = client.get(reverse("offers:list"), {"contract": "internship", "page": "2"})

    html = response.content.decode()
    assert f'action="{reverse("alerts:subscribe")}"' in html
    assert 'name="query" value="contract=internship"' in html
    assert 'autocomplete="email"' in html
    assert html.count('name="frequency"') == 3
    # The list is cached whole for anonymous visitors: no visitor's token may be in it.
    assert 'name="csrfmiddlewaretoken"' not in html
    assert "csrftoken" not in response.cookies


def test_subscribing_needs_no_csrf_token(db):
    response = subscribe(Client(enforce_csrf_checks=True))

    assert response.status_code == 302
    assert Alert.objects.count() == 1


def test_subscribing_stores_an_unconfirmed_alert_with_the_normalised_search(client):
    query = "page=3&sort=deadline&contract=internship&utm_source=mail&q=&closed=on&remote=true&contract=fixed_term"

    response = subscribe(client, email="Camille@Example.org", query=query)

    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:check_mailbox")
    alert = Alert.objects.get()
    assert alert.email == "camille@example.org"
    assert alert.query == "contract=fixed_term&contract=internship&remote=on"
    assert (alert.frequency, alert.language, alert.confirmed_at) == (Alert.Frequency.DAILY, "fr", None)


def test_subscribing_sends_one_confirmation_email_to_the_subscriber_only(client, mailoutbox):
    subscribe(client)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert (message.to, message.cc, message.bcc) == (["camille@example.org"], [], [])
    assert path_of(confirmation_link(message)).startswith("/alertes/confirmer/")


def test_the_alert_keeps_the_language_of_the_page(client, mailoutbox):
    with translation.override("nl"):
        url = reverse("alerts:subscribe")

    subscribe(client, url)

    assert Alert.objects.get().language == "nl"
    assert path_of(confirmation_link(mailoutbox[0])).startswith("/nl/alertes/confirmer/")


def test_subscribing_twice_to_the_same_search_makes_one_alert_and_the_same_answer(client, mailoutbox):
    first = subscribe(client, query="contract=internship")
    second = subscribe(client, query="sort=deadline&contract=internship&page=2")

    assert Alert.objects.count() == 1
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert len(mailoutbox) == 2  # the link again, for whoever lost the first e-mail


def test_subscribing_again_to_a_confirmed_alert_answers_the_same_and_tells_only_the_mailbox(client, mailoutbox):
    make_alert(email="camille@example.org", query="contract=internship", frequency=Alert.Frequency.DAILY)
    unknown = subscribe(client, email="someone.else@example.org")

    known = subscribe(client, email="camille@example.org")

    assert Alert.objects.count() == 2
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert "/alertes/confirmer/" not in mailoutbox[-1].body
    assert "/alertes/se-desabonner/" in mailoutbox[-1].body


def test_the_same_search_at_another_frequency_is_another_alert(client):
    subscribe(client, frequency=Alert.Frequency.DAILY)
    subscribe(client, frequency=Alert.Frequency.WEEKLY)

    assert sorted(Alert.objects.values_list("frequency", flat=True)) == [Alert.Frequency.DAILY, Alert.Frequency.WEEKLY]


def test_an_invalid_search_is_refused_with_a_message(client, mailoutbox):
    with translation.override("en"):
        url = reverse("alerts:subscribe")

    response = subscribe(client, url, query="contract=internship&organisation=nobody")

    assert response.status_code == 400
    assert "This search cannot be followed" in response.content.decode()
    assert "Organisation" in response.content.decode()
    assert not Alert.objects.exists()
    assert mailoutbox == []


def test_an_invalid_address_is_refused_next_to_the_field(client, mailoutbox):
    response = subscribe(client, email="not-an-address")

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    html = response.content.decode()
    field = html[html.index('id="div_alert_email"') :]
    assert "invalid-feedback" in field[: field.index('id="div_alert_frequency"')]
    assert not Alert.objects.exists()


def test_a_robot_filling_in_the_trap_is_told_it_worked_and_nothing_is_kept(client, mailoutbox):
    response = subscribe(client, website="https://spam.example")

    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:check_mailbox")
    assert not Alert.objects.exists()
    assert mailoutbox == []


def test_a_client_address_over_the_limit_gets_a_429(client, settings, mailoutbox):
    settings.APPLICATION_RATE_LIMIT = 2
    for n in range(2):
        assert subscribe(client, email=f"camille{n}@example.org").status_code == 302

    response = subscribe(client, email="camille9@example.org")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Alert.objects.count() == 2
    assert len(mailoutbox) == 2


def test_a_failing_mail_server_gets_a_503_and_subscribing_again_works(client, mailoutbox, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        assert subscribe(client).status_code == 503

    assert subscribe(client).status_code == 302
    assert len(mailoutbox) == 1
    assert Alert.objects.count() == 1


def test_the_subscribe_page_says_what_the_search_is(client):
    with translation.override("en"):
        url = reverse("alerts:subscribe")

    response = client.get(url, {"contract": "internship", "page": "2"})

    assert response.status_code == 200
    assert "Contract: Internship" in response.content.decode()


def test_the_check_your_mailbox_page_never_shows_the_address(client):
    response = subscribe(client, email="camille@example.org")

    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "camille@example.org" not in page.content.decode()

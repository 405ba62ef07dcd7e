"""`send_alerts` e-mails new matching offers, once, when each alert is due."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert, SentOffer
from offers.models import Offer
from tests.alerts.alerting import links_in, make_alert, path_of, send_alerts, unsubscribe_link
from tests.factories import make_offer
from tests.test_settings import manage

pytestmark = pytest.mark.django_db


def test_a_new_matching_offer_is_sent_once(mailoutbox):
    alert = make_alert(query="contract=internship")
    offer = make_offer(contract_type=Offer.ContractType.INTERNSHIP, title="Stagiaire communication")

    send_alerts()
    send_alerts()

    assert len(mailoutbox) == 1
    assert "Stagiaire communication" in mailoutbox[0].body
    assert list(SentOffer.objects.values_list("alert", "offer")) == [(alert.pk, offer.pk)]


def test_an_offer_that_does_not_match_the_search_is_not_sent(mailoutbox):
    make_alert(query="contract=internship")
    make_offer(contract_type=Offer.ContractType.PERMANENT)

    send_alerts()

    assert mailoutbox == []


@pytest.mark.parametrize(
    "state",
    [
        {"status": Offer.Status.DRAFT, "published_at": None},
        {"status": Offer.Status.CLOSED},
        {"status": Offer.Status.ARCHIVED},
        {"deadline": timezone.now() - timedelta(hours=1)},
        {"status": Offer.Status.SCHEDULED, "published_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "closed", "archived", "deadline passed", "scheduled later"],
)
def test_an_offer_that_is_not_open_is_not_sent(mailoutbox, state):
    make_alert()
    make_offer(**state)

    send_alerts()

    assert mailoutbox == []


def test_an_offer_published_before_the_confirmation_is_not_sent(mailoutbox):
    make_offer(published_at=timezone.now() - timedelta(days=3))
    make_alert(confirmed_at=timezone.now() - timedelta(days=2))

    send_alerts()

    assert mailoutbox == []


def test_nothing_is_sent_before_confirmation(mailoutbox):
    make_alert(confirmed_at=None)
    make_offer()

    send_alerts()

    assert mailoutbox == []
    assert not SentOffer.objects.exists()


def test_the_email_links_to_the_offer_and_the_search_from_the_site_address(mailoutbox, settings):
    settings.SITE_URL = "https://jobs.example.org"
    make_alert(query="contract=internship")
    offer = make_offer(contract_type=Offer.ContractType.INTERNSHIP)

    send_alerts()

    links = links_in(mailoutbox[0])
    assert f"https://jobs.example.org/offres/{offer.slug}/" in links
    assert "https://jobs.example.org/offres/?contract=internship" in links
    assert f'href="https://jobs.example.org/offres/{offer.slug}/"' in mailoutbox[0].alternatives[0].content


def test_a_dutch_alert_links_to_dutch_pages(mailoutbox):
    make_alert(language="nl")
    offer = make_offer()

    send_alerts()

    paths = [path_of(link) for link in links_in(mailoutbox[0])]
    assert f"/nl/offres/{offer.slug}/" in paths
    assert path_of(unsubscribe_link(mailoutbox[0])).startswith("/nl/alertes/se-desabonner/")
    assert not any(path.startswith("/offres/") for path in paths)


def test_a_daily_digest_groups_the_new_offers_in_one_email(mailoutbox):
    make_alert(frequency=Alert.Frequency.DAILY)
    first, second = make_offer(title="Attaché·e de presse"), make_offer(title="Collaborateur·rice parlementaire")

    send_alerts()

    assert len(mailoutbox) == 1
    assert first.title in mailoutbox[0].body and second.title in mailoutbox[0].body
    assert SentOffer.objects.count() == 2


def test_a_daily_digest_waits_a_day_after_the_last_one(mailoutbox):
    alert = make_alert(frequency=Alert.Frequency.DAILY)
    make_offer()
    send_alerts()
    make_offer(title="Arrivée après le résumé")

    send_alerts()
    assert len(mailoutbox) == 1

    alert.refresh_from_db()
    alert.last_checked_at -= timedelta(days=1)
    alert.save()
    send_alerts()
    assert len(mailoutbox) == 2
    assert "Arrivée après le résumé" in mailoutbox[1].body


def test_a_weekly_digest_waits_a_week_after_the_last_one(mailoutbox):
    alert = make_alert(frequency=Alert.Frequency.WEEKLY, last_checked_at=timezone.now() - timedelta(days=6))
    make_offer()

    send_alerts()
    assert mailoutbox == []

    alert.last_checked_at -= timedelta(days=1)
    alert.save()
    send_alerts()
    assert len(mailoutbox) == 1


def test_a_new_daily_alert_waits_until_the_day_after_its_confirmation(settings):
    settings.ALERT_DIGEST_HOUR = 7
    confirmed = timezone.localtime().replace(hour=10, minute=0)
    alert = Alert(frequency=Alert.Frequency.DAILY, confirmed_at=confirmed)

    assert not alert.is_due(confirmed + timedelta(hours=13))
    assert alert.is_due(confirmed + timedelta(hours=21))


def test_digests_go_out_from_the_digest_hour(settings):
    settings.ALERT_DIGEST_HOUR = 7
    alert = Alert(frequency=Alert.Frequency.DAILY, confirmed_at=timezone.now() - timedelta(days=3))
    morning = timezone.localtime().replace(hour=6, minute=59)

    assert not alert.is_due(morning)
    assert alert.is_due(morning + timedelta(minutes=1))


def test_an_instant_alert_is_due_at_every_run():
    alert = Alert(frequency=Alert.Frequency.INSTANT, confirmed_at=timezone.now(), last_checked_at=timezone.now())

    assert alert.is_due(timezone.now())


def test_the_frequency_option_sends_only_those_alerts(mailoutbox):
    make_alert(email="instant@example.org", frequency=Alert.Frequency.INSTANT)
    make_alert(email="daily@example.org", frequency=Alert.Frequency.DAILY)
    make_offer()

    send_alerts("--frequency", "daily")

    assert [message.to for message in mailoutbox] == [["daily@example.org"]]


def test_each_subscriber_gets_their_own_email_with_no_other_address(mailoutbox):
    addresses = ["ann@example.org", "bert@example.org", "chloe@example.org"]
    for address in addresses:
        make_alert(email=address)
    make_offer()

    send_alerts()

    assert sorted(message.to[0] for message in mailoutbox) == addresses
    for message in mailoutbox:
        assert (len(message.to), message.cc, message.bcc) == (1, [], [])
        raw = message.message().as_string()
        assert [address for address in addresses if address in raw] == message.to


def test_a_mail_server_down_records_nothing_and_the_next_run_sends(mailoutbox, monkeypatch):
    alert = make_alert()
    make_offer()

    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        output = send_alerts()

    assert "1 not sent" in output
    assert not SentOffer.objects.exists()
    alert.refresh_from_db()
    assert alert.last_checked_at is None

    send_alerts()
    assert len(mailoutbox) == 1
    assert SentOffer.objects.count() == 1


def test_a_search_that_no_longer_validates_matches_nothing_rather_than_everything(mailoutbox):
    gone = make_offer(status=Offer.Status.ARCHIVED)
    make_alert(query=f"organisation={gone.organisation.slug}")
    make_offer()

    send_alerts()

    assert mailoutbox == []


def test_unconfirmed_alerts_older_than_7_days_are_deleted():
    now = timezone.now()
    expired = make_alert(confirmed_at=None, requested_at=now - timedelta(days=7, minutes=1))
    pending = make_alert(confirmed_at=None, requested_at=now - timedelta(days=6))
    confirmed = make_alert(requested_at=now - timedelta(days=30), confirmed_at=now - timedelta(days=29))

    output = send_alerts()

    assert set(Alert.objects.values_list("pk", flat=True)) == {pending.pk, confirmed.pk}
    assert not Alert.objects.filter(pk=expired.pk).exists()
    assert "1 unconfirmed alerts deleted" in output


def test_the_command_says_what_it_did():
    make_alert()
    make_offer()
    make_offer()

    assert send_alerts().strip() == (
        "Alerts: 1 e-mails sent (2 offers), 0 not sent (retried at the next run), 0 unconfirmed alerts deleted."
    )


@pytest.mark.parametrize("offers", [1, 8])
def test_sending_costs_the_same_queries_whatever_the_number_of_offers(offers, mailoutbox, django_assert_num_queries):
    for _ in range(3):
        make_alert(query="contract=fixed_term&q=mission")
    for _ in range(offers):
        make_offer()

    # Expired alerts, confirmed alerts; then for each alert: savepoint, lock it, its offers, their places,
    # record them, mark it served, release.
    with django_assert_num_queries(2 + 3 * 7):
        send_alerts()

    assert len(mailoutbox) == 3


def test_a_digest_hour_out_of_range_is_refused():
    result = manage("check", DEBUG="True", ALERT_DIGEST_HOUR="24")

    assert result.returncode != 0
    assert "ALERT_DIGEST_HOUR=24" in result.stderr

"""With a task worker (TASKS_BACKEND=database), `send_alerts --enqueue` leaves the sending to it."""

import pytest
from django.core.management import call_command

from alerts.models import Alert, SentOffer
from tests.alerts.alerting import make_alert, send_alerts
from tests.factories import make_offer
from tests.worker import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def test_enqueued_alerts_go_when_the_worker_runs_and_once(mailoutbox):
    make_alert()
    make_offer(title="Stagiaire communication")

    output = send_alerts("--enqueue")
    assert "enqueued" in output
    assert mailoutbox == []

    send_alerts("--enqueue")
    run_worker()

    assert len(mailoutbox) == 1 and "Stagiaire communication" in mailoutbox[0].body
    assert SentOffer.objects.count() == 1


def test_without_enqueue_the_command_sends_at_once_even_with_a_worker(mailoutbox):
    make_alert()
    make_offer()

    output = send_alerts()

    assert len(mailoutbox) == 1
    assert "1 e-mails sent (1 offers)" in output


def test_the_frequency_goes_with_the_enqueued_task(mailoutbox):
    make_alert(frequency=Alert.Frequency.DAILY)
    make_offer()

    call_command("send_alerts", "--enqueue", "--frequency", Alert.Frequency.INSTANT, stdout=None)
    run_worker()

    assert mailoutbox == []

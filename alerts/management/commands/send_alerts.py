from django.core.management.base import BaseCommand

from alerts.models import Alert
from alerts.tasks import send_alerts


class Command(BaseCommand):
    help = (
        "Send the alert e-mails that are due (instant alerts at every run, digests once a day or a week) and "
        "delete unconfirmed alerts whose link has expired. Run it every few minutes from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", choices=Alert.Frequency.values, help="Only alerts of this frequency (default: all of them)."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the work to the task worker (TASKS_BACKEND=database) instead of doing it here.",
        )

    def handle(self, *args, frequency=None, enqueue=False, **options):
        if enqueue:
            result = send_alerts.enqueue(frequency)
            self.stdout.write(f"Alerts: sending enqueued (task {result.id}).")
            return
        done = send_alerts.call(frequency)
        self.stdout.write(
            f"Alerts: {done['sent']} e-mails sent ({done['offers']} offers), {done['failed']} not sent "
            f"(retried at the next run), {done['deleted']} unconfirmed alerts deleted."
        )

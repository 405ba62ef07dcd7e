import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts import emails
from alerts.models import Alert

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the alert e-mails that are due (instant alerts at every run, digests once a day or a week) and "
        "delete unconfirmed alerts whose link has expired. Run it every few minutes from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", choices=Alert.Frequency.values, help="Only alerts of this frequency (default: all of them)."
        )

    def handle(self, *args, frequency=None, **options):
        now = timezone.now()
        _total, deleted = Alert.objects.expired(now).delete()
        alerts = Alert.objects.confirmed()
        if frequency:
            alerts = alerts.filter(frequency=frequency)
        due = [alert.pk for alert in alerts.iterator() if alert.is_due(now)]
        sent = offers = failed = 0
        for pk in due:
            try:
                count = emails.send_new_offers(pk, now)
            except Exception:  # the mail server, mostly: nothing was recorded, the next run tries again
                logger.exception("Alert %s not sent; it will be retried at the next run.", pk)
                failed += 1
                continue
            sent += bool(count)
            offers += count
        self.stdout.write(
            f"Alerts: {sent} e-mails sent ({offers} offers), {failed} not sent (retried at the next run), "
            f"{deleted.get('alerts.Alert', 0)} unconfirmed alerts deleted."
        )

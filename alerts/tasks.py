"""Background tasks of the alerts app; a scheduler starts them (see README, Deploying)."""

import logging

from django.utils import timezone
from django_tasks import task

from alerts import emails
from alerts.models import Alert

logger = logging.getLogger(__name__)


@task()
def send_alerts(frequency: str | None = None) -> dict[str, int]:
    """Send the alert e-mails that are due (of one frequency, or all) and delete unconfirmed alerts
    whose link has expired; what was done.

    Run twice, it sends nothing new: each alert records what it was sent."""
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
    return {"sent": sent, "offers": offers, "failed": failed, "deleted": deleted.get("alerts.Alert", 0)}

"""E-mails about applications. Each is an `Email` row written in the same
transaction as what it is about, then sent once that transaction commits; a
failing mail server leaves it pending for `send_pending_emails` to retry."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from applications.models import Email

logger = logging.getLogger(__name__)


def queue(kind, to, subject, body, application=None, sent_by=None) -> Email:
    """Write the e-mail to the outbox; it goes out when the current transaction commits."""
    email = Email.objects.create(kind=kind, to=to, subject=subject, body=body, application=application, sent_by=sent_by)
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def deliver(email_pk) -> bool:
    """Try to send one pending e-mail; record the outcome. True when it went out."""
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_pk, status=Email.Status.PENDING).first()
        if email is None:
            return False  # sent meanwhile by another process, or erased
        email.attempts += 1
        try:
            EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
        except Exception as error:  # any failure of the mail server or the network
            logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
            email.last_error = str(error)[:300]
            if email.attempts >= Email.MAX_ATTEMPTS:
                email.status = Email.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            return False
        email.status = Email.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


def send_pending() -> tuple[int, int]:
    """Retry every pending e-mail, oldest first; (sent, still pending or failed)."""
    sent = failed = 0
    for pk in Email.objects.pending().order_by("created_at").values_list("pk", flat=True):
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed

"""E-mails about applications. Each is an `Email` row written in the same
transaction as what it is about; when that transaction commits, a `deliver_email`
task sends it. The row is the truth about it (status, attempts, last error): the
task sends a pending e-mail once whoever else tries, and a failure leaves it
pending. The database task backend's worker tries again after a growing delay;
`send_pending_emails`, run by a scheduler, sends whatever is still pending
(the only retry with the immediate backend, and the safety net when a worker
was down or died while sending)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from applications.models import Email, recruiters_of

logger = logging.getLogger(__name__)


def queue(kind, to, subject, body, application=None, sent_by=None) -> Email:
    """Write the e-mail to the outbox; it goes out when the current transaction commits."""
    email = Email.objects.create(kind=kind, to=to, subject=subject, body=body, application=application, sent_by=sent_by)
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


@task()
def deliver_email(email_pk: int) -> bool:
    """Send one outbox e-mail, once whoever else tries; True when it went out.

    Where the backend can run a task later (the database one), a failed attempt is
    tried again after `retry_delay`, until `Email.MAX_ATTEMPTS` marks it failed for
    good; with the immediate backend, `send_pending_emails` tries again."""
    if deliver(email_pk):
        return True
    if deliver_email.get_backend().supports_defer:
        attempts = Email.objects.pending().filter(pk=email_pk).values_list("attempts", flat=True).first()
        if attempts:  # None: sent, failed for good or erased meanwhile; 0: another process holds it
            deliver_email.using(run_after=timezone.now() + retry_delay(attempts)).enqueue(email_pk)
    return False


def retry_delay(attempts: int) -> timedelta:
    """A minute after the first failure, doubling at each one, at most an hour: about 4 hours in all."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver(email_pk) -> bool:
    """Try to send one pending e-mail, its row locked meanwhile; record the outcome. True when it went out.

    An e-mail already sent, failed for good, erased, or being sent by another
    process right now (its row is locked: that one decides) is left alone."""
    with transaction.atomic():
        email = Email.objects.select_for_update(skip_locked=True).pending().filter(pk=email_pk).first()
        if email is None:
            return False
        # Written before sending: SQLite has no row locks, and this write is what makes a second
        # process trying the same e-mail fail instead of sending it too. Should this process die
        # while sending, the transaction is rolled back and the e-mail stays pending, untried.
        email.attempts += 1
        email.save(update_fields=["attempts"])
        try:
            EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
        except Exception as error:  # any failure of the mail server or the network
            logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
            email.last_error = str(error)[:300]
            if email.attempts >= Email.MAX_ATTEMPTS:
                email.status = Email.Status.FAILED
                email.body = email.body_without_private_link()  # it will never be sent now
            email.save(update_fields=["last_error", "status", "body"])
            return False
        email.status = Email.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        # Once it is in the candidate's mailbox, the outbox keeps no usable private link.
        email.body = email.body_without_private_link()
        email.save(update_fields=["last_error", "status", "sent_at", "body"])
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


def send_received(application, token) -> Email:
    """The acknowledgement to the candidate, in the language they applied in, with their private link.

    The link is in this e-mail only: no page shows it, so that nobody else on the
    candidate's device finds it."""
    link = settings.SITE_URL + reverse("applications:private", args=[token])
    with translation.override(application.language):
        subject, body = _render("received", {"application": application, "link": link})
    return queue(Email.Kind.RECEIVED, application.email, subject, body, application=application)


def notify_recruiters(application) -> list[Email]:
    """Tell the organisation's recruiters, and its applications address, that an application arrived.

    Nothing about the candidate is in it, only what it is about and a link to the
    staff area: personal data stays in the board. Written in the site's language,
    the staff's, whatever the candidate's."""
    organisation = application.organisation
    addresses = {user.email.lower(): user.email for user in recruiters_of(organisation)}
    if organisation.applications_email:
        addresses.setdefault(organisation.applications_email.lower(), organisation.applications_email)
    link = settings.SITE_URL + application.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render("new_application", {"application": application, "link": link})
    return [
        queue(Email.Kind.NEW_APPLICATION, address, subject, body, application=application)
        for address in addresses.values()
    ]


def _render(name, context) -> tuple[str, str]:
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    body = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
    return subject[: Email._meta.get_field("subject").max_length], body

"""No e-mail is lost: each is a row first, sent after the commit, retried until it goes."""

import pytest
from django.core import mail
from django.core.management import call_command

from applications import emails
from applications.models import Email
from tests.factories import give_private_link, make_application

pytestmark = pytest.mark.django_db


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def queue_one(application):
    return emails.queue(Email.Kind.MESSAGE, "camille@example.org", "Votre candidature", "Bonjour", application)


def test_an_email_goes_out_after_the_commit(django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one(application)
        assert len(mail.outbox) == 0
    email.refresh_from_db()
    assert email.status == Email.Status.SENT and email.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Votre candidature"]


def test_a_failing_mail_server_leaves_the_email_pending_with_its_error(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one(make_application())
    email.refresh_from_db()
    assert email.status == Email.Status.PENDING
    assert "mail server down" in email.last_error


def test_the_retry_command_sends_each_pending_email_exactly_once(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_one(make_application())
        queue_one(make_application())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("send_pending_emails", stdout=None)
    call_command("send_pending_emails", stdout=None)

    assert len(mail.outbox) == 2
    assert Email.objects.filter(status=Email.Status.SENT).count() == 2


def test_an_email_that_keeps_failing_is_marked_failed_for_staff_to_see(settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    email = Email.objects.create(kind=Email.Kind.MESSAGE, to="x@example.org", subject="s", body="b")
    for _ in range(Email.MAX_ATTEMPTS):
        emails.deliver(email.pk)
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == Email.MAX_ATTEMPTS


def test_the_outbox_keeps_no_usable_private_link_once_the_acknowledgement_is_sent(
    django_capture_on_commit_callbacks,
):
    application = make_application()
    token = give_private_link(application)
    with django_capture_on_commit_callbacks(execute=True):
        email = emails.send_received(application, token)
    email.refresh_from_db()
    assert token in mail.outbox[0].body
    assert token not in email.body

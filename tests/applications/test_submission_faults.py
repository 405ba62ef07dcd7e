"""No application is lost or half-written: a failing disk, database or mail server leaves a whole one or none."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from applications import emails
from applications.models import Application, Document, Email
from tests.applications.applying import form_data, stored_files
from tests.factories import make_offer

# Each test runs on local private files and on the bucket of a real S3 server (tests/s3_server.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_private_storage")]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def offer(bob):
    return make_offer(organisation=bob.memberships.get().organisation)


@pytest.fixture
def url(offer):
    return reverse("applications:apply", args=[offer.slug])


def fail_on_second_call(real, error):
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise error
        return real(*args, **kwargs)

    return failing


def assert_nothing_kept():
    assert not Application.objects.exists()
    assert not Document.objects.exists()
    assert not Email.objects.exists()
    assert stored_files() == []


def test_a_disk_failing_on_the_second_file_keeps_nothing_and_says_so(client, url, monkeypatch):
    storage = Document._meta.get_field("file").storage
    monkeypatch.setattr(storage, "_save", fail_on_second_call(storage._save, OSError("No space left on device")))

    response = client.post(url, form_data(client, url))

    assert response.status_code == 503
    assert "applications/not_saved.html" in [t.name for t in response.templates]
    assert_nothing_kept()


def test_a_database_failing_after_the_files_were_written_keeps_nothing(client, url, monkeypatch):
    def create(**fields):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Email.objects, "create", create)

    response = client.post(url, form_data(client, url))

    assert response.status_code == 503
    assert_nothing_kept()


def test_a_database_failing_on_the_second_document_keeps_nothing(client, url, monkeypatch):
    monkeypatch.setattr(Document, "save", fail_on_second_call(Document.save, DatabaseError("disk I/O error")))

    response = client.post(url, form_data(client, url))

    assert response.status_code == 503
    assert_nothing_kept()


def test_a_mail_server_down_loses_no_application(client, url, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client, url))

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.documents.count() == 2
    assert len(stored_files()) == 2
    pending = Email.objects.filter(application=application)
    assert pending.count() == 2  # the acknowledgement and bob's notice
    assert all(e.status == Email.Status.PENDING and "mail server down" in e.last_error for e in pending)


def test_the_pending_emails_go_once_the_mail_server_is_back(client, url, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(client, url))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("send_pending_emails", stdout=None)
    call_command("send_pending_emails", stdout=None)

    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "camille.dupont@example.org"]
    assert not Email.objects.pending().exists()


@pytest.mark.django_db(transaction=True)
def test_an_email_failing_after_the_commit_leaves_the_application_whole(client, url, monkeypatch):
    def deliver(pk):
        raise DatabaseError("outbox row locked")

    monkeypatch.setattr(emails, "deliver", deliver)

    response = client.post(url, form_data(client, url))

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:sent")
    application = Application.objects.get()
    assert application.documents.count() == 2
    assert len(stored_files()) == 2
    assert Email.objects.pending().count() == 2

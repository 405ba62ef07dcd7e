"""With a task worker (TASKS_BACKEND=database), the outbox's e-mails wait in the queue until the worker runs;
each goes out once however often it is enqueued, a failing mail server is tried again later and then given
up for staff to see, and a worker that dies while sending leaves the e-mail to the safety net."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from applications import emails
from applications.models import Application, Email
from tests.applications.applying import form_data
from tests.factories import make_application, make_offer
from tests.test_settings import PRODUCTION, manage
from tests.worker import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class DyingBackend:
    """The worker's process ends while the mail server is being talked to (killed, out of memory)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SystemExit("killed")


class HangingBackend(BaseEmailBackend):
    """For the worker in a subprocess: says it is sending (a file in EMAIL_FILE_PATH), then hangs."""

    def send_messages(self, messages):
        (Path(django_settings.EMAIL_FILE_PATH) / "sending").touch()
        time.sleep(120)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def queue_one(application=None, subject="Your application"):
    return emails.queue(Email.Kind.MESSAGE, "camille@example.org", subject, "Hello", application or make_application())


def ready_tasks():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def test_an_application_enqueues_its_acknowledgement_and_nothing_is_sent_until_the_worker_runs(
    client, django_capture_on_commit_callbacks
):
    url = reverse("applications:apply", args=[make_offer().slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client, url))
    assert response.status_code == 302

    acknowledgement = Email.objects.get()
    assert ready_tasks().filter(task_path="applications.emails.deliver_email").count() == 1
    assert mail.outbox == []
    assert acknowledgement.status == Email.Status.PENDING

    run_worker()

    acknowledgement.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["camille.dupont@example.org"]]
    assert acknowledgement.status == Email.Status.SENT and acknowledgement.attempts == 1


def test_an_email_enqueued_twice_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()
    emails.deliver_email.enqueue(email.pk)

    run_worker()
    run_worker()

    email.refresh_from_db()
    assert len(mail.outbox) == 1
    assert email.status == Email.Status.SENT and email.attempts == 1
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [False, True]


def test_the_worker_leaves_alone_an_email_the_safety_net_already_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()

    call_command("send_pending_emails", stdout=None)
    run_worker()

    email.refresh_from_db()
    assert len(mail.outbox) == 1 and email.attempts == 1


def test_a_failing_mail_server_is_tried_again_later_with_growing_delays_then_given_up(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()

    run_worker()
    run_worker()  # the retry waits for its time

    email.refresh_from_db()
    assert email.status == Email.Status.PENDING and email.attempts == 1
    assert "mail server down" in email.last_error

    delays = []
    while retry := ready_tasks().first():
        delays.append(round((retry.run_after - retry.enqueued_at).total_seconds() / 60))
        ready_tasks().update(run_after=retry.enqueued_at)  # its time has come
        run_worker()

    email.refresh_from_db()
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert email.status == Email.Status.FAILED and email.attempts == Email.MAX_ATTEMPTS
    assert mail.outbox == []


def test_staff_see_an_email_the_worker_gave_up_on(alice, client, settings, english_admin):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    email = queue_one(make_application(make_offer(organisation=alice.memberships.get().organisation)))
    Email.objects.filter(pk=email.pk).update(attempts=Email.MAX_ATTEMPTS - 1)
    emails.deliver_email.enqueue(email.pk)

    run_worker()

    client.force_login(alice)
    page = client.get(reverse("admin:applications_email_changelist"), {"status__exact": Email.Status.FAILED})
    assert "Your application" in page.content.decode()
    assert "mail server down" in page.content.decode()


def test_a_worker_dying_while_sending_sends_nothing_twice_and_leaves_the_email_to_the_safety_net(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.PENDING and email.attempts == 0
    assert not ready_tasks().exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_emails", stdout=None)
    call_command("send_pending_emails", stdout=None)
    run_worker()

    email.refresh_from_db()
    assert len(mail.outbox) == 1 and email.status == Email.Status.SENT


def test_the_erasure_enqueued_by_the_scheduler_is_done_by_the_worker():
    due = make_application()
    Application.objects.filter(pk=due.pk).update(erase_after=timezone.localdate() - timedelta(days=1))
    out = StringIO()

    call_command("erase_expired_applications", "--enqueue", stdout=out)
    due.refresh_from_db()
    assert "enqueued" in out.getvalue() and not due.is_erased

    run_worker()

    due.refresh_from_db()
    assert due.is_erased


def test_the_environment_chooses_the_task_backend_and_refuses_an_unknown_one():
    code = "from django_tasks import task_backends; print(type(task_backends['default']).__name__)"
    assert "ImmediateBackend" in manage("shell", "-c", code, **PRODUCTION).stdout
    assert "DatabaseBackend" in manage("shell", "-c", code, TASKS_BACKEND="database", **PRODUCTION).stdout
    refused = manage("check", TASKS_BACKEND="celery", **PRODUCTION)
    assert refused.returncode != 0 and "TASKS_BACKEND=celery" in refused.stderr


# The real worker, in a process of its own, against the test database: a copy in a file for SQLite (whose
# test database lives in this process's memory), the test database itself for PostgreSQL.


@contextmanager
def database_for_a_subprocess(tmp_path):
    """The DATABASE_URL of the test database for another process; on leaving, what it wrote is here too."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)
        yield f"sqlite:///{copy}"
        with closing(sqlite3.connect(copy)) as source:
            source.backup(connection.connection)
    else:
        database = connection.settings_dict
        credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
        yield f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        # A killed worker's session is rolled back once the server notices it is gone.
        for _ in range(100):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if cursor.fetchone()[0] == 0:
                    break
            time.sleep(0.1)


def worker_process(database_url, mail_dir, email_backend, *arguments):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": email_backend,
        "EMAIL_FILE_PATH": str(mail_dir),
        "SECRET_KEY": "test-only",
        "DEBUG": "False",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval=0.2"]
    return subprocess.Popen([*command, *arguments], cwd=ROOT, env=environment)


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_sends_an_email_enqueued_twice_once(tmp_path):
    email = queue_one(subject="Sent by the worker")  # no transaction around it: enqueued at once
    emails.deliver_email.enqueue(email.pk)
    mail_dir = tmp_path / "mail"

    with database_for_a_subprocess(tmp_path) as database_url:
        worker = worker_process(database_url, mail_dir, "django.core.mail.backends.filebased.EmailBackend", "--batch")
        assert worker.wait(timeout=60) == 0

    sent = "".join(path.read_text() for path in mail_dir.iterdir())
    assert sent.count("Subject: Sent by the worker") == 1
    email.refresh_from_db()
    assert email.status == Email.Status.SENT and email.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_process_loses_nothing_and_sends_nothing_twice(tmp_path):
    email = queue_one()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    with database_for_a_subprocess(tmp_path) as database_url:
        worker = worker_process(database_url, mail_dir, f"{__name__}.HangingBackend")
        try:
            for _ in range(300):
                if (mail_dir / "sending").exists() or worker.poll() is not None:
                    break
                time.sleep(0.1)
            assert (mail_dir / "sending").exists()
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)

    email.refresh_from_db()
    assert email.status == Email.Status.PENDING and email.attempts == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING  # the dead worker's, never run again

    call_command("send_pending_emails", stdout=None)
    run_worker()

    email.refresh_from_db()
    assert len(mail.outbox) == 1 and email.status == Email.Status.SENT

"""The database task backend and its worker, for the tests of what runs in the background."""

import signal
from contextlib import contextmanager
from unittest import mock

from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """The worker as deployed (`manage.py db_worker`), until no task is ready.

    Between tasks it closes a database connection left in a transaction, as the test's is: it keeps it here."""
    with signal_handlers_kept(), mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@contextmanager
def signal_handlers_kept():
    # db_worker installs its own SIGINT and SIGTERM handlers; the test run keeps pytest's.
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)

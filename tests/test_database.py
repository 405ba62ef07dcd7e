"""The database as the site configures it (jobboard/settings.py)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking")


def test_on_sqlite_a_transaction_that_reads_then_writes_waits_for_another_writer(tmp_path, django_db_blocker):
    """As deliver() does with an e-mail while another worker saves an application: a database file of
    its own, opened with the site's settings, and two threads each with its connection."""
    with django_db_blocker.unblock():
        run_two_writers(tmp_path)


def run_two_writers(tmp_path):
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "site.sqlite3")}
    setup = DatabaseWrapper(settings_dict, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()

    first_is_writing, errors = threading.Event(), []

    def add_one(alias, hold_lock):
        connections[alias] = DatabaseWrapper(settings_dict, alias=alias)  # this thread's own connection
        try:
            if not hold_lock:
                first_is_writing.wait()
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
                if hold_lock:
                    first_is_writing.set()
                    threading.Event().wait(0.3)  # still writing when the other begins
        except Exception as error:  # noqa: BLE001 — reported below, from the main thread
            errors.append(error)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=add_one, args=(name, name == "first")) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    check = DatabaseWrapper(settings_dict, alias="check")
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (2,)  # neither failed, nor overwrote the other's update
    check.close()

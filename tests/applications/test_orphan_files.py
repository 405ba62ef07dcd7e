"""Files left in the private storage without a document row are deleted by delete_orphan_files."""

import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from applications.models import private_storage
from applications.storage import StorageUnavailable
from tests.factories import add_document, give_private_link, make_application, make_offer, pdf_bytes

pytestmark = pytest.mark.django_db


def delete_orphan_files(*args) -> str:
    out = StringIO()
    call_command("delete_orphan_files", *args, stdout=out)
    return out.getvalue()


def stored_file(name: str, hours_old: float) -> str:
    storage = private_storage()
    name = storage.save(name, ContentFile(pdf_bytes()))
    moment = time.time() - hours_old * 3600
    os.utime(storage.path(name), (moment, moment))
    return name


def test_old_orphans_go_and_documents_and_fresh_uploads_stay():
    document = add_document(make_application(make_offer()))
    orphan = stored_file("documents/2026/11/left-by-a-crash.pdf", hours_old=3)
    fresh = stored_file("documents/2026/11/still-committing.pdf", hours_old=0)
    storage = private_storage()

    output = delete_orphan_files()

    assert not storage.exists(orphan)
    assert storage.exists(fresh) and storage.exists(document.file.name)
    assert "Orphan files: 1 deleted, 1 documents kept." in output
    assert "Orphan files: 0 deleted" in delete_orphan_files()


def test_a_dry_run_deletes_nothing():
    orphan = stored_file("documents/2026/11/left-by-a-crash.pdf", hours_old=3)

    output = delete_orphan_files("--dry-run")

    assert private_storage().exists(orphan)
    assert f"Would delete {orphan}" in output


def test_nothing_stored_yet_is_no_error():
    assert "Orphan files: 0 deleted" in delete_orphan_files()


def test_an_erasure_while_the_storage_is_down_still_erases_and_leaves_the_file_to_the_command(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    application = make_application(make_offer())
    token = give_private_link(application)
    document = add_document(application)
    storage = private_storage()

    def storage_down(name):
        raise StorageUnavailable("no answer")

    with monkeypatch.context() as patched:
        patched.setattr(type(storage), "delete", lambda self, name: storage_down(name))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("applications:erase", args=[token]), {"confirm": "on"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.is_erased
    assert storage.exists(document.file.name)

    old = time.time() - 7200
    os.utime(storage.path(document.file.name), (old, old))
    delete_orphan_files()
    assert not storage.exists(document.file.name)

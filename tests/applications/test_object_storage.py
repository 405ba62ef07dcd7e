"""Candidates' documents in an S3-compatible bucket: private, encrypted, read only through our checked views.

Against a real S3 server on loopback (tests/s3_server.py), over HTTP.
"""

import io
import os
import subprocess
import sys
import tracemalloc
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from applications.models import Application, AuditEvent, Document
from applications.storage import PrivateS3Storage
from tests.applications.applying import form_data
from tests.factories import PDF_BYTES, add_document, make_application, make_offer
from tests.s3_server import BUCKET

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, slug="attache-e")


def admin_url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def download_url(document):
    return admin_url("download", document.application_id, document.pk)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# Writing


def test_an_application_sent_through_the_form_lands_in_the_bucket_encrypted(client, offer, s3_storage, s3_server):
    url = reverse("applications:apply", args=[offer.slug])
    data = form_data(client, url)
    sent = {Document.Kind.CV: data["cv"].read(), Document.Kind.LETTER: data["letter"].read()}
    data["cv"].seek(0)
    data["letter"].seek(0)

    response = client.post(url, data)

    assert response.status_code == 302
    documents = Document.objects.filter(application__offer=offer)
    assert sorted(s3_server.keys()) == sorted(document.file.name for document in documents)
    s3 = s3_server.client()
    for document in documents:
        assert s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == sent[document.kind]
        assert s3.head_object(Bucket=BUCKET, Key=document.file.name)["ServerSideEncryption"] == "AES256"


def test_nobody_reads_an_object_without_our_credentials(offer, s3_storage, s3_server):
    document = add_document(make_application(offer))
    assert anonymous_get(f"{s3_server.endpoint}/{BUCKET}/{document.file.name}") == 403


def test_the_objects_are_private_to_the_buckets_owner(offer, s3_storage, s3_server):
    document = add_document(make_application(offer))
    grants = s3_server.client().get_object_acl(Bucket=BUCKET, Key=document.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"


def test_two_documents_never_share_an_object(offer, s3_storage, s3_server):
    application = make_application(offer)
    first = add_document(application, content=b"%PDF-1 first")
    name = s3_storage.save(first.file.name, io.BytesIO(b"%PDF-1 second"))
    assert name != first.file.name
    assert len(s3_server.keys()) == 2


def test_the_bucket_gives_no_url_and_the_admin_shows_none(client, bob, offer, s3_storage, s3_server):
    document = add_document(make_application(offer))
    with pytest.raises(ValueError):
        s3_storage.url(document.file.name)
    client.force_login(bob)
    page = client.get(admin_url("change", document.application_id))
    assert page.status_code == 200
    assert download_url(document) in page.content.decode()
    assert s3_server.endpoint.removeprefix("http://") not in page.content.decode()
    assert document.file.name not in page.content.decode()


def test_options_cannot_make_the_objects_public_or_unencrypted(s3_server):
    storage = PrivateS3Storage(
        **s3_server.storage_options(), default_acl="public-read", file_overwrite=True, querystring_auth=False
    )
    assert storage.default_acl is None
    assert storage.file_overwrite is False
    assert storage.object_parameters == {"ServerSideEncryption": "AES256"}


# Reading, through the admin


def test_a_document_downloads_from_the_bucket_through_the_checked_view(client, bob, offer, s3_storage):
    document = add_document(make_application(offer), original_name="CV Élodie.pdf")
    client.force_login(bob)

    response = client.get(download_url(document))

    assert response.status_code == 200
    assert response.streaming
    assert body(response) == PDF_BYTES
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="CV Elodie.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, actor=bob).count() == 1


def test_a_stranger_gets_no_document_from_the_bucket(client, charlie, offer, s3_storage):
    document = add_document(make_application(offer))
    client.force_login(charlie)
    assert client.get(download_url(document)).status_code == 404


def test_an_object_deleted_behind_our_back_is_a_clear_404(client, bob, offer, s3_storage, s3_server):
    document = add_document(make_application(offer))
    s3_server.client().delete_object(Bucket=BUCKET, Key=document.file.name)
    client.force_login(bob)

    response = client.get(download_url(document))

    assert response.status_code == 404


def test_the_offer_zip_packs_the_objects_of_the_bucket(client, bob, offer, s3_storage):
    dupont = make_application(offer, first_name="Camille", last_name="Dupont")
    add_document(dupont, content=PDF_BYTES, original_name="CV.pdf")
    add_document(dupont, kind=Document.Kind.LETTER, content=PDF_BYTES + b"letter", original_name="Lettre.pdf")
    client.force_login(bob)

    response = client.get(admin_url("offer_zip", offer.pk))

    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == ["Dupont Camille - CV.pdf", "Dupont Camille - Lettre.pdf"]
    assert archive.read("Dupont Camille - Lettre.pdf") == PDF_BYTES + b"letter"


def test_the_zip_reads_the_bucket_in_chunks_never_a_whole_object_in_memory(client, bob, offer, s3_storage):
    big = PDF_BYTES * (8 * 1024 * 1024 // len(PDF_BYTES))  # 8 MB, compressible, so the archive itself stays small
    add_document(make_application(offer, first_name="Camille", last_name="Dupont"), content=big)
    del big
    client.force_login(bob)
    body(client.get(admin_url("offer_zip", offer.pk)))  # the first request of a process sets up much else

    tracemalloc.start()
    try:
        archive = body(client.get(admin_url("offer_zip", offer.pk)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert zipfile.ZipFile(io.BytesIO(archive)).getinfo("Dupont Camille - CV.pdf").file_size >= 8_000_000
    assert peak < 4 * 1024 * 1024  # half the document


# Erasure


def test_erasing_an_application_deletes_its_objects(offer, s3_storage, s3_server, django_capture_on_commit_callbacks):
    application = make_application(offer)
    add_document(application)
    add_document(application, kind=Document.Kind.LETTER)
    kept = add_document(make_application(offer))

    with django_capture_on_commit_callbacks(execute=True):
        application.erase()

    assert s3_server.keys() == [kept.file.name]


# The storage down


def test_a_submission_while_the_storage_is_down_is_refused_and_nothing_is_kept(client, offer, own_s3_server):
    url = reverse("applications:apply", args=[offer.slug])
    data = form_data(client, url)
    own_s3_server.stop()

    response = client.post(url, data)

    assert response.status_code == 503
    assert "applications/not_saved.html" in [template.name for template in response.templates]
    assert not Application.objects.exists()
    assert not Document.objects.exists()


def test_a_download_while_the_storage_is_down_is_a_clear_503_for_staff(client, bob, offer, own_s3_server, settings):
    settings.LANGUAGE_CODE = "en"
    document = add_document(make_application(offer))
    client.force_login(bob)
    own_s3_server.stop()

    response = client.get(download_url(document))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "not answering" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()  # nothing left the storage


def test_a_zip_export_while_the_storage_is_down_is_a_clear_503_for_staff(client, bob, offer, own_s3_server):
    add_document(make_application(offer))
    client.force_login(bob)
    own_s3_server.stop()

    response = client.get(admin_url("offer_zip", offer.pk))

    assert response.status_code == 503
    assert not response.streaming


# Settings


def settings_of(**env) -> str:
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "PRIVATE_"))}
    code = (
        "from django.core.files.storage import storages\n"
        "storage = storages['private']\n"
        "print(type(storage).__name__, getattr(storage, 'bucket_name', ''), getattr(storage, 'endpoint_url', ''))\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env={**environment, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
    )
    return result.stdout + result.stderr


def test_documents_stay_on_local_disk_by_default():
    assert settings_of().startswith("PrivateStorage")


def test_private_storage_s3_puts_them_in_the_named_bucket():
    output = settings_of(
        PRIVATE_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="cvs", AWS_S3_ENDPOINT_URL="https://s3.example.org"
    )
    assert output.startswith("PrivateS3Storage cvs https://s3.example.org"), output


def test_a_bucket_must_be_named():
    assert "AWS_STORAGE_BUCKET_NAME" in settings_of(PRIVATE_STORAGE="s3")


def test_an_unknown_storage_is_refused():
    assert "PRIVATE_STORAGE=ftp" in settings_of(PRIVATE_STORAGE="ftp")

"""Documents, CSV and ZIP leave the admin as private, streamed downloads, checked on every request."""

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.exports import attachment, neutralise
from applications.models import Document
from tests.factories import PDF_BYTES, add_document, make_application, make_offer

# Each test runs on local private files and on the bucket of a real S3 server (tests/s3_server.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_private_storage")]


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, title="Attaché·e", slug="attache-e")


def url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def run_action(client, action, *applications):
    selected = [application.pk for application in applications]
    return client.post(url("changelist"), {"action": action, "_selected_action": selected})


# One document


def test_a_document_downloads_as_a_private_attachment_with_its_stored_bytes(client, bob, offer):
    document = add_document(make_application(offer), original_name="CV Élodie.pdf")
    client.force_login(bob)
    response = client.get(url("download", document.application_id, document.pk))
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"CV Elodie.pdf\"; filename*=UTF-8''CV%20%C3%89lodie.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_stored_file_name_never_reaches_the_user(client, bob, offer):
    document = add_document(make_application(offer), original_name="CV.pdf")
    client.force_login(bob)
    response = client.get(url("download", document.application_id, document.pk))
    assert document.file.name.rsplit("/", 1)[-1] not in response["Content-Disposition"]


def test_a_document_name_with_a_path_and_controls_is_cleaned(client, bob, offer):
    document = add_document(make_application(offer), original_name="../../etc/pass\u202ewd\r\n.pdf")
    client.force_login(bob)
    disposition = client.get(url("download", document.application_id, document.pk))["Content-Disposition"]
    assert "/" not in disposition.split("filename*=")[0]
    assert "\r" not in disposition
    assert "%E2%80%AE" not in disposition


def test_an_unexpected_content_type_is_served_as_bytes(client, bob, offer):
    document = add_document(make_application(offer), content_type="text/html")
    client.force_login(bob)
    response = client.get(url("download", document.application_id, document.pk))
    assert response["Content-Type"] == "application/octet-stream"


def test_a_document_of_another_application_is_not_found(client, bob, offer):
    document = add_document(make_application(offer))
    other = make_application(offer)
    client.force_login(bob)
    assert client.get(url("download", other.pk, document.pk)).status_code == 404


def test_a_document_missing_from_the_storage_is_a_404_not_a_500(client, bob, offer):
    document = add_document(make_application(offer))
    document.file.storage.delete(document.file.name)
    client.force_login(bob)
    assert client.get(url("download", document.application_id, document.pk)).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, offer):
    document = add_document(make_application(offer))
    response = client.get(url("download", document.application_id, document.pk))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


# CSV


def test_the_offer_csv_streams_every_application_with_a_bom(client, bob, offer):
    make_application(offer, first_name="Camille", last_name="Dupont", email="dupont@example.org")
    make_application(offer, first_name="Alex", last_name="Martin")
    make_application(make_offer(organisation=offer.organisation), last_name="Elsewhere")
    client.force_login(bob)
    response = client.get(url("offer_csv", offer.pk))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applications-attache-e.csv"')
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = rows_of(client.get(url("offer_csv", offer.pk)))
    assert header[:5] == ["received", "kind", "offer", "status", "candidate"]
    assert sorted(row[6] for row in rows) == ["Dupont", "Martin"]
    assert "dupont@example.org" in content.decode()


def test_the_csv_costs_the_same_queries_whatever_the_number_of_applications(client, bob, offer):
    client.force_login(bob)

    def queries_for_the_csv():
        with CaptureQueriesContext(connection) as queries:
            rows = rows_of(client.get(url("offer_csv", offer.pk)))
        return len(queries), len(rows)

    make_application(offer, is_discreet=True)
    few, _ = queries_for_the_csv()
    for number in range(12):
        make_application(offer, last_name=f"Candidate {number}")
    assert queries_for_the_csv() == (few, 1 + 13)


def test_the_csv_neutralises_formulas(client, bob, offer):
    make_application(offer, first_name='=HYPERLINK("http://evil.example")', last_name="@SUM(A1)")
    client.force_login(bob)
    [_, row] = rows_of(client.get(url("offer_csv", offer.pk)))
    assert row[5] == '\'=HYPERLINK("http://evil.example")'
    assert row[6] == "'@SUM(A1)"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_each_formula_trigger_is_neutralised(value):
    assert neutralise(value) == f"'{value}"


def test_ordinary_text_is_left_alone():
    assert neutralise("Dupont-Martin") == "Dupont-Martin"
    assert neutralise(None) == ""


def test_the_csv_action_exports_the_selection(client, bob, offer):
    chosen = make_application(offer, last_name="Chosen")
    make_application(offer, last_name="Left")
    client.force_login(bob)
    response = run_action(client, "export_csv", chosen)
    assert response.streaming
    [_, row] = rows_of(response)
    assert row[6] == "Chosen"


def test_the_csv_of_another_organisations_offer_is_not_found(client, charlie, offer):
    make_application(offer)
    client.force_login(charlie)
    assert client.get(url("offer_csv", offer.pk)).status_code == 404


def test_the_attachment_header_keeps_ascii_and_utf8_names():
    assert attachment('a"b.csv') == "attachment; filename=\"ab.csv\"; filename*=UTF-8''a%22b.csv"


# ZIP


def test_the_offer_zip_streams_every_document_under_the_candidates_name(client, bob, offer):
    dupont = make_application(offer, first_name="Camille", last_name="Dupont")
    add_document(dupont, content=PDF_BYTES, original_name="CV.pdf")
    add_document(dupont, kind=Document.Kind.LETTER, content=PDF_BYTES + b"letter", original_name="Lettre.pdf")
    add_document(make_application(offer, first_name="Alex", last_name="Martin"), original_name="CV.pdf")
    add_document(make_application(make_offer(organisation=offer.organisation)), original_name="Other offer.pdf")
    client.force_login(bob)
    response = client.get(url("offer_zip", offer.pk))
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="documents-attache-e.zip"')
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == [
        "Dupont Camille - CV.pdf",
        "Dupont Camille - Lettre.pdf",
        "Martin Alex - CV.pdf",
    ]
    assert archive.read("Dupont Camille - Lettre.pdf") == PDF_BYTES + b"letter"


def test_the_zip_streams_in_several_chunks(client, bob, offer):
    for index in range(3):
        add_document(make_application(offer), content=PDF_BYTES * 2000, original_name=f"CV {index}.pdf")
    client.force_login(bob)
    chunks = list(client.get(url("offer_zip", offer.pk)).streaming_content)
    assert len(chunks) > 3


def test_two_documents_with_the_same_name_both_reach_the_zip(client, bob, offer):
    application = make_application(offer, first_name="Camille", last_name="Dupont")
    add_document(application, content=b"%PDF-1 first", original_name="CV.pdf")
    add_document(application, kind=Document.Kind.OTHER, content=b"%PDF-1 second", original_name="CV.pdf")
    client.force_login(bob)
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(url("offer_zip", offer.pk)))))
    assert sorted(archive.namelist()) == ["Dupont Camille - CV (2).pdf", "Dupont Camille - CV.pdf"]


def test_a_file_missing_from_the_storage_is_listed_instead_of_breaking_the_zip(client, bob, offer):
    document = add_document(make_application(offer, first_name="Camille", last_name="Dupont"))
    document.file.storage.delete(document.file.name)
    client.force_login(bob)
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(url("offer_zip", offer.pk)))))
    assert archive.namelist() == ["missing.txt"]
    assert archive.read("missing.txt") == b"Dupont Camille - CV.pdf\n"


def test_the_zip_action_packs_the_selections_documents(client, bob, offer):
    chosen = make_application(offer, first_name="Camille", last_name="Chosen")
    add_document(chosen)
    add_document(make_application(offer, last_name="Left"))
    client.force_login(bob)
    response = run_action(client, "export_documents", chosen)
    assert zipfile.ZipFile(io.BytesIO(body(response))).namelist() == ["Chosen Camille - CV.pdf"]


def test_the_zip_of_another_organisations_offer_is_not_found(client, charlie, offer):
    add_document(make_application(offer))
    client.force_login(charlie)
    assert client.get(url("offer_zip", offer.pk)).status_code == 404


def test_a_superuser_exports_any_organisations_offer_discreet_candidates_included(client, superuser, offer):
    application = make_application(offer, first_name="Dominique", last_name="Discrète", is_discreet=True)
    add_document(application)
    client.force_login(superuser)
    [_, row] = rows_of(client.get(url("offer_csv", offer.pk)))
    assert row[6] == "Discrète"
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(url("offer_zip", offer.pk)))))
    assert archive.namelist() == ["Discrète Dominique - CV.pdf"]

"""Candidates' documents are scanned for malware by a real clamd before any recruiter can download them."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfWriter

from applications.models import Application, AuditEvent, Document
from tests.applications.applying import DOCX, form_data, upload
from tests.clamd_server import EICAR, SIGNATURE_NAME, Clamd
from tests.factories import add_document, docx_bytes, make_application, make_offer, pdf_bytes
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def clamd():
    server = Clamd()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def scanner(settings, clamd):
    """clamd running (whatever the previous test did to it), and the site configured for it, as in production."""
    clamd.start()
    settings.CLAMAV_SOCKET = clamd.socket
    settings.CLAMAV_REQUIRED = True
    return clamd


@pytest.fixture(autouse=True)
def in_english(english_admin):
    pass


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, title="Attaché·e de presse")


def apply(client, offer, django_capture_on_commit_callbacks, **files) -> Application:
    """A candidate sends the form; what runs after the commit (the scans, the e-mails) runs too."""
    url = reverse("applications:apply", args=[offer.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client, url, **files))
    assert response.status_code == 302, response.content.decode()
    return Application.objects.get()


def download(client, document):
    return client.get(reverse("admin:applications_application_download", args=[document.application_id, document.pk]))


def pdf_carrying_eicar() -> bytes:
    """A one-page PDF with the EICAR test file attached: it passes our content checks, clamd finds it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("readme.com", EICAR)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_carrying_eicar() -> bytes:
    """A Word document with the EICAR test file as one of its (compressed) parts."""
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.bin", EICAR)
    return buffer.getvalue()


def zip_members(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# Found clean


def test_a_clean_application_is_scanned_after_the_commit_and_its_documents_download(
    client, bob, offer, scanner, django_capture_on_commit_callbacks
):
    application = apply(client, offer, django_capture_on_commit_callbacks)

    cv, letter = application.documents.order_by("kind")
    assert (cv.scan_status, letter.scan_status) == (Document.ScanStatus.CLEAN, Document.ScanStatus.CLEAN)
    assert cv.scanned_at is not None and cv.scan_detail == ""
    client.force_login(bob)
    response = download(client, cv)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_nothing_is_scanned_before_the_application_commits(client, offer, scanner, django_capture_on_commit_callbacks):
    url = reverse("applications:apply", args=[offer.slug])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url, form_data(client, url))

    assert set(Document.objects.values_list("scan_status", flat=True)) == {Document.ScanStatus.PENDING}
    assert callbacks  # the scans (and e-mails), waiting for the commit


# Malware


def test_a_pdf_carrying_the_eicar_test_file_is_blocked_with_its_name_and_the_application_stays(
    client, bob, alice, offer, scanner, django_capture_on_commit_callbacks
):
    application = apply(client, offer, django_capture_on_commit_callbacks, cv=upload("CV.pdf", pdf_carrying_eicar()))

    cv = application.documents.get(kind=Document.Kind.CV)
    assert cv.scan_status == Document.ScanStatus.INFECTED
    assert cv.scan_detail.startswith(SIGNATURE_NAME)
    assert application.documents.get(kind=Document.Kind.LETTER).scan_status == Document.ScanStatus.CLEAN
    assert Application.objects.filter(pk=application.pk, status=Application.Status.RECEIVED).exists()

    client.force_login(bob)
    response = download(client, cv)
    assert response.status_code == 403
    assert not getattr(response, "streaming", False)
    assert f"Blocked: {cv.scan_detail}" in response.content.decode()

    event = AuditEvent.objects.get(action=AuditEvent.Action.MALWARE_FOUND)
    assert (event.organisation, event.application, event.offer, event.actor) == (
        offer.organisation,
        application,
        offer,
        None,
    )
    assert event.detail == f"cv: {cv.scan_detail}"


def test_a_docx_with_the_eicar_test_file_inside_is_blocked(
    client, bob, offer, scanner, django_capture_on_commit_callbacks
):
    letter = upload("Lettre.docx", docx_carrying_eicar(), DOCX)
    application = apply(client, offer, django_capture_on_commit_callbacks, letter=letter)

    letter = application.documents.get(kind=Document.Kind.LETTER)
    assert letter.scan_status == Document.ScanStatus.INFECTED
    assert letter.scan_detail.startswith(SIGNATURE_NAME)


def test_the_application_page_shows_the_block_and_offers_no_download_link(client, bob, offer):
    application = make_application(offer)
    infected = add_document(application, original_name="CV.pdf", scan_status=Document.ScanStatus.INFECTED)
    Document.objects.filter(pk=infected.pk).update(scan_detail="Eicar-Test-Signature")
    clean = add_document(application, kind=Document.Kind.LETTER, original_name="Lettre.pdf")

    client.force_login(bob)
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()

    assert "Blocked: Eicar-Test-Signature" in page
    assert "No malware found" in page
    assert reverse("admin:applications_application_download", args=[application.pk, infected.pk]) not in page
    assert reverse("admin:applications_application_download", args=[application.pk, clean.pk]) in page


def test_a_verdict_is_recorded_once_when_two_processes_scan_the_same_document(offer, scanner):
    application = make_application(offer)
    add_document(application, content=pdf_carrying_eicar(), scan_status=Document.ScanStatus.PENDING)
    first, second = Document.objects.get(), Document.objects.get()  # read by two processes

    assert first.scan() == Document.ScanStatus.INFECTED
    assert second.scan() is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MALWARE_FOUND).count() == 1


def test_clamd_is_reached_over_tcp_too(offer, scanner, settings):
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST, settings.CLAMAV_PORT = "", "127.0.0.1", scanner.port
    add_document(make_application(offer), content=pdf_carrying_eicar(), scan_status=Document.ScanStatus.PENDING)

    assert Document.objects.get().scan() == Document.ScanStatus.INFECTED


# Fail closed


def test_a_document_waiting_for_its_scan_is_refused_with_409(client, bob, offer, scanner):
    document = add_document(make_application(offer), scan_status=Document.ScanStatus.PENDING)

    client.force_login(bob)
    response = download(client, document)

    assert response.status_code == 409
    assert "Waiting for the malware scan" in response.content.decode()


def test_while_the_scanner_is_down_documents_are_refused_and_scan_documents_clears_them_later(
    client, bob, offer, scanner, django_capture_on_commit_callbacks
):
    scanner.stop()
    application = apply(client, offer, django_capture_on_commit_callbacks)

    cv = application.documents.get(kind=Document.Kind.CV)
    assert cv.scan_status == Document.ScanStatus.FAILED
    assert scanner.socket in cv.scan_detail  # clamd's error, which scan_documents prints for the operator
    client.force_login(bob)
    refused = download(client, cv)
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    assert "the malware scanner is unreachable or failed; retry later" in refused.content.decode()

    scanner.start()
    output = io.StringIO()
    call_command("scan_documents", stdout=output, stderr=io.StringIO())

    assert output.getvalue() == "Documents: 2 clean, 0 infected (blocked), 0 failed, 0 not scanned.\n"
    cv.refresh_from_db()
    assert cv.scan_status == Document.ScanStatus.CLEAN
    assert download(client, cv).status_code == 200


def test_scan_documents_stops_at_the_first_failure_and_says_how_many_are_left(offer, scanner):
    application = make_application(offer)
    for _ in range(3):
        add_document(application, scan_status=Document.ScanStatus.PENDING)
    scanner.stop()

    errors = io.StringIO()
    call_command("scan_documents", stdout=io.StringIO(), stderr=errors)

    assert "The scan failed" in errors.getvalue()
    assert "2 more document(s) left for the next run." in errors.getvalue()
    assert sorted(Document.objects.values_list("scan_status", flat=True)) == [
        Document.ScanStatus.FAILED,
        Document.ScanStatus.PENDING,
        Document.ScanStatus.PENDING,
    ]


def test_scan_documents_twice_scans_each_document_once(offer, scanner):
    application = make_application(offer)
    add_document(application, scan_status=Document.ScanStatus.PENDING)
    add_document(application, content=pdf_carrying_eicar(), scan_status=Document.ScanStatus.FAILED)
    already_clean = add_document(application)

    first, second = io.StringIO(), io.StringIO()
    call_command("scan_documents", stdout=first)
    call_command("scan_documents", stdout=second)

    assert first.getvalue() == "Documents: 1 clean, 1 infected (blocked), 0 failed, 0 not scanned.\n"
    assert second.getvalue() == "Documents: 0 clean, 0 infected (blocked), 0 failed, 0 not scanned.\n"
    already_clean.refresh_from_db()
    assert already_clean.scanned_at is None  # cleared before, never read again
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MALWARE_FOUND).count() == 1


def test_the_zip_export_leaves_out_what_the_scanner_has_not_cleared_and_says_why(client, bob, offer):
    application = make_application(offer, first_name="Camille", last_name="Dupont")
    add_document(application, original_name="CV.pdf")
    infected = add_document(
        application, kind=Document.Kind.LETTER, original_name="Lettre.pdf", content=pdf_carrying_eicar()
    )
    Document.objects.filter(pk=infected.pk).update(scan_status=Document.ScanStatus.INFECTED, scan_detail="Eicar")
    add_document(application, kind=Document.Kind.OTHER, original_name="Diplôme.pdf", scan_status="pending")

    client.force_login(bob)
    members = zip_members(client.get(reverse("admin:applications_application_offer_zip", args=[offer.pk])))

    assert set(members) == {"Dupont Camille - CV.pdf", "README.txt"}
    readme = members["README.txt"].decode()
    assert "Dupont Camille - Lettre.pdf: Blocked: Eicar\n" in readme
    assert "Dupont Camille - Diplôme.pdf: Waiting for the malware scan" in readme
    assert all(EICAR not in content for content in members.values())


# Without a scanner


def test_on_a_development_machine_without_clamd_documents_are_marked_not_scanned_and_download_with_a_warning(
    client, bob, offer, django_capture_on_commit_callbacks
):
    application = apply(client, offer, django_capture_on_commit_callbacks)

    cv = application.documents.get(kind=Document.Kind.CV)
    assert cv.scan_status == Document.ScanStatus.NOT_SCANNED
    client.force_login(bob)
    assert download(client, cv).status_code == 200
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert "Not scanned: no malware scanner is configured (development only)" in page


def test_without_a_scanner_where_one_is_required_every_document_stays_blocked(
    client, bob, offer, settings, django_capture_on_commit_callbacks
):
    settings.CLAMAV_REQUIRED = True
    application = apply(client, offer, django_capture_on_commit_callbacks)

    cv = application.documents.get(kind=Document.Kind.CV)
    assert cv.scan_status == Document.ScanStatus.FAILED
    client.force_login(bob)
    refused = download(client, cv)
    assert refused.status_code == 503
    assert "Blocked: no malware scanner is configured" in refused.content.decode()


def test_documents_not_scanned_in_development_are_blocked_then_scanned_once_a_scanner_is_configured(
    client, bob, offer, settings, clamd
):
    document = add_document(make_application(offer), scan_status=Document.ScanStatus.NOT_SCANNED)
    clamd.start()
    settings.CLAMAV_SOCKET = clamd.socket

    client.force_login(bob)
    assert download(client, document).status_code == 409
    call_command("scan_documents", stdout=io.StringIO())
    assert download(client, document).status_code == 200


def test_the_deployment_check_warns_when_no_scanner_is_configured():
    production = {name: value for name, value in PRODUCTION.items() if name != "CLAMAV_SOCKET"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)

    assert result.returncode != 0
    assert "applications.W001" in result.stdout + result.stderr

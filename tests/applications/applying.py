"""What a candidate's browser sends: helpers for the tests of the application forms."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Document
from applications.storage import PrivateS3Storage
from tests.factories import docx_bytes, pdf_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(client, url, **overrides):
    """The form of the page at `url`, filled in by a candidate with a PDF CV and a DOCX letter.

    Its hidden submission key and privacy-notice digest come from the page, as in
    a browser. An override of None leaves the field out."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {
        "first_name": "Camille",
        "last_name": "Dupont",
        "email": "camille.dupont@example.org",
        "phone": "+32 470 12 34 56",
        "message": "Bonjour, je suis très intéressée.",
        "consents_to_political_data": "on",
        "submission_key": str(page.context["form"].initial["submission_key"]),
        "notice_digest": page.context["notice_digest"],
        "cv": upload("CV Camille.pdf", pdf_bytes()),
        "letter": upload("Lettre.docx", docx_bytes(), DOCX),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def stored_files() -> list:
    """Every file in the private storage (local, or a bucket: tests/s3_server.py) and in the public media."""
    files = [
        path
        for root in (settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    ]
    private = Document._meta.get_field("file").storage
    if isinstance(private, PrivateS3Storage):
        files += [item.key for item in private.bucket.objects.all()]
    return files

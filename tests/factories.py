"""Plain helpers that build valid rows; pass overrides for what a test is about."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from offers.models import Country, Institution, Membership, Offer, Organisation, Place, PoliticalGroup, Story

_numbers = count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(username, *, staff=True, superuser=False, **fields):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        is_staff=staff or superuser,
        is_superuser=superuser,
        **fields,
    )
    return user


def make_organisation(**overrides):
    n = next(_numbers)
    fields = {"name": f"Parti {n}", "slug": f"parti-{n}", "country": Country.BELGIUM}
    fields.update(overrides)
    return Organisation.objects.create(**fields)


def add_member(user, organisation, role=Membership.Role.RECRUITER):
    return Membership.objects.create(user=user, organisation=organisation, role=role)


def make_institution(**overrides):
    n = next(_numbers)
    fields = {
        "name": f"Conseil {n}",
        "slug": f"conseil-{n}",
        "level": Institution.Level.REGIONAL,
        "country": Country.FRANCE,
    }
    fields.update(overrides)
    return Institution.objects.create(**fields)


def make_group(organisation, **overrides):
    n = next(_numbers)
    fields = {"name": f"Groupe {n}", "slug": f"groupe-{n}", "seats": 10}
    fields.update(overrides)
    if "institution" not in fields:
        fields["institution"] = make_institution()
    return PoliticalGroup.objects.create(organisation=organisation, **fields)


def make_offer(*, places=("Bruxelles",), **overrides):
    """A published offer, open for two weeks, with pay and a place; override anything."""
    n = next(_numbers)
    now = timezone.now()
    fields = {
        "title": f"Chargé·e de mission {n}",
        "slug": f"charge-e-de-mission-{n}",
        "contract_type": Offer.ContractType.FIXED_TERM,
        "missions": "- Suivre les travaux du conseil",
        "pay_min": Decimal("2400"),
        "pay_max": Decimal("2600"),
        "deadline": now + timedelta(days=14),
        "status": Offer.Status.PUBLISHED,
        "published_at": now - timedelta(days=1),
    }
    fields.update(overrides)
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    offer = Offer.objects.create(**fields)
    for position, locality in enumerate(places):
        Place.objects.create(offer=offer, locality=locality, country=Country.BELGIUM, position=position)
    return offer


def make_story(organisation, **overrides):
    n = next(_numbers)
    fields = {
        "title": f"Travailler ici {n}",
        "slug": f"story-{n}",
        "person": "Hélène",
        "role": "Conseillère",
        "text": "Texte.",
    }
    fields.update(overrides)
    return Story.objects.create(organisation=organisation, **fields)


def make_application(offer=None, organisation=None, **overrides):
    """An application as the candidate forms leave it: consents given, dates planned."""
    from applications.models import Application

    n = next(_numbers)
    if offer is None and organisation is None:
        offer = make_offer()
    fields = {
        "kind": Application.Kind.OFFER if offer else Application.Kind.SPONTANEOUS,
        "organisation": organisation or offer.organisation,
        "offer": offer,
        "first_name": "Camille",
        "last_name": f"Candidate {n}",
        "email": f"camille{n}@example.org",
        "privacy_notice": "Vos données sont traitées pour ce recrutement.",
        "consents_to_political_data": True,
    }
    fields.update(overrides)
    application = Application(**fields)
    application.plan()
    application.save()
    return application


def give_private_link(application) -> str:
    """Issue the application's private link, as submitting it does; the token in the link."""
    token = application.issue_token()
    application.save(update_fields=["token_hash"])
    return token


# A one-page PDF, enough for anything that reads documents back.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def add_document(
    application, kind=None, content=PDF_BYTES, original_name="CV.pdf", content_type="application/pdf", scan_status=None
):
    """A document saved through its FileField into the private storage, found clean by the malware scanner."""
    from django.core.files.base import ContentFile

    from applications.models import Document

    document = Document(
        application=application,
        kind=kind or Document.Kind.CV,
        original_name=original_name,
        content_type=content_type,
        size=len(content),
        scan_status=scan_status or Document.ScanStatus.CLEAN,
    )
    document.file.save(original_name, ContentFile(content), save=True)
    return document


def pdf_bytes(pages=1) -> bytes:
    """A real PDF made by pypdf: `pages` blank A4 pages."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document: the parts Word needs to open it."""
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Lettre de motivation</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def large_pdf_bytes(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes: its page's content is a long comment."""
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    content = DecodedStreamObject()
    content.set_data(b"%" + b"x" * size + b"\n")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def listed_offers(response) -> list[Offer]:
    """The offers a list page shows, in order: its page holds the keys of their cards."""
    keys = list(response.context["page"])
    found = Offer.objects.in_bulk([key.pk for key in keys])
    return [found[key.pk] for key in keys]

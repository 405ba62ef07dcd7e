"""What leaves the staff admin as files: one document, a CSV of applications, a ZIP of their documents.

Everything here streams: rows and files are read in chunks and written out as
they come, so a large offer costs no more memory than a small one. The caller
has checked the permission and passes applications annotated with
`shows_identity` (see ApplicationQuerySet.with_identity); a candidate whose
identity the user may not see is masked in the CSV and left out of the ZIP.
"""

import csv
import itertools
import logging
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.contrib import admin
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from applications import scanning
from applications.documents import MIME_TYPES, clean_filename
from applications.models import Application, Document

CHUNK_BYTES = 64 * 1024
ROWS_PER_QUERY = 500
DOCUMENTS_PER_QUERY = 100
# Cells a spreadsheet would read as a formula (or, for tab and carriage return, shift into one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Only the types we accept on upload are served as such; anything else is opaque bytes.
SAFE_CONTENT_TYPES = frozenset(MIME_TYPES.values())

logger = logging.getLogger(__name__)


def candidate_label(application) -> str:
    """The candidate's name as the current user may see it."""
    if application.is_erased:
        return gettext("Erased application")
    if not getattr(application, "shows_identity", False):
        return gettext("Discreet application")
    return f"{application.first_name} {application.last_name}"


def attachment(filename: str) -> str:
    """A Content-Disposition value for a download: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(char for char in ascii_name if char.isprintable() and char not in '"\\') or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def private_headers(response, filename: str):
    response["Content-Disposition"] = attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def storage_unavailable() -> HttpResponse:
    """A 503 page for staff when the private storage does not answer; call it while handling the error."""
    logger.exception("The private storage did not answer; staff were shown a 503 page.")
    context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
    response = HttpResponse(render_to_string("admin/applications/storage_unavailable.html", context), status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "private, no-store"
    return response


def document_response(document: Document) -> HttpResponse:
    """One candidate's document, streamed from the private storage as a download.

    Always through this response, from local disk or from the bucket alike, never
    by a redirect to a presigned URL: such a URL works for anyone who holds it
    until it expires, and it ends up in browser histories, proxies' logs and
    Referer headers; the bucket may not even be reachable from staff's browsers;
    and our own headers (attachment, nosniff, no-store) would not be the ones sent.
    """
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("This document is missing from the storage.")) from None
    except OSError:  # a disk failing, or a bucket that does not answer (StorageUnavailable)
        return storage_unavailable()
    content_type = document.content_type if document.content_type in SAFE_CONTENT_TYPES else "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    if "Content-Length" not in response:
        # A stream from the bucket cannot seek to its end for FileResponse: its size came with it.
        response["Content-Length"] = file.file.size
    return private_headers(response, clean_filename(document.original_name))


# CSV


def neutralise(value) -> str:
    """A cell as text that a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose write() returns what the csv writer gives it."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the BOM makes Excel read UTF-8
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# What a row shows (and what decides it) and nothing more: the whole application and offer made
# each row cost 0.2 ms, and an export of 100,000 outlasted gunicorn's 30 seconds on PostgreSQL.
EXPORTED_FIELDS = (
    "created_at",
    "kind",
    "offer",
    "status",
    "first_name",
    "last_name",
    "email",
    "phone",
    "language",
    "school",
    "study_programme",
    "period_start",
    "period_end",
    "answer_due_at",
    "answered_at",
    "is_discreet",
    "consents_to_talent_pool",
    "erase_after",
    "erased_at",
)


def application_rows(applications) -> Iterator[list]:
    """A header, then one row per application, names masked where the user may not see them."""
    # Labels are translated now, in the request's language, not when the response is consumed.
    statuses = {value: str(label) for value, label in Application.Status.choices}
    kinds = {value: str(label) for value, label in Application.Kind.choices}
    yes, no = gettext("yes"), gettext("no")
    yield [
        gettext("received"),
        gettext("kind"),
        gettext("offer"),
        gettext("status"),
        gettext("candidate"),
        gettext("first name"),
        gettext("last name"),
        gettext("e-mail"),
        gettext("phone"),
        gettext("language"),
        gettext("school or university"),
        gettext("study programme"),
        gettext("wished from"),
        gettext("wished until"),
        gettext("waiting for an answer past the delay"),
        gettext("first answered"),
        gettext("discreet application"),
        gettext("may be considered for other positions"),
        gettext("erase on"),
    ]
    # The admin's list joins the organisation too (list_select_related): not needed here.
    rows = applications.select_related(None).select_related("offer").only(*EXPORTED_FIELDS, "offer__title")
    for application in rows.iterator(chunk_size=ROWS_PER_QUERY):
        shown = getattr(application, "shows_identity", False) and not application.is_erased
        yield [
            _local(application.created_at),
            kinds.get(application.kind, application.kind),
            application.offer.title if application.offer else "",
            statuses.get(application.status, application.status),
            candidate_label(application),
            application.first_name if shown else "",
            application.last_name if shown else "",
            application.email if shown else "",
            application.phone if shown else "",
            application.language,
            application.school if shown else "",
            application.study_programme if shown else "",
            application.period_start or "",
            application.period_end or "",
            yes if application.is_awaiting_answer else no,
            _local(application.answered_at),
            yes if application.is_discreet else no,
            yes if application.consents_to_talent_pool else no,
            application.erase_after or "",
        ]


def csv_response(applications, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(application_rows(applications)), content_type="text/csv; charset=utf-8")
    return private_headers(response, filename)


# ZIP


class _Sink:
    """A write-only, unseekable file: zipfile writes into it, the generator drains it."""

    def __init__(self):
        self._chunks = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _unique(name: str, used: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, counter = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({counter}){dot}{extension}"
        counter += 1
    used.add(candidate.lower())
    return candidate


def zip_chunks(documents) -> Iterator[bytes]:
    """The bytes of a ZIP of `documents`, file after file, chunk after chunk.

    zipfile writes each member's sizes in a data descriptor after its data, since
    the sink cannot seek back. A file missing from the storage is listed in
    missing.txt rather than breaking the download halfway. A document the malware
    scanner has not cleared is never opened: README.txt lists it, with why.
    """
    sink = _Sink()
    used, missing, withheld = set(), [], []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            application = document.application
            name = _unique(
                clean_filename(f"{application.last_name} {application.first_name} - {document.original_name}"), used
            )
            if not document.is_downloadable:
                withheld.append(f"{name}: {scanning.describe(document)}")
                continue
            try:
                source = document.file.open("rb")
            except FileNotFoundError:
                missing.append(name)
                continue
            info = zipfile.ZipInfo(name, date_time=timezone.localtime(document.uploaded_at).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with source, archive.open(info, "w") as target:
                while chunk := source.read(CHUNK_BYTES):
                    target.write(chunk)
                    if data := sink.drain():
                        yield data
            if data := sink.drain():
                yield data
        if missing:
            archive.writestr("missing.txt", "\n".join(missing) + "\n")
        if withheld:
            archive.writestr("README.txt", scanning.withheld_notice(withheld))
    yield sink.drain()


def documents_of(applications):
    """The documents of the applications whose candidate the user may see."""
    visible = applications.filter(shows_identity=True, erased_at__isnull=True).values("pk")
    return (
        Document.objects.filter(application__in=visible)
        .select_related("application")
        .order_by("application__last_name", "application__first_name", "application_id", "kind", "uploaded_at")
        .iterator(chunk_size=DOCUMENTS_PER_QUERY)
    )


def zip_response(applications, filename: str) -> HttpResponse:
    documents = documents_of(applications)
    chunks = zip_chunks(documents)
    try:
        # The first document is opened now, so that a storage that does not answer gets a 503
        # page rather than a download that breaks at once. One that fails later breaks it.
        first = next(chunks)
    except OSError:
        # Its database cursor closes now, not whenever the error's traceback is collected.
        documents.close()
        return storage_unavailable()
    response = StreamingHttpResponse(itertools.chain([first], chunks), content_type="application/zip")
    return private_headers(response, filename)

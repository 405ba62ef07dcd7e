"""Candidates' documents (CV, cover letter): checked by their content, never by their name.

A PDF must parse and have pages; a DOCX or ODT is a ZIP whose declared sizes and
member names are checked before anything is decompressed.
"""

import re
import unicodedata
import zipfile
import zlib
from os import SEEK_END
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

MB = 1024 * 1024


def megabytes(size: int) -> str:
    """A size in MB as people read it in the active language: "10", "2,5" in French."""
    value = round(size / MB, 1)
    return number_format(int(value) if value == int(value) else value, use_l10n=True)


# Zip bombs: an office document is a few hundred members, its parts a few MB each.
MAX_ZIP_MEMBERS = 1000
MAX_MEMBER_BYTES = 50 * MB
MAX_UNPACKED_BYTES = 200 * MB
MAX_RATIO = 100
RATIO_CHECKED_ABOVE = 1 * MB
# Only parts we read ourselves; anything bigger is not a real manifest.
MAX_MANIFEST_BYTES = 1 * MB
# Word and LibreOffice only store or deflate. Bzip2 and LZMA decompress without an
# output bound in zipfile, so a document using them is refused.
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# Acrobat only requires the marker somewhere in the last 1024 bytes.
PDF_EOF_WINDOW = 1024

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_FILENAME_LENGTH = 100
MAX_EXTENSION_LENGTH = 16


class DocumentType(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word document (DOCX)")
    ODT = "odt", _("OpenDocument text (ODT)")

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self]


MIME_TYPES = {
    DocumentType.PDF: "application/pdf",
    DocumentType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentType.ODT: "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {
    DocumentType.PDF: ".pdf",
    DocumentType.DOCX: ".docx",
    DocumentType.ODT: ".odt",
}


def inspect_document(uploaded_file: File, max_bytes: int) -> DocumentType:
    """Return the type of `uploaded_file`, judged by its content alone, or raise ValidationError.

    The file's name and declared content type are ignored. The file is read from
    position 0 and left at position 0.
    """
    try:
        uploaded_file.seek(0, SEEK_END)
        size = uploaded_file.tell()
        if size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        if size > max_bytes:
            limit = megabytes(max_bytes)
            raise ValidationError(
                _("This file is too large: %(limit)s MB at most."), code="too_large", params={"limit": limit}
            )
        uploaded_file.seek(0)
        head = uploaded_file.read(5)
        if head == b"%PDF-":
            _check_pdf(uploaded_file, size)
            return DocumentType.PDF
        # The local header at offset 0: a self-extracting executable also passes
        # zipfile.is_zipfile(), its archive being appended to the program.
        if head.startswith(b"PK\x03\x04"):
            return _inspect_zip(uploaded_file)
        raise _unsupported()
    finally:
        uploaded_file.seek(0)


def _check_pdf(uploaded_file: File, size: int) -> None:
    # pypdf, not strict, rebuilds what it can of a file cut short; a missing end
    # marker is the simple sign that the upload lost its tail.
    uploaded_file.seek(max(size - PDF_EOF_WINDOW, 0))
    if b"%%EOF" not in uploaded_file.read(PDF_EOF_WINDOW):
        raise _pdf_damaged()
    uploaded_file.seek(0)
    try:
        reader = PdfReader(uploaded_file, strict=False)
        encrypted = reader.is_encrypted
        page_count = 0 if encrypted else len(reader.pages)
        scripted = not encrypted and _has_document_javascript(reader)
    except Exception:
        # Malformed input raises anything from PdfReadError to KeyError or RecursionError.
        raise _pdf_damaged() from None
    if encrypted:
        raise _encrypted()
    if page_count == 0:
        raise ValidationError(_("This PDF has no pages."), code="no_pages")
    if scripted:
        raise ValidationError(
            _("This PDF contains scripts. Export it again as a plain PDF and send the new file."), code="scripts"
        )


def _has_document_javascript(reader: PdfReader) -> bool:
    """Whether the catalog runs JavaScript: named scripts, an open action or a document-level action.

    Scripts attached to pages, links or form fields are not looked for.
    """
    catalog = reader.root_object
    names = _resolve(catalog.get("/Names"))
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return True
    actions = [_resolve(catalog.get("/OpenAction"))]
    additional = _resolve(catalog.get("/AA"))
    if isinstance(additional, DictionaryObject):
        actions += [_resolve(action) for action in additional.values()]
    return any(_is_javascript(action) for action in actions)


def _is_javascript(action) -> bool:
    return isinstance(action, DictionaryObject) and _resolve(action.get("/S")) == "/JavaScript"


def _resolve(value):
    return value.get_object() if value is not None else None


def _inspect_zip(uploaded_file: File) -> DocumentType:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            members = archive.infolist()
            _check_zip_members(members)
            return _identify_office_document(archive, members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise _damaged() from None


def _check_zip_members(members: list[zipfile.ZipInfo]) -> None:
    """Refuse what a reader of the document could trip on, from the central directory alone."""
    if len(members) > MAX_ZIP_MEMBERS:
        raise _too_large_unpacked()
    names = [member.filename for member in members]
    if len(set(names)) != len(names) or any(_is_unsafe_member_name(name) for name in names):
        # Duplicate names read differently from one unzipper to the next.
        raise ValidationError(_("This document contains unsafe file names."), code="unsafe")
    if any(member.flag_bits & 0x1 for member in members):
        raise _encrypted()
    if any(member.compress_type not in ZIP_METHODS for member in members):
        raise _damaged()
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _too_large_unpacked()
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise _too_large_unpacked()
        if member.file_size > RATIO_CHECKED_ABOVE and member.file_size > MAX_RATIO * member.compress_size:
            raise _too_large_unpacked()


def _is_unsafe_member_name(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or re.match(r"[A-Za-z]:", path) is not None or ".." in path.split("/")


def _identify_office_document(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> DocumentType:
    names = {member.filename for member in members}
    if members and members[0].filename == "mimetype":
        if _read_small(archive, members[0]) == ODT_MIMETYPE and "content.xml" in names:
            if _has_odf_macros(names):
                raise _macros()
            return DocumentType.ODT
        raise _unsupported()  # A spreadsheet, a presentation, a drawing…
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        content_types = _read_small(archive, archive.getinfo("[Content_Types].xml")).lower()
        # A .docm renamed .docx still declares its macros, wherever the part is stored.
        if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names) or (
            b"macroenabled" in content_types or b"vbaproject" in content_types
        ):
            raise _macros()
        return DocumentType.DOCX
    raise _unsupported()


def _read_small(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    if member.file_size > MAX_MANIFEST_BYTES:
        raise _damaged()
    with archive.open(member) as part:
        return part.read(MAX_MANIFEST_BYTES)


def _has_odf_macros(names: set[str]) -> bool:
    # LibreOffice keeps Basic modules as Basic/<library>/<module>.xml next to a
    # script-lb.xml index, and Python or JavaScript macros under Scripts/.
    for name in names:
        parts = name.split("/")
        if parts[0] == "Scripts" and not name.endswith("/"):
            return True
        if parts[0] == "Basic" and len(parts) == 3 and parts[2] not in ("", "script-lb.xml"):
            return True
    return False


# The refusals, each with a code so that callers and tests need not match the text.


def _unsupported() -> ValidationError:
    return ValidationError(_("Send your document as PDF, DOCX or ODT."), code="unsupported")


def _pdf_damaged() -> ValidationError:
    return ValidationError(
        _("This PDF is damaged or incomplete. Export it again and send the new file."), code="damaged"
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("This document is damaged or incomplete. Save it again and send the new file."), code="damaged"
    )


def _encrypted() -> ValidationError:
    return ValidationError(
        _("This document is protected by a password. Send a copy without protection so that recruiters can read it."),
        code="encrypted",
    )


def _too_large_unpacked() -> ValidationError:
    return ValidationError(_("This document is too large once unpacked."), code="too_large_unpacked")


def _macros() -> ValidationError:
    return ValidationError(
        _("This document contains macros. Save it again as a plain document without macros and send the new file."),
        code="macros",
    )


def clean_filename(name: str) -> str:
    """The uploaded name, safe to display and to put in a Content-Disposition header.

    No directory part, no control or invisible formatting characters (a right-to-left
    override can disguise an extension), no leading dots, single spaces, at most 100
    characters keeping a plausible extension. Never empty.
    """
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", name)[-1])
    kept = []
    for char in name:
        if char.isspace():
            kept.append(" ")
        elif not unicodedata.category(char).startswith("C"):
            kept.append(char)
    name = " ".join("".join(kept).split()).lstrip(". ")
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and extension.isalnum() and len(extension) <= MAX_EXTENSION_LENGTH:
            suffix = f".{extension}"
            name = stem[: MAX_FILENAME_LENGTH - len(suffix)].rstrip(" .") + suffix
        else:
            name = name[:MAX_FILENAME_LENGTH].rstrip()
    return name or "document"

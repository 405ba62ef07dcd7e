import contextlib
import random
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from applications import documents
from applications.documents import DocumentType, clean_filename, inspect_document, megabytes

MB = 1024 * 1024
LIMIT = 10 * MB

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
)
RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORD_DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>Curriculum vitae</w:t></w:r></w:p></w:body>
</w:document>"""
ODT_CONTENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:text><text:p>Curriculum vitae</text:p></office:text></office:body>
</office:document-content>"""
ODT_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def pdf_bytes(pages=1, title="", encrypt_with="", catalog=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if title:
        writer.add_metadata({"/Title": title})
    for key, value in (catalog or {}).items():
        writer._root_object[NameObject(key)] = value
    if encrypt_with:
        writer.encrypt(encrypt_with, algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_members(**extra: bytes) -> dict[str, bytes]:
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": WORD_DOCUMENT} | extra


def docx_bytes(**extra: bytes) -> bytes:
    return zip_bytes(docx_members(**extra))


def odt_bytes(mimetype=b"application/vnd.oasis.opendocument.text", **extra: bytes) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # ODF wants the mimetype first and stored, so that it can be read at a fixed offset.
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", ODT_CONTENT)
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST)
        for name, content in extra.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def noise(size: int) -> bytes:
    """Bytes that do not compress, as in a photo."""
    return random.Random(size).randbytes(size)


def upload(content: bytes, name="cv.pdf", content_type="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(uploaded_file, max_bytes=LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        inspect_document(uploaded_file, max_bytes)
    return excinfo.value


# What is accepted


def test_it_accepts_a_real_pdf_and_says_so():
    assert inspect_document(upload(pdf_bytes()), LIMIT) == DocumentType.PDF


def test_it_accepts_a_real_docx_and_says_so():
    assert inspect_document(upload(docx_bytes(), "cv.docx"), LIMIT) == DocumentType.DOCX


def test_it_accepts_a_real_odt_and_says_so():
    assert inspect_document(upload(odt_bytes(), "cv.odt"), LIMIT) == DocumentType.ODT


@pytest.mark.parametrize(
    ("content", "expected"),
    [(pdf_bytes(), DocumentType.PDF), (docx_bytes(), DocumentType.DOCX), (odt_bytes(), DocumentType.ODT)],
    ids=["pdf", "docx", "odt"],
)
def test_it_reads_large_uploads_that_django_keeps_on_disk(content, expected):
    uploaded_file = TemporaryUploadedFile("cv", "application/octet-stream", len(content), None)
    try:
        uploaded_file.write(content)
        assert inspect_document(uploaded_file, LIMIT) == expected
    finally:
        uploaded_file.close()


def test_it_ignores_the_declared_content_type_of_a_real_pdf():
    assert inspect_document(upload(pdf_bytes(), "cv.png", "image/png"), LIMIT) == DocumentType.PDF


def test_each_type_knows_its_mime_type_and_extension():
    assert DocumentType.PDF.mime_type == "application/pdf"
    assert DocumentType.DOCX.mime_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert DocumentType.ODT.mime_type == "application/vnd.oasis.opendocument.text"
    assert [document_type.extension for document_type in DocumentType] == [".pdf", ".docx", ".odt"]


# The file position


@pytest.mark.parametrize("content", [pdf_bytes(), docx_bytes(), b"MZ\x90\x00"], ids=["pdf", "docx", "refused"])
def test_it_leaves_the_file_at_its_start(content):
    uploaded_file = upload(content)
    with contextlib.suppress(ValidationError):
        inspect_document(uploaded_file, LIMIT)
    assert uploaded_file.tell() == 0


def test_it_reads_from_the_start_even_after_the_file_was_read():
    uploaded_file = upload(pdf_bytes())
    uploaded_file.read()
    assert inspect_document(uploaded_file, LIMIT) == DocumentType.PDF


# What is not a document


@translation.override("en")
def test_it_refuses_a_renamed_executable():
    error = refusal(upload(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)))
    assert error.messages == ["Send your document as PDF, DOCX or ODT."]


def test_it_refuses_an_executable_declared_as_a_pdf():
    assert refusal(upload(b"MZ\x90\x00" + bytes(200), "cv.pdf", "application/pdf")).code == "unsupported"


def test_it_refuses_an_executable_carrying_a_docx_as_its_payload():
    # A self-extracting archive: zipfile.is_zipfile() says yes, the first bytes say Windows program.
    assert refusal(upload(b"MZ\x90\x00" + bytes(200) + docx_bytes(), "cv.docx")).code == "unsupported"


def test_it_refuses_an_html_file_named_pdf():
    assert refusal(upload(b"<!DOCTYPE html><html><script>alert(1)</script></html>")).code == "unsupported"


def test_it_refuses_an_svg_file_named_pdf():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refusal(upload(svg)).code == "unsupported"


def test_it_refuses_a_plain_text_file():
    assert refusal(upload(b"My CV: I am great.", "cv.txt", "text/plain")).code == "unsupported"


def test_it_refuses_a_png_image():
    assert refusal(upload(b"\x89PNG\r\n\x1a\n" + bytes(100), "cv.png", "image/png")).code == "unsupported"


def test_it_refuses_a_spreadsheet_named_docx():
    xlsx = zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "xl/workbook.xml": b"<workbook/>"})
    assert refusal(upload(xlsx, "cv.docx")).code == "unsupported"


def test_it_refuses_an_opendocument_spreadsheet_named_odt():
    ods = odt_bytes(mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
    assert refusal(upload(ods, "cv.odt")).code == "unsupported"


@translation.override("en")
def test_it_refuses_an_empty_file():
    assert refusal(upload(b"")).messages == ["The file is empty."]


@translation.override("en")
def test_it_refuses_a_file_over_the_limit_and_names_the_limit():
    big_pdf = pdf_bytes(title="x" * MB)
    assert inspect_document(upload(big_pdf), 2 * MB) == DocumentType.PDF

    error = refusal(upload(big_pdf), max_bytes=1 * MB)

    assert error.code == "too_large"
    assert error.messages == ["This file is too large: 1 MB at most."]


# PDFs


def test_it_refuses_a_pdf_cut_in_half():
    content = pdf_bytes(pages=3)
    assert refusal(upload(content[: len(content) // 2])).code == "damaged"


def test_it_refuses_a_pdf_cut_just_before_its_end_marker():
    # pypdf alone reads this one: everything but "%%EOF" is there.
    content = pdf_bytes()
    assert refusal(upload(content[: content.rindex(b"%%EOF") + 2])).code == "damaged"


def test_it_refuses_a_pdf_with_only_a_header():
    assert refusal(upload(b"%PDF-1.7\n%%EOF\n")).code == "damaged"


def test_it_refuses_a_pdf_protected_by_a_password():
    assert refusal(upload(pdf_bytes(encrypt_with="secret"))).code == "encrypted"


def test_it_refuses_a_pdf_without_pages():
    assert refusal(upload(pdf_bytes(pages=0))).code == "no_pages"


def test_it_refuses_a_pdf_with_document_level_javascript():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('hello');"))
    buffer = BytesIO()
    writer.write(buffer)
    assert refusal(upload(buffer.getvalue())).code == "scripts"


def test_it_refuses_a_pdf_that_runs_javascript_when_opened():
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    assert refusal(upload(pdf_bytes(catalog={"/OpenAction": action}))).code == "scripts"


# DOCX and ODT


def test_it_refuses_a_zip_bomb_named_docx():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in docx_members().items():
            archive.writestr(name, content)
        with archive.open("word/media/image1.png", "w") as member:
            for _ in range(60):
                member.write(bytes(MB))
    assert len(buffer.getvalue()) < MB

    error = refusal(upload(buffer.getvalue(), "cv.docx"))

    assert error.code == "too_large_unpacked"


def test_it_refuses_a_member_compressed_more_than_a_hundred_to_one():
    content = docx_bytes(**{"word/media/image1.png": bytes(5 * MB)})
    assert refusal(upload(content, "cv.docx")).code == "too_large_unpacked"


def test_it_accepts_a_large_member_that_barely_compresses():
    content = docx_bytes(**{"word/media/photo.jpg": noise(2 * MB)})
    assert inspect_document(upload(content, "cv.docx"), LIMIT) == DocumentType.DOCX


def test_it_refuses_a_document_that_unpacks_beyond_the_total_limit(monkeypatch):
    monkeypatch.setattr(documents, "MAX_UNPACKED_BYTES", 1000)
    content = docx_bytes(**{"word/media/image1.png": noise(2000)})
    assert refusal(upload(content, "cv.docx")).code == "too_large_unpacked"


def test_it_refuses_a_document_with_too_many_members():
    members = {f"word/media/image{number}.png": b"" for number in range(1000)}
    assert refusal(upload(docx_bytes(**members), "cv.docx")).code == "too_large_unpacked"


@pytest.mark.parametrize("name", ["../evil", "word/../../evil", "/etc/cron.d/evil", "C:\\evil", "word\\..\\..\\evil"])
def test_it_refuses_a_docx_with_a_member_outside_the_document(name):
    assert refusal(upload(docx_bytes(**{name: b"x"}), "cv.docx")).code == "unsafe"


def test_it_refuses_a_docx_with_a_member_named_twice():
    buffer = BytesIO(docx_bytes())
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    assert refusal(upload(buffer.getvalue(), "cv.docx")).code == "unsafe"


def test_it_refuses_a_docx_protected_by_a_password():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in docx_members().items():
            archive.writestr(name, content)
        # zipfile cannot encrypt; the flag in the central directory is what is checked.
        archive.getinfo("word/document.xml").flag_bits |= 0x1
    assert refusal(upload(buffer.getvalue(), "cv.docx")).code == "encrypted"


def test_it_refuses_a_docx_with_macros():
    content = docx_bytes(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert refusal(upload(content, "cv.docx")).code == "macros"


def test_it_refuses_a_macro_enabled_docm_renamed_docx():
    content = zip_bytes(docx_members(**{"[Content_Types].xml": MACRO_CONTENT_TYPES}))
    assert refusal(upload(content, "cv.docx")).code == "macros"


def test_it_refuses_an_odt_with_basic_macros():
    content = odt_bytes(**{"Basic/Standard/Module1.xml": b"<script:module/>"})
    assert refusal(upload(content, "cv.odt")).code == "macros"


def test_it_refuses_a_docx_compressed_with_bzip2():
    content = zip_bytes(docx_members(), compression=zipfile.ZIP_BZIP2)
    assert refusal(upload(content, "cv.docx")).code == "damaged"


def test_it_refuses_a_docx_cut_in_half():
    content = docx_bytes()
    assert refusal(upload(content[: len(content) // 2], "cv.docx")).code == "damaged"


# File names


def test_clean_filename_drops_the_directories():
    assert clean_filename("../../etc/passwd") == "passwd"


def test_clean_filename_drops_windows_directories():
    assert clean_filename("C:\\Users\\x\\cv.pdf") == "cv.pdf"


def test_clean_filename_removes_control_characters_and_newlines():
    assert clean_filename("cv\x00\x07 final\r\n\tversion.pdf") == "cv final version.pdf"


def test_clean_filename_removes_a_right_to_left_override_that_would_disguise_the_extension():
    assert clean_filename("cv\u202efdp.exe") == "cvfdp.exe"


def test_clean_filename_removes_leading_dots():
    assert clean_filename(".hidden.pdf") == "hidden.pdf"


def test_clean_filename_collapses_whitespace():
    assert clean_filename("  my    cv .pdf ") == "my cv .pdf"


def test_clean_filename_shortens_a_long_name_keeping_its_extension():
    cleaned = clean_filename("a" * 300 + ".pdf")
    assert len(cleaned) == 100
    assert cleaned == "a" * 96 + ".pdf"


def test_clean_filename_never_returns_an_empty_name():
    assert clean_filename("") == "document"
    assert clean_filename("../..") == "document"


@pytest.mark.parametrize(
    ("size", "language", "shown"), [(10 * MB, "fr", "10"), (MB * 5 // 2, "fr", "2,5"), (MB * 5 // 2, "en", "2.5")]
)
def test_sizes_are_written_as_the_language_writes_numbers(size, language, shown):
    with translation.override(language):
        assert megabytes(size) == shown

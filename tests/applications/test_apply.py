"""A candidate applies to an offer with the board's own form."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks

from applications import views
from applications.forms import OfferApplicationForm
from applications.models import Application, Document, Email, hash_token
from offers.models import Offer
from tests.applications.applying import form_data, stored_files, upload
from tests.factories import make_application, make_offer, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, title="Attaché·e de presse")


@pytest.fixture
def url(offer):
    return reverse("applications:apply", args=[offer.slug])


def apply(client, url, **overrides):
    return client.post(url, form_data(client, url, **overrides))


def test_a_candidate_applies_with_a_pdf_cv_and_a_docx_letter(client, offer, url):
    response = apply(client, url)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:sent")
    application = Application.objects.get()
    assert (application.kind, application.offer, application.organisation) == (
        Application.Kind.OFFER,
        offer,
        offer.organisation,
    )
    assert (application.first_name, application.email) == ("Camille", "camille.dupont@example.org")
    assert application.status == Application.Status.RECEIVED
    assert application.consents_to_political_data and not application.consents_to_talent_pool
    assert application.erase_after and application.answer_due_at and application.token_hash
    assert application.language == "fr"
    cv, letter = application.documents.order_by("kind")
    assert (cv.kind, cv.original_name, cv.content_type) == (Document.Kind.CV, "CV Camille.pdf", "application/pdf")
    assert letter.kind == Document.Kind.LETTER and letter.content_type.endswith("wordprocessingml.document")
    assert cv.size == len(pdf_bytes())


def test_the_documents_get_random_names_in_the_private_storage_only(client, url, settings):
    apply(client, url)

    names = [document.file.name for document in Document.objects.all()]
    assert all(re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx)", name) for name in names), names
    assert sorted(path.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix() for path in stored_files()) == sorted(names)
    for name in names:
        assert client.get(f"/media/{name}").status_code == 404


def test_the_privacy_notice_is_stored_exactly_as_shown(client, offer, url):
    page = client.get(url)
    notice = page.context["privacy_notice"]
    assert offer.organisation.name in notice
    assert str(offer.organisation.talent_pool_months) in notice
    assert linebreaks(notice, autoescape=True) in page.content.decode()

    apply(client, url)

    assert Application.objects.get().privacy_notice == notice


def test_a_notice_changed_while_the_candidate_filled_in_the_form_must_be_read_again(client, offer, url):
    data = form_data(client, url)
    offer.organisation.keep_after_outcome_months = 6
    offer.organisation.save()

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].has_error("__all__", "notice_changed")
    assert response.context["notice_digest"] != data["notice_digest"]
    assert not Application.objects.exists()


def test_the_application_keeps_the_language_of_the_page(client, url):
    apply(client, "/en" + url)
    assert Application.objects.get().language == "en"


def test_the_candidate_and_each_recruiter_are_written_to_after_the_commit(
    client, offer, url, alice, bob, charlie, django_capture_on_commit_callbacks
):
    offer.organisation.applications_email = "jobs@example.org"
    offer.organisation.save()
    data = form_data(client, url)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url, data)
        assert mail.outbox == []

    assert callbacks
    application = Application.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["camille.dupont@example.org", alice.email, bob.email, "jobs@example.org"]
    )
    assert Email.objects.filter(kind=Email.Kind.RECEIVED, status=Email.Status.SENT).count() == 1
    assert Email.objects.filter(kind=Email.Kind.NEW_APPLICATION, status=Email.Status.SENT).count() == 3
    assert all(email.application == application for email in Email.objects.all())


def test_the_recruiters_notice_holds_no_personal_data_only_the_staff_link(
    client, offer, url, bob, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, url)

    application = Application.objects.get()
    [notice] = [m for m in mail.outbox if m.to == [bob.email]]
    text = notice.subject + notice.body
    assert offer.title in notice.subject
    assert settings.SITE_URL + application.get_absolute_url() in notice.body
    for personal in ("Camille", "Dupont", "camille.dupont@example.org", "470 12 34 56", "Bonjour", "CV Camille"):
        assert personal not in text, personal


def test_the_acknowledgement_holds_a_working_private_link(client, url, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://jobs.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, url)

    [acknowledgement] = [m for m in mail.outbox if m.to == ["camille.dupont@example.org"]]
    [link] = re.findall(r"https://jobs\.example\.org(/candidature/[\w-]+/)", acknowledgement.body)
    token = link.split("/")[2]
    assert Application.objects.get().token_hash == hash_token(token)
    assert client.get(link).status_code == 200


def test_the_confirmation_page_does_not_show_the_private_link(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, url)
    page = client.get(response["Location"])

    assert page.status_code == 200
    assert page.context["application"] == Application.objects.get()
    [link] = re.findall(r"/candidature/[\w-]{20,}/", mail.outbox[0].body)
    assert link not in page.content.decode()
    assert "camille.dupont@example.org" in page.content.decode()


def test_the_offer_page_links_to_the_form(client, offer, url):
    assert f'href="{url}"' in client.get(offer.get_absolute_url()).content.decode()


def test_an_offer_taking_applications_by_email_has_no_form(client):
    offer = make_offer(apply_method=Offer.ApplyMethod.EMAIL, apply_email="jobs@example.org")
    url = reverse("applications:apply", args=[offer.slug])
    assert url not in client.get(offer.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404


def test_the_letter_is_optional_when_the_offer_does_not_ask_for_it(client, organisation):
    offer = make_offer(organisation=organisation, asks_for_letter=False)
    url = reverse("applications:apply", args=[offer.slug])

    response = apply(client, url, letter=None)

    assert response.status_code == 302
    assert [d.kind for d in Application.objects.get().documents.all()] == [Document.Kind.CV]


def test_the_cv_is_required_when_the_offer_asks_for_it(client, url):
    response = apply(client, url, cv=None)

    assert response.status_code == 400
    assert response.context["form"].has_error("cv", "required")
    assert not Application.objects.exists()


def test_the_other_document_named_by_the_offer_is_asked_for_and_stored(client, organisation):
    offer = make_offer(organisation=organisation, other_documents="Une note de deux pages sur la mobilité")
    url = reverse("applications:apply", args=[offer.slug])
    assert client.get(url).context["form"].fields["other"].label == "Une note de deux pages sur la mobilité"

    apply(client, url, other=upload("note.pdf", pdf_bytes(2)))

    kinds = sorted(Application.objects.get().documents.values_list("kind", flat=True))
    assert kinds == sorted([Document.Kind.CV, Document.Kind.LETTER, Document.Kind.OTHER])


def test_there_is_no_other_document_when_the_offer_names_none(client, url):
    assert "other" not in client.get(url).context["form"].fields


def test_a_discreet_application_is_recorded_as_such(client, url):
    apply(client, url, is_discreet="on")
    assert Application.objects.get().is_discreet


def test_the_talent_pool_consent_is_optional_and_recorded(client, url):
    apply(client, url, consents_to_talent_pool="on")
    assert Application.objects.get().consents_to_talent_pool


def test_without_consent_to_the_political_data_nothing_is_stored(client, url):
    response = apply(client, url, consents_to_political_data=None)

    assert response.status_code == 400
    assert response.context["form"].has_error("consents_to_political_data", "required")
    assert not Application.objects.exists()
    assert stored_files() == []


def test_an_invalid_form_says_which_files_to_choose_again(client, url):
    response = apply(client, url, consents_to_political_data=None, first_name="")

    form = response.context["form"]
    assert response.context["files_to_attach_again"] == [form.fields["cv"].label, form.fields["letter"].label]
    html = response.content.decode()
    assert html.count('class="text-danger"') == 2  # next to each file field


def test_the_error_summary_links_to_each_field_in_error(client, url):
    response = apply(client, url, first_name="", email="not-an-address")

    html = response.content.decode()
    assert 'href="#id_first_name"' in html and 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html


def test_a_bad_phone_number_is_refused_next_to_the_field(client, url):
    response = apply(client, url, phone="call me maybe")
    assert response.status_code == 400
    assert response.context["form"].has_error("phone")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "unsupported"),
        ("cv.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "unsupported"),
        ("cv.pdf", b"", "empty"),
        ("cv.pdf", b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024), "too_large"),
    ],
    ids=["exe-renamed-pdf", "html-named-pdf", "empty", "11-mb"],
)
def test_a_file_that_is_not_a_readable_document_is_refused_next_to_its_field(client, url, name, content, code):
    response = apply(client, url, cv=upload(name, content))

    assert response.status_code == 400
    assert response.context["form"].has_error("cv", code)
    assert not Application.objects.exists()
    assert not Document.objects.exists()
    assert stored_files() == []


class RawNamedFile:
    """A file whose name goes to the server as written, path and control characters included."""

    def __init__(self, name, content):
        self.name, self.content = name, content


def multipart(data) -> tuple[bytes, str]:
    boundary = "----jobboard-test-boundary"
    parts = []
    for key, value in data.items():
        if isinstance(value, RawNamedFile):
            head = f'Content-Disposition: form-data; name="{key}"; filename="{value.name}"\r\n'
            parts.append(head.encode() + b"Content-Type: application/pdf\r\n\r\n" + value.content)
        elif hasattr(value, "read"):
            head = f'Content-Disposition: form-data; name="{key}"; filename="{value.name}"\r\n'
            parts.append(head.encode() + f"Content-Type: {value.content_type}\r\n\r\n".encode() + value.read())
        else:
            parts.append(f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}'.encode())
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_file_name_with_a_path_and_control_characters_is_stored_cleaned(client, url):
    data = form_data(client, url, cv=RawNamedFile("../../etc/\x07 ..mon\u202e  CV.pdf", pdf_bytes()))
    body, content_type = multipart(data)

    response = client.post(url, body, content_type=content_type)

    assert response.status_code == 302
    cv = Document.objects.get(kind=Document.Kind.CV)
    assert cv.original_name == "mon CV.pdf"
    assert cv.file.name.startswith("documents/") and ".." not in cv.file.name


@pytest.mark.parametrize(
    "closed",
    [
        {"status": Offer.Status.CLOSED},
        {"deadline": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["closed", "deadline-passed"],
)
def test_a_closed_offer_shows_no_form_and_refuses_what_is_posted(client, organisation, closed):
    offer = make_offer(organisation=organisation)
    url = reverse("applications:apply", args=[offer.slug])
    data = form_data(client, url)
    Offer.objects.filter(pk=offer.pk).update(**closed)

    assert client.get(url).status_code == 410
    response = client.post(url, data)

    assert response.status_code == 410
    assert not Application.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Offer.Status.DRAFT, "published_at": None},
        {"status": Offer.Status.ARCHIVED},
        {"status": Offer.Status.SCHEDULED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "archived", "scheduled"],
)
def test_an_offer_the_public_cannot_see_has_no_form(client, organisation, hidden):
    offer = make_offer(organisation=organisation)
    url = reverse("applications:apply", args=[offer.slug])
    data = form_data(client, url)
    Offer.objects.filter(pk=offer.pk).update(**hidden)

    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert not Application.objects.exists()


def test_applying_twice_with_the_same_email_in_another_case_is_refused(client, offer, url):
    make_application(offer=offer, email="camille.dupont@example.org")

    response = apply(client, url, email="Camille.DUPONT@Example.org ")

    assert response.status_code == 400
    assert response.context["form"].has_error("email", "duplicate")
    assert Application.objects.count() == 1


def test_two_applications_with_the_same_email_at_once_get_the_same_message(client, offer, url, monkeypatch):
    data = form_data(client, url)
    make_application(offer=offer, email="camille.dupont@example.org")
    # The other one commits between this form's check and its insert: the database constraint catches it.
    real_is_duplicate, checks = OfferApplicationForm.is_duplicate, []

    def is_duplicate(form, email=None):
        checks.append(email)
        return len(checks) > 1 and real_is_duplicate(form, email)

    monkeypatch.setattr(OfferApplicationForm, "is_duplicate", is_duplicate)

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].has_error("email", "duplicate")
    assert Application.objects.count() == 1
    assert stored_files() == []


def test_an_erased_application_does_not_count_as_a_duplicate(client, offer, url):
    make_application(offer=offer, email="camille.dupont@example.org").erase()
    assert apply(client, url).status_code == 302
    assert Application.objects.filter(erased_at__isnull=True).count() == 1


def test_the_same_form_sent_twice_stores_one_application_and_confirms_again(client, url):
    data = form_data(client, url)
    first = client.post(url, data)
    again = {**data, "cv": upload("CV Camille.pdf", pdf_bytes()), "letter": None}
    second = client.post(url, {key: value for key, value in again.items() if value is not None})

    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("applications:sent")
    assert Application.objects.count() == 1
    assert Document.objects.count() == 2


def test_the_confirmation_page_is_a_plain_get(client, url):
    response = apply(client, url)
    assert client.post(response["Location"]).status_code == 405


def test_a_robot_filling_the_trap_is_told_it_succeeded_and_nothing_is_stored(client, url):
    response = apply(client, url, website="https://spam.example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:sent")
    assert not Application.objects.exists()
    assert stored_files() == []


def test_the_trap_is_hidden_from_people_and_screen_readers(client, url):
    html = client.get(url).content.decode()
    trap = re.search(r'<div[^>]*class="jb-trap"[^>]*>', html).group(0)
    assert 'aria-hidden="true"' in trap
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', html)
    assert re.search(r'<input[^>]*name="website"[^>]*autocomplete="off"', html)


def test_one_address_sending_too_many_forms_gets_a_429(client, url, settings):
    settings.APPLICATION_RATE_LIMIT = 2
    assert client.post(url, form_data(client, url, first_name="")).status_code == 400
    assert client.post(url, form_data(client, url, first_name="")).status_code == 400

    response = client.post(url, form_data(client, url))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Application.objects.exists()


def test_another_address_is_not_held_back_by_the_limit(client, url, settings):
    settings.APPLICATION_RATE_LIMIT = 1
    client.post(url, form_data(client, url, first_name=""), REMOTE_ADDR="203.0.113.5")
    assert client.post(url, form_data(client, url), REMOTE_ADDR="203.0.113.5").status_code == 429
    assert client.post(url, form_data(client, url), REMOTE_ADDR="203.0.113.6").status_code == 302


def test_a_request_larger_than_the_documents_allowed_is_refused_before_it_is_read(client, url, settings):
    settings.MAX_DOCUMENT_BYTES = 1000
    data = form_data(client, url, cv=upload("cv.pdf", b"%PDF-1.7\n" + b"0" * (views.REQUEST_MARGIN_BYTES + 4000)))

    response = client.post(url, data)

    assert response.status_code == 413
    assert not Application.objects.exists()
    assert stored_files() == []


def test_the_apply_page_costs_few_queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200

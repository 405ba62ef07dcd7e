"""The candidate's private link: follow the application, withdraw it, erase it."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.models import Application, Document, Note, StatusChange
from applications.views import CANDIDATE_STATUS
from tests.factories import give_private_link, make_application, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(db):
    return make_application(first_name="Camille", email="camille@example.org")


@pytest.fixture
def token(application):
    return give_private_link(application)


def add_document(application):
    document = Document(
        application=application, kind=Document.Kind.CV, original_name="cv.pdf", content_type="application/pdf", size=1
    )
    document.file.save("cv.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    return document


def private_url(token, name="private"):
    return reverse(f"applications:{name}", args=[token])


def test_the_link_shows_the_status_the_offer_and_the_dates(client, application, token):
    response = client.get(private_url(token))

    assert response.status_code == 200
    assert response.context["status_label"] == CANDIDATE_STATUS[Application.Status.RECEIVED][0]
    html = response.content.decode()
    assert application.offer.title in html
    assert str(application.erase_after.year) in html


@pytest.mark.parametrize("status", list(Application.Status))
def test_every_pipeline_status_reads_in_plain_words(client, application, token, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    response = client.get(private_url(token))
    assert response.context["status_label"] == CANDIDATE_STATUS[status][0]


def test_the_selection_steps_read_as_shortlisted_without_their_internals(client, application, token):
    for status in (Application.Status.WRITTEN_TEST, Application.Status.INTERVIEW, Application.Status.OFFER_MADE):
        assert CANDIDATE_STATUS[status] == CANDIDATE_STATUS[Application.Status.SHORTLISTED]


def test_the_recruiters_private_notes_never_show(client, application, token):
    Note.objects.create(application=application, text="Trop militant·e à notre goût")
    application.move_to(Application.Status.IN_REVIEW, note="Rappeler lundi")

    html = client.get(private_url(token)).content.decode()

    assert "Trop militant·e" not in html
    assert "Rappeler lundi" not in html


def test_the_page_keeps_its_link_out_of_referrers_indexes_and_caches(client, token):
    response = client.get(private_url(token))

    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_an_unknown_token_is_not_found(client, application, token):
    assert client.get(private_url(token + "x")).status_code == 404
    assert client.post(private_url("nope", "withdraw")).status_code == 404
    assert client.post(private_url("nope", "erase"), {"confirm": "on"}).status_code == 404


def test_the_candidate_withdraws_their_application(client, application, token):
    response = client.post(private_url(token, "withdraw"))

    assert response.status_code == 302
    assert response["Location"] == private_url(token)
    assert response["Referrer-Policy"] == "same-origin"
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    change = StatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.changed_by) == (
        Application.Status.RECEIVED,
        Application.Status.WITHDRAWN,
        None,
    )


def test_withdrawing_needs_a_post(client, application, token):
    assert client.get(private_url(token, "withdraw")).status_code == 405
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_a_withdrawn_application_offers_no_second_withdrawal(client, application, token):
    client.post(private_url(token, "withdraw"))
    response = client.get(private_url(token))
    assert not response.context["can_withdraw"]
    assert private_url(token, "withdraw") not in response.content.decode()

    client.post(private_url(token, "withdraw"))

    assert StatusChange.objects.filter(application=application).count() == 1


def test_erasing_needs_the_confirmation_box(client, application, token):
    response = client.post(private_url(token, "erase"))

    assert response.status_code == 400
    assert response.context["erase_form"].has_error("confirm", "required")
    application.refresh_from_db()
    assert not application.is_erased


def test_the_candidate_erases_their_data_at_once(
    client, application, token, settings, django_capture_on_commit_callbacks
):
    document = add_document(application)
    path = settings.PRIVATE_MEDIA_ROOT / document.file.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(private_url(token, "erase"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:erased")
    application.refresh_from_db()
    assert application.is_erased
    assert (application.first_name, application.last_name, application.email, application.phone) == ("", "", "", "")
    assert not Document.objects.exists()
    assert not path.exists()
    assert client.get(response["Location"]).status_code == 200


def test_an_erased_application_is_not_found(client, application, token):
    application.erase()
    assert client.get(private_url(token)).status_code == 404
